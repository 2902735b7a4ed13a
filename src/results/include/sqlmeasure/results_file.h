#pragma once
// The results file: versioned JSON, documented in docs/results-format.md. A public
// contract that scripts build on; readers refuse foreign or unknown-version files.
#include <ostream>
#include <string>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

[[nodiscard]] std::string results_to_json(const RunResult& run);
// The same text, streamed (the samples arrays are never held as one string).
void write_results_json(const RunResult& run, std::ostream& out);
// `origin` names the file in error messages. Throws Error(kBadInput).
[[nodiscard]] RunResult results_from_json(const std::string& text, const std::string& origin);

// Written to a temporary file beside `path`, then renamed: never half-written.
void write_results_file(const RunResult& run, const std::string& path);
[[nodiscard]] RunResult read_results_file(const std::string& path);

// Plans recorded elsewhere (production's, for --against and --plans-from): a results file, or
// the JSON of `explain --format json` read into a run of screens, queries, SQL, rows examined
// and plans only. Throws Error(kBadInput) naming the file and the JSON path at fault.
[[nodiscard]] RunResult plans_from_json(const std::string& text, const std::string& origin);
[[nodiscard]] RunResult read_plans_file(const std::string& path);

}  // namespace sqlmeasure
