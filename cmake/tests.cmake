# SPDX-License-Identifier: GPL-2.0-only
#
# Standalone tests: GoogleTest for the scheduling core, and the ns-3 TestSuite "photonic-moe"
# run through ns3::TestRunner (Debian ships no test-runner binary). Both are CTest tests.

find_package(GTest REQUIRED)

file(GLOB PMOE_GTEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/test/core/*.cc)
add_executable(photonic-moe-core-tests ${PMOE_GTEST_SOURCES})
target_link_libraries(photonic-moe-core-tests PRIVATE photonic-moe-core GTest::gtest_main)
target_compile_options(photonic-moe-core-tests PRIVATE ${PMOE_WARNINGS})
target_compile_definitions(photonic-moe-core-tests
                           PRIVATE PMOE_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}"
                                   PMOE_CLI="$<TARGET_FILE:photonic-moe-schedule>"
                                   PMOE_TRACE_IMPORT_CLI="$<TARGET_FILE:photonic-moe-trace-import>")
add_dependencies(photonic-moe-core-tests photonic-moe-schedule photonic-moe-trace-import)
# LEMON (Debian: liblemon-dev) is an optional oracle for the general-graph matching test only.
find_path(PMOE_LEMON_INCLUDE lemon/matching.h)
if(PMOE_LEMON_INCLUDE)
  target_compile_definitions(photonic-moe-core-tests PRIVATE PMOE_HAVE_LEMON=1)
  target_include_directories(photonic-moe-core-tests SYSTEM PRIVATE ${PMOE_LEMON_INCLUDE})
endif()
include(GoogleTest)
gtest_discover_tests(photonic-moe-core-tests DISCOVERY_TIMEOUT 60)

# The suite sources are compiled into the runner itself: static registrars in a shared
# library can be dropped by --as-needed. One CTest test per suite, every case included
# (--fullness=EXTENSIVE: whole-layer simulations are EXTENSIVE, test.py skips them by default).
add_executable(photonic-moe-test-runner test/ns3/test-runner-main.cc ${PMOE_NS3_TEST_SOURCES})
target_link_libraries(photonic-moe-test-runner PRIVATE photonic-moe)
target_compile_options(photonic-moe-test-runner PRIVATE ${PMOE_WARNINGS})
foreach(suite IN ITEMS photonic-moe photonic-moe-layer photonic-moe-faults
                       photonic-moe-validation)
  add_test(NAME ns3-suite-${suite}
           COMMAND photonic-moe-test-runner --suite=${suite} --fullness=EXTENSIVE --verbose)
  # Require the suite's own PASS line and no FAIL line, whatever the exit status.
  set_tests_properties(ns3-suite-${suite} PROPERTIES
                       PASS_REGULAR_EXPRESSION "PASS ${suite} "
                       FAIL_REGULAR_EXPRESSION "FAIL")
endforeach()

# photonic-moe-layer rejects bad options with exit status 1 and a one-line error naming the
# value (issue 7). Each test prints the output and "rc=<status>" and matches both. Unknown
# options and values ns-3's CommandLine cannot parse are its own "Invalid command-line
# argument: --name=value" line (followed by the help text).
set(PMOE_LAYER_BAD_OPTIONS
    "K-negative|--K=-1|error: --K must be a non-negative integer, got '-1'"
    "gpus-negative|--gpus=-2|error: --gpus must be a non-negative integer, got '-2'"
    "gpus-text|--gpus=abc|error: --gpus must be a non-negative integer, got 'abc'"
    "delta-negative|--delta=-1us|error: delta must be >= 0, got -1000 ns"
    "delta-garbage|--delta=xyz|error: --delta must be a time such as 10us, got 'xyz'"
    "rate-zero|--rate=0bps|error: rate must be > 0"
    "eps-rate-zero|--epsRate=0bps|error: EPS rate must be > 0"
    "tokens-zero|--tokens=0|error: MoE config: tokensPerGpu must be in .1, 16777216., got 0"
    "topk-above-experts|--experts=8 --topK=9|error: MoE config: topK must be in .1, min.numExperts = 8"
    "layers-too-many|--gpus=4096 --experts=4096 --layers=1000|error: scenario too large: layers .1000."
    "fail-port-missing|--gpus=4 --failPort=4|error: failPort must name a GPU port in .0, 3. or be -1, got 4"
    "control-loss-one|--controlLoss=1|error: control loss probability must be in .0, 1., got 1"
    "placement-gpu-missing|--gpus=4 --experts=4 --placement=${CMAKE_CURRENT_SOURCE_DIR}/test/data/placement-gpu-7.txt|error: .*expert 3 placed on GPU 7, but there are only 4 GPUs"
    "unknown-option|--gpu=4|Invalid command-line argument: --gpu=4"
    "rate-garbage|--rate=xyz|Invalid command-line argument: --rate=xyz"
    "zipf-nan|--zipf=nan|Invalid command-line argument: --zipf=nan"
    "trace-other-n|--gpus=8 --routing=trace --trace=${CMAKE_CURRENT_SOURCE_DIR}/data/traces/example-4gpu-8expert.trace|error: MoE config: trace is for 4 GPUs"
    "trace-import-bad-expert|--gpus=4 --experts=8 --routing=trace --traceFormat=jsonl --trace=${CMAKE_CURRENT_SOURCE_DIR}/test/data/routing-bad-expert.jsonl|error: [^\n]*routing-bad-expert.jsonl:3: topk_ids.1.: expert id 8 is out of range: there are 8 experts"
    "trace-format-unknown|--routing=trace --trace=x --traceFormat=csv|error: unknown trace format 'csv'"
    "trace-format-without-trace|--traceFormat=jsonl|error: --traceFormat and --traceImport need --routing=trace"
    "trace-import-sets-gpus|--routing=trace --trace=x --traceFormat=jsonl --traceImport=gpus=2|error: --traceImport cannot change format, gpus or experts"
    "transport-unknown|--transport=roce|error: unknown transport 'roce' .expected tcp, udp or rdma."
    "rdma-mtu-zero|--transport=rdma --rdmaMtu=0|error: RDMA MTU must be >= 1 byte, got 0"
    "rdma-mtu-negative|--transport=rdma --rdmaMtu=-1|error: --rdmaMtu must be a non-negative integer, got '-1'"
    "rdma-mtu-above-device|--transport=rdma --gpus=4 --experts=16 --tokens=64 --rdmaMtu=9000|error: RdmaNic::Mtu 9000 . 12 header bytes exceeds the device MTU 9000"
    "rdma-nvlink-mtu-zero|--transport=rdma --rdmaNvlinkMtu=0|error: RDMA NVLink MTU must be >= 1 byte, got 0"
    "rdma-nvlink-mtu-above-device|--transport=rdma --gpus=8 --gpusPerServer=4 --experts=16 --tokens=64 --rdmaNvlinkMtu=9000|error: RdmaNic::Mtu 9000 . 12 header bytes exceeds the device MTU 9000"
    "rdma-ack-interval-zero|--transport=rdma --rdmaAckInterval=0|error: RDMA ACK interval must be >= 1 packet, got 0"
    "rdma-timeout-zero|--transport=rdma --rdmaTimeout=0s|error: RDMA retransmission timeout must be > 0, got 0 ns"
    "rdma-timeout-garbage|--transport=rdma --rdmaTimeout=soon|error: --rdmaTimeout must be a time such as 10us, got 'soon'"
    "rdma-cc-unknown|--transport=rdma --rdmaCc=timely|error: unknown RDMA congestion control 'timely' .expected dcqcn or none."
    "rdma-rate-negative|--transport=rdma --rate=-400Gbps|Invalid command-line argument: --rate=-400Gbps"
    "rdma-eps-rate-negative|--transport=rdma --epsRate=-100Gbps|Invalid command-line argument: --epsRate=-100Gbps"
    "rdma-eps-ecn-bad|--transport=rdma --epsEcn=maybe|error: --epsEcn must be auto, on or off, got 'maybe'"
    "rdma-eps-pfc-bad|--transport=rdma --epsPfc=yes|error: --epsPfc must be auto, on or off, got 'yes'"
    "ecn-kmin-above-kmax|--transport=tcp --epsEcn=on --gpus=4 --experts=16 --tokens=64 --ns3::ElectricalPacketSwitch::EcnKmin=300000|error: ElectricalPacketSwitch::EcnKmin .300000 bytes. must not exceed EcnKmax .200000 bytes."
    "rdma-eps-ecn-kmin-above-kmax|--transport=rdma --epsEcnKmin=300000 --epsEcnKmax=200000|error: EPS ECN Kmin .300000 bytes. must not exceed Kmax .200000 bytes."
    "rdma-eps-ecn-kmin-above-scaled|--transport=rdma --fabric=ocs --epsEcnKmin=600000|error: EPS ECN Kmin .600000 bytes. must not exceed Kmax .500000 bytes."
    "rdma-eps-ecn-kmax-below-scaled|--transport=rdma --fabric=ideal --epsEcnKmax=40000|error: EPS ECN Kmin .50000 bytes. must not exceed Kmax .40000 bytes."
    "rdma-eps-ecn-kmin-bad|--transport=rdma --epsEcnKmin=-5|error: --epsEcnKmin must be scaled or a number of bytes, got '-5'"
    "rdma-eps-ecn-kmax-bad|--transport=rdma --epsEcnKmax=2MB|error: --epsEcnKmax must be scaled or a number of bytes, got '2MB'"
    "cluster-g-not-dividing|--gpus=8 --gpusPerServer=3|error: gpusPerServer 3 does not divide the number of GPUs 8"
    "cluster-planes-above-g|--gpus=8 --gpusPerServer=4 --planes=8|error: planes 8 exceed gpusPerServer 4 .one NIC per GPU."
    "cluster-ocs-nics-above-g|--gpus=8 --gpusPerServer=4 --ocsNics=5|error: ocsNics 5 exceed gpusPerServer 4 .one NIC per GPU."
    "cluster-direct-needs-g1|--gpus=8 --gpusPerServer=4 --forwarding=direct|error: forwarding rule 'direct' needs gpusPerServer 1, got 4"
    "cluster-forwarding-unknown|--forwarding=ecmp|error: unknown forwarding rule 'ecmp'"
    "cluster-g-negative|--gpusPerServer=-4|error: --gpusPerServer must be a non-negative integer, got '-4'"
    "cluster-nvlink-rate-zero|--gpus=8 --gpusPerServer=4 --nvlinkRate=0bps|error: NVLink rate must be > 0"
    "cluster-nvlink-delay-garbage|--nvlinkDelay=fast|error: --nvlinkDelay must be a time such as 10us, got 'fast'"
    "routing-unknown|--routing=node|error: unknown routing 'node' .expected uniform, zipf, hot-expert, trace or node-limited."
    "node-limited-needs-cluster|--routing=node-limited|error: routing 'node-limited' needs gpusPerServer > 1, got 1"
    "node-limited-m-zero|--gpus=8 --gpusPerServer=4 --transport=udp --routing=node-limited --maxServers=0|error: node-limited routing needs maxServers >= 1, got 0"
    "node-limited-m-negative|--maxServers=-1|error: --maxServers must be a non-negative integer, got '-1'"
    "node-limited-m-below-topk|--gpus=8 --gpusPerServer=4 --experts=8 --topK=5 --transport=udp --routing=node-limited --maxServers=1|error: node-limited routing: 1 servers may hold only 4 experts, fewer than topK 5"
    "rdma-dcqcn-rate-ai-zero|--transport=rdma --gpus=4 --experts=16 --tokens=64 --ns3::RdmaDcqcn::RateAi=0bps|error: RdmaDcqcn::RateAi must be > 0 bit/s, got 0")
foreach(entry IN LISTS PMOE_LAYER_BAD_OPTIONS)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 name)
  list(GET parts 1 options)
  list(GET parts 2 expected)
  add_test(NAME layer-cli-rejects-${name}
           COMMAND sh -c "\"$0\" --quiet --outputDir=none ${options} 2>&1; echo rc=$?"
                   $<TARGET_FILE:photonic-moe-layer>)
  set_tests_properties(layer-cli-rejects-${name} PROPERTIES
                       PASS_REGULAR_EXPRESSION "${expected}[^\n]*\n(.*\n)?rc=1")
endforeach()

# photonic-moe-layer writes byte-identical files for the same seed (faults and all, every
# output: layers.csv, gpus.csv, faults.csv, the JSON without --hostTiming and the timeline),
# and other files for another RngRun.
set(PMOE_LAYER_SMALL_RUN
    "--quiet --gpus=4 --experts=16 --topK=2 --tokens=256 --routing=zipf --reconfigJitter=10us \
--controlLoss=0.2 --controlLate=0.2 --failPort=2")
add_test(NAME layer-cli-deterministic-output
         COMMAND sh -c "set -e
d=$(mktemp -d)
trap 'rm -rf \"$d\"' EXIT
for run in a:11 b:11 c:12; do
  \"$0\" ${PMOE_LAYER_SMALL_RUN} --RngRun=\${run#*:} --outputDir=\"$d/\${run%%:*}\" \
    --json=\"$d/\${run%%:*}/run.json\" --timeline=\"$d/\${run%%:*}/timeline.csv\"
done
for f in layers.csv gpus.csv faults.csv run.json timeline.csv; do
  cmp \"$d/a/$f\" \"$d/b/$f\"
done
if cmp -s \"$d/a/run.json\" \"$d/c/run.json\"; then echo 'RngRun 12 gave the same JSON'; exit 1; fi
echo identical-outputs" $<TARGET_FILE:photonic-moe-layer>)
set_tests_properties(layer-cli-deterministic-output PROPERTIES
                     PASS_REGULAR_EXPRESSION "identical-outputs")

# A cluster run writes servers.csv: one row per run and server, the same figures as the JSON's
# servers array, adding up to the run's nic_bytes and nvlink_bytes; node-limited routing
# (doc/cluster.rst) gives the same files for the same seed and records max_servers.
add_test(NAME layer-cli-cluster-servers
         COMMAND sh -c "set -e
d=$(mktemp -d)
trap 'rm -rf \"$d\"' EXIT
for run in a b; do
  \"$0\" --quiet --gpus=8 --gpusPerServer=4 --experts=8 --topK=4 --tokens=16 --transport=udp \
    --routing=node-limited --maxServers=1 --fabric=all --algorithm=greedy --idealBest=false \
    --outputDir=\"$d/$run\" --json=\"$d/$run/run.json\"
done
for f in servers.csv planes.csv run.json; do cmp \"$d/a/$f\" \"$d/b/$f\"; done
/usr/bin/python3 - \"$d/a\" <<'EOF'
import csv, json, sys
runs = json.load(open(sys.argv[1] + '/run.json'))
rows = list(csv.DictReader(open(sys.argv[1] + '/servers.csv')))
assert len(runs) == 2 and len(rows) == 4, (len(runs), len(rows))
keys = ['nic_send_bytes', 'nic_receive_bytes', 'nvlink_out_bytes', 'nvlink_in_bytes']
for r in runs:
    assert r['max_servers'] == 1, r['max_servers']
    mine = [x for x in rows if (x['fabric'], x['algorithm']) == (r['fabric'], r['algorithm'])]
    assert [int(x['server']) for x in mine] == [0, 1]
    for s, x in zip(r['servers'], mine):
        assert s['server'] == int(x['server']) and all(s[k] == int(x[k]) for k in keys), (s, x)
    assert sum(s['nic_send_bytes'] for s in r['servers']) == r['nic_bytes'] > 0
    assert sum(s['nvlink_out_bytes'] for s in r['servers']) == r['nvlink_bytes'] > 0
print('servers-ok')
EOF" $<TARGET_FILE:photonic-moe-layer>)
set_tests_properties(layer-cli-cluster-servers PROPERTIES PASS_REGULAR_EXPRESSION "servers-ok")

# The JSON carries the scheduler's prediction for OCS runs (run and per layer, consistent with
# the simulated layer time) and auto's choice; the ideal fabric's run has neither.
add_test(NAME layer-cli-json-prediction
         COMMAND sh -c "set -e
d=$(mktemp -d)
trap 'rm -rf \"$d\"' EXIT
\"$0\" --quiet --gpus=4 --experts=8 --tokens=64 --layers=2 --algorithms=auto,greedy \
  --fabric=all --idealBest=false --outputDir=none --json=\"$d/r.json\"
/usr/bin/python3 - \"$d/r.json\" <<'EOF'
import json, sys
runs = {r['fabric'] + ':' + r['algorithm']: r for r in json.load(open(sys.argv[1]))}
assert set(runs) == {'ocs:auto', 'ocs:greedy', 'ideal:ideal'}, sorted(runs)
for name, r in runs.items():
    ocs = r['fabric'] == 'ocs'
    for o in [r] + r['per_layer']:
        assert ('predicted_layer_time_ns' in o) == ocs, name
        assert ('auto_choice' in o) == (name == 'ocs:auto'), name
        if ocs:
            assert o['predicted_layer_time_ns'] > 0, name
            ratio = o['layer_time_ns'] / o['predicted_layer_time_ns']
            assert abs(o['predicted_vs_simulated'] - ratio) < 1e-9, name
    if ocs:
        assert r['predicted_layer_time_ns'] == sum(
            l['predicted_layer_time_ns'] for l in r['per_layer']), name
a = runs['ocs:auto']
assert a['auto_configurations'] == sum(l['dispatch_matchings'] for l in a['per_layer'])
for l in a['per_layer']:
    assert l['auto_configurations'] == l['dispatch_matchings']
    assert ' K=%d' % l['auto_configurations'] in l['auto_choice'], l['auto_choice']
print('prediction-fields-ok')
EOF" $<TARGET_FILE:photonic-moe-layer>)
set_tests_properties(layer-cli-json-prediction PROPERTIES
                     PASS_REGULAR_EXPRESSION "prediction-fields-ok")

# A routing log read by the layer driver (--traceFormat, --traceImport) gives the same JSON as
# the trace photonic-moe-trace-import writes from it (doc/trace-import.rst).
set(PMOE_LAYER_TRACE_RUN
    "--quiet --gpus=4 --experts=8 --topK=2 --hidden=1024 --layers=2 --routing=trace")
add_test(NAME layer-cli-trace-import-matches-converter
         COMMAND sh -c "set -e
d=$(mktemp -d)
trap 'rm -rf \"$d\"' EXIT
log=${CMAKE_CURRENT_SOURCE_DIR}/data/traces/example-vllm-routing.jsonl
\"$1\" --quiet --format=jsonl --gpus=4 --experts=8 --skipTokens=4 --padExpert=-1 \"$log\" \
  > \"$d/log.trace\"
cp \"$log\" \"$d/log.trace.jsonl\"
\"$0\" ${PMOE_LAYER_TRACE_RUN} --trace=\"$d/log.trace\" --outputDir=none --json=\"$d/a.json\"
\"$0\" ${PMOE_LAYER_TRACE_RUN} --trace=\"$d/log.trace.jsonl\" --traceFormat=jsonl \
  --traceImport=skipTokens=4,padExpert=-1 --outputDir=none --json=\"$d/b.json\"
sed 's/log.trace.jsonl/log.trace/' \"$d/b.json\" | cmp - \"$d/a.json\"
echo same-json" $<TARGET_FILE:photonic-moe-layer> $<TARGET_FILE:photonic-moe-trace-import>)
set_tests_properties(layer-cli-trace-import-matches-converter PROPERTIES
                     PASS_REGULAR_EXPRESSION "same-json")

# Every attribute and trace source registered by the module's classes is documented in the
# manual (the pages in doc/); the names come from ns-3's TypeId registry.
add_executable(photonic-moe-doc-check test/doc/attribute-doc-check.cc)
target_link_libraries(photonic-moe-doc-check PRIVATE photonic-moe)
target_compile_options(photonic-moe-doc-check PRIVATE ${PMOE_WARNINGS})
add_test(NAME manual-documents-every-attribute
         COMMAND photonic-moe-doc-check ${CMAKE_CURRENT_SOURCE_DIR}/doc)

# Everything the CTest tests above run; scripts/sanitize.sh builds this one target.
add_custom_target(photonic-moe-ctest-deps)
add_dependencies(photonic-moe-ctest-deps photonic-moe-schedule photonic-moe-trace-import
                 photonic-moe-core-tests
                 photonic-moe-test-runner photonic-moe-layer photonic-moe-doc-check)
