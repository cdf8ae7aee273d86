# SPDX-License-Identifier: GPL-2.0-only
#
# libFuzzer targets (-DPMOE_FUZZ=ON with clang; see doc/validation.rst and scripts/fuzz.sh).
# The scheduling core is compiled into every target with the same sanitizer flags; nothing
# of ns-3 is needed. Included from cmake/standalone.cmake, which then builds nothing else.
#
# Targets: fuzz-matrix-parser, fuzz-trace-parser, fuzz-trace-import, fuzz-schedule-json,
# fuzz-cli-options.

set(PMOE_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -g)
set(PMOE_FUZZ_LINK_FLAGS -fsanitize=fuzzer,address,undefined)

# The core, instrumented once and shared by the targets.
add_library(pmoe-fuzz-core OBJECT ${PMOE_CORE_SOURCES})
target_include_directories(pmoe-fuzz-core PUBLIC ${PMOE_INCLUDE_DIR}
                                                 ${CMAKE_CURRENT_SOURCE_DIR}/model/scheduling)
target_link_libraries(pmoe-fuzz-core PUBLIC nlohmann_json::nlohmann_json)
target_compile_options(pmoe-fuzz-core PRIVATE ${PMOE_WARNINGS} ${PMOE_FUZZ_FLAGS})

# The CLI's option parser, instrumented the same way.
add_library(pmoe-fuzz-cli OBJECT utils/schedule-cli-options.cc)
target_link_libraries(pmoe-fuzz-cli PUBLIC pmoe-fuzz-core Boost::program_options)
target_compile_options(pmoe-fuzz-cli PRIVATE ${PMOE_WARNINGS} ${PMOE_FUZZ_FLAGS})

foreach(t matrix-parser trace-parser trace-import schedule-json cli-options)
  add_executable(fuzz-${t} fuzz/fuzz-${t}.cc $<TARGET_OBJECTS:pmoe-fuzz-core>)
  target_link_libraries(fuzz-${t} PRIVATE pmoe-fuzz-core)
  target_compile_options(fuzz-${t} PRIVATE ${PMOE_WARNINGS} ${PMOE_FUZZ_FLAGS})
  target_link_options(fuzz-${t} PRIVATE ${PMOE_FUZZ_LINK_FLAGS})
endforeach()
target_sources(fuzz-cli-options PRIVATE $<TARGET_OBJECTS:pmoe-fuzz-cli>)
target_link_libraries(fuzz-cli-options PRIVATE Boost::program_options)
target_include_directories(fuzz-cli-options PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/utils)
