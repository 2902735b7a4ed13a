# Sourced by scripts/sanitize and scripts/fuzz: the one instrumented tree, build-asan/ — clang
# with AddressSanitizer, LeakSanitizer, UBSan and libFuzzer's coverage feedback on every module
# (-DSQLMEASURE_SANITIZE=ON -DSQLMEASURE_FUZZ=ON) — configured and brought up to date with the
# sanitized test binary and the fuzz targets, whichever script runs first (docs/safety.md §6-7).
# Warnings are gated by the ordinary build (scripts/build, -Werror in CI).
# Sets instrumented_build (the directory) and fuzz_targets.
instrumented_build=build-asan
fuzz_targets=(fuzz_scenario_loader fuzz_sql_splitter fuzz_results_reader fuzz_log_capture fuzz_journal_reader)

build_instrumented_tree() {
  local clang=${CXX_SANITIZE:-} candidate
  if [ -z "$clang" ]; then
    for candidate in clang++ clang++-14 clang++-15 clang++-16; do
      if command -v "$candidate" >/dev/null 2>&1; then clang=$(command -v "$candidate"); break; fi
    done
  fi
  [ -n "$clang" ] || { echo "$0: clang++ not found; run scripts/install-deps" >&2; return 2; }
  . scripts/lib/compiler-cache.sh
  CXX="$clang" cmake -S . -B "$instrumented_build" -DSQLMEASURE_SANITIZE=ON -DSQLMEASURE_FUZZ=ON \
    -DSQLMEASURE_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DSQLMEASURE_DB_TESTS=${SQLMEASURE_DB_TESTS:-[db]~[long]}" "${compiler_cache[@]}" \
    >"$instrumented_build.configure.log" 2>&1 \
    || { cat "$instrumented_build.configure.log" >&2; return 2; }
  rm -f "$instrumented_build.configure.log"
  cmake --build "$instrumented_build" -j"${SANITIZE_JOBS:-$(nproc)}" \
    --target sqlmeasure sqlmeasure_tests "${fuzz_targets[@]}"
}
