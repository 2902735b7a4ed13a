// libFuzzer target: any bytes as a results file, through results_from_json. Only
// sqlmeasure::Error (exit 65, naming the file) may come out. A file that is accepted must
// survive a round trip: written again with results_to_json and read back, it gives the
// same JSON text (the format is a public contract that scripts build on).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sqlmeasure/error.h"
#include "sqlmeasure/results_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sqlmeasure::RunResult run;
  try {
    run = sqlmeasure::results_from_json(text, "fuzz.json");
  } catch (const sqlmeasure::Error& error) {
    if (error.code() != sqlmeasure::ExitCode::kBadInput) std::abort();
    if (std::string(error.what()).find("fuzz.json") == std::string::npos) std::abort();
    return 0;
  }
  const std::string written = sqlmeasure::results_to_json(run);
  sqlmeasure::RunResult again;
  try {
    again = sqlmeasure::results_from_json(written, "rewritten.json");
  } catch (const sqlmeasure::Error&) {
    std::abort();  // what we write, we must read
  }
  if (sqlmeasure::results_to_json(again) != written) std::abort();
  return 0;
}
