// libFuzzer target: any bytes as a journal (docs/safety.md §3: a journal is input, it travels
// as a CI artifact), through journal_from_text. Only sqlmeasure::Error (exit 65, naming the
// file) may come out. A journal that is accepted survives a round trip: written again and
// read back, it gives the same text, and the rewritten one is not "edited".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sqlmeasure/error.h"
#include "sqlmeasure/journal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sqlmeasure::Journal journal;
  try {
    journal = sqlmeasure::journal_from_text(text, "fuzz.json");
  } catch (const sqlmeasure::Error& error) {
    if (error.code() != sqlmeasure::ExitCode::kBadInput) std::abort();
    if (std::string(error.what()).find("fuzz.json") == std::string::npos) std::abort();
    return 0;
  }
  const std::string written = sqlmeasure::journal_to_text(journal);
  sqlmeasure::Journal again;
  try {
    again = sqlmeasure::journal_from_text(written, "rewritten.json");
  } catch (const sqlmeasure::Error&) {
    std::abort();  // what we write, we must read
  }
  if (again.edited || sqlmeasure::journal_to_text(again) != written) std::abort();
  return 0;
}
