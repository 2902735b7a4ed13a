# Precompiled headers (SQLMEASURE_PCH): the header-only libraries a target uses — CLI11,
# nlohmann_json, toml++, Catch2 — and fmt, parsed once per target instead of once per source
# file. Each target precompiles only what its own links allow, so the PCH never hands a module
# a library it may not use (scripts/check-structure).
# On by default with clang and no compiler cache, where parsing is most of the instrumented
# tree's time (a cold build-asan/ 302 s instead of 421 s). Off through ccache: a PCH holds the
# absolute paths of the clone that built it, so every file that includes it misses the cache
# in the next clone, and CI always builds a fresh one (its warm sanitizer stage stayed at
# ~510 s with it). Off with gcc, which gains 6 % at -O2 (368 s instead of 393 s) and, given
# precompiled standard headers, reports false -Warray-bounds inside std::string that -Werror
# turns into errors (docs/performance.md, "Build and CI time").
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(SQLMEASURE_PCH_DEFAULT ON)
else()
  set(SQLMEASURE_PCH_DEFAULT OFF)
endif()
option(SQLMEASURE_PCH "Precompile fmt and the header-only libraries of each target"
  ${SQLMEASURE_PCH_DEFAULT})

if(SQLMEASURE_PCH AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # Without a timestamp in the PCH, ccache can reuse what includes it.
  add_compile_options("SHELL:-Xclang -fno-pch-timestamp")
endif()

function(sqlmeasure_precompile target)
  if(NOT SQLMEASURE_PCH)
    return()
  endif()
  set(headers <fmt/format.h> <string> <vector> <map> <optional> <functional>)
  get_target_property(libraries ${target} LINK_LIBRARIES)
  foreach(pair "CLI11::CLI11=<CLI/CLI.hpp>" "nlohmann_json::nlohmann_json=<nlohmann/json.hpp>"
               "tomlplusplus::tomlplusplus=<toml++/toml.h>" "Catch2::Catch2=<catch2/catch.hpp>")
    string(REPLACE "=" ";" pair "${pair}")
    list(GET pair 0 library)
    list(GET pair 1 header)
    if(library IN_LIST libraries)
      list(APPEND headers ${header})
    endif()
  endforeach()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()
