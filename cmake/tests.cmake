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
                                   PMOE_CLI="$<TARGET_FILE:photonic-moe-schedule>")
add_dependencies(photonic-moe-core-tests photonic-moe-schedule)
# LEMON (Debian: liblemon-dev) is an optional oracle for the general-graph matching test only.
find_path(PMOE_LEMON_INCLUDE lemon/matching.h)
if(PMOE_LEMON_INCLUDE)
  target_compile_definitions(photonic-moe-core-tests PRIVATE PMOE_HAVE_LEMON=1)
  target_include_directories(photonic-moe-core-tests SYSTEM PRIVATE ${PMOE_LEMON_INCLUDE})
endif()
include(GoogleTest)
gtest_discover_tests(photonic-moe-core-tests DISCOVERY_TIMEOUT 60)

# The suite sources are compiled into the runner itself: static registrars in a shared
# library can be dropped by --as-needed.
add_executable(photonic-moe-test-runner test/ns3/test-runner-main.cc ${PMOE_NS3_TEST_SOURCES})
target_link_libraries(photonic-moe-test-runner PRIVATE photonic-moe)
target_compile_options(photonic-moe-test-runner PRIVATE ${PMOE_WARNINGS})
add_test(NAME ns3-suite-photonic-moe
         COMMAND photonic-moe-test-runner --suite=photonic-moe --verbose)
