# SPDX-License-Identifier: GPL-2.0-only
#
# Google Benchmark of the scheduling core (benchmarks, never timed tests).

file(GLOB PMOE_BENCH_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/bench/*.cc)
if(PMOE_BENCH_SOURCES)
  add_executable(photonic-moe-bench ${PMOE_BENCH_SOURCES})
  target_link_libraries(photonic-moe-bench PRIVATE photonic-moe-core benchmark::benchmark_main)
  target_compile_options(photonic-moe-bench PRIVATE ${PMOE_WARNINGS})
endif()
