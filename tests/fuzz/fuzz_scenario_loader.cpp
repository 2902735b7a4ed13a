// libFuzzer target: any bytes, as a NAME.toml and as a NAME.sql screen file, through
// load_screen_file. The only exception allowed out of the loader is sqlmeasure::Error, and
// its message must name the file; anything else (another exception, a crash, a sanitizer
// report) is a bug. Built by tests/fuzz/CMakeLists.txt (-DSQLMEASURE_FUZZ=ON), run by
// scripts/fuzz.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "sqlmeasure/error.h"
#include "sqlmeasure/scenario_loader.h"

namespace {

// The input as a file, loaded, and removed again: libFuzzer ends with _Exit, so nothing
// may be left for an exit handler to clean.
void load(const std::string& path, const uint8_t* data, size_t size, bool allow_writes) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  sqlmeasure::LoadOptions options;
  options.allow_writes = allow_writes;
  try {
    sqlmeasure::Screen screen = sqlmeasure::load_screen_file(path, options);
    if (screen.queries.empty()) std::abort();  // the loader promises at least one query
  } catch (const sqlmeasure::Error& error) {
    if (error.code() != sqlmeasure::ExitCode::kBadInput) std::abort();
    if (std::string(error.what()).find(path) == std::string::npos) std::abort();
  }
  std::remove(path.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string base =
      (std::filesystem::temp_directory_path() / ("sqlm_fuzz_screen_" + std::to_string(::getpid())))
          .string();
  // The last byte's low bit picks --allow-writes, so both loader paths are explored.
  const bool allow_writes = size > 0 && (data[size - 1] & 1) != 0;
  load(base + ".toml", data, size, allow_writes);
  load(base + ".sql", data, size, allow_writes);
  return 0;
}
