# -*- Mode: python; py-indent-offset: 4; indent-tabs-mode: nil; coding: utf-8; -*-
# SPDX-License-Identifier: GPL-2.0-only
#
# waf build for waf-era ns-3 (3.35 and earlier): drop the module into contrib/photonic-moe.
# The source lists are read from cmake/sources.cmake and examples/CMakeLists.txt so that the
# CMake and waf builds can never disagree.

import os
import re

DEPS = ['core', 'network', 'internet', 'applications', 'traffic-control', 'flow-monitor']


def read_cmake_lists(path):
    """Return {NAME: [items]} for every set(NAME item...) in a CMake file."""
    text = open(path).read()
    text = re.sub(r'#[^\n]*', '', text)
    lists = {}
    for m in re.finditer(r'set\(\s*(\w+)([^)]*)\)', text):
        lists[m.group(1)] = m.group(2).split()
    return lists


def configure(conf):
    have_json = conf.check_cxx(header_name='nlohmann/json.hpp', mandatory=False,
                               msg='Checking for nlohmann/json.hpp (photonic-moe)')
    conf.env['ENABLE_PMOE'] = bool(have_json)
    conf.report_optional_feature('photonic-moe', 'photonic-moe', conf.env['ENABLE_PMOE'],
                                 'nlohmann-json3-dev not found')
    if not conf.env['ENABLE_PMOE']:
        conf.env['MODULES_NOT_BUILT'].append('photonic-moe')


def build(bld):
    if 'photonic-moe' in bld.env['MODULES_NOT_BUILT']:
        return
    lists = {}
    for name in ('sources-scheduling.cmake', 'sources-rdma.cmake', 'sources.cmake'):
        lists.update(read_cmake_lists(os.path.join(bld.path.abspath(), 'cmake', name)))
    module = bld.create_ns3_module('photonic-moe', DEPS)
    module.source = (lists['PMOE_CORE_SOURCES'] + lists.get('PMOE_NS3_SOURCES', []) +
                     lists.get('PMOE_RDMA_SOURCES', []))
    module_test = bld.create_ns3_module_test_library('photonic-moe')
    module_test.source = lists['PMOE_NS3_TEST_SOURCES'] + lists.get('PMOE_RDMA_TEST_SOURCES', [])
    headers = bld(features='ns3header')
    headers.module = 'photonic-moe'
    headers.source = (lists['PMOE_CORE_HEADERS'] + lists.get('PMOE_NS3_HEADERS', []) +
                      lists.get('PMOE_RDMA_HEADERS', []))
    if bld.env.ENABLE_EXAMPLES:
        bld.recurse('examples')
