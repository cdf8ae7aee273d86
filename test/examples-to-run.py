#! /usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Examples that ns-3's test.py runs as smoke tests (in an ns-3 tree: ./test.py -s photonic-moe
# runs the suite; ./test.py runs these too). Each entry is
# (example name with arguments, do_run condition, do_valgrind_run condition).

cpp_examples = [
    ("photonic-moe-compare", "True", "False"),
    ("photonic-moe-compare --algorithms=greedy,bvn --circuitModel=duplex", "True", "False"),
    ("photonic-moe-ocs-rotor", "True", "False"),
    ("photonic-moe-layer --gpus=4 --experts=8 --tokens=64 --quiet --outputDir=none", "True", "False"),
    ("photonic-moe-custom-scenario --tokens=128", "True", "False"),
    ("photonic-moe-device-cost --hosts=4 --packets=200 --repeat=1", "True", "False"),
]

python_examples = []
