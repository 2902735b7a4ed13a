#pragma once
// Recording a CLI golden case's server (SQLMEASURE_RECORD_GOLDEN=1): for a case with a
// server.sql, a fresh database golden_<case> ('-' becomes '_'; the case's cmd names it with
// -D) is loaded with server.sql on the test server, the cmd runs in-process with
// `-S SOCKET -u root` appended and every connection recorded, the recording is written to
// server.json beside it, and the database is dropped.
#include <filesystem>
#include <string>
#include <vector>

#include "support/cli_runner.h"

namespace sqlmeasure::testing {

[[nodiscard]] std::string golden_database(const std::string& case_name);

// Records the case in `case_dir` (its working directory) into case_dir/server.json and
// returns what the tool printed meanwhile. Throws std::runtime_error without a server.
[[nodiscard]] CliResult record_golden_case(const std::filesystem::path& case_dir,
                                           const std::string& case_name,
                                           const std::vector<std::string>& args);

}  // namespace sqlmeasure::testing
