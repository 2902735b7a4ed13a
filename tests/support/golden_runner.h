#pragma once
// CLI golden tests, run in-process by tests/cli/golden_test.cpp ([cli]). Every directory
// tests/cli/<case>/ that has a `cmd` file is one case:
//
//   cmd          the arguments to sqlmeasure, ONE PER LINE, taken literally: no shell, so no
//                quoting, globbing or variables ('work_*' is passed as is). Blank lines are
//                skipped; an empty `cmd` runs sqlmeasure without arguments.
//   stdout       the expected standard output    (missing: expect nothing)
//   stderr       the expected standard error     (missing: expect nothing)
//   exit         the expected exit code          (missing: expect 0)
//   server.json  a recorded server (support/recording.h): every connection the case opens
//                replays it (support/recorded_connection.h), so no server is needed
//   server.sql   the schema and data server.json is recorded from (support/golden_recorder.h)
//   ...          any inputs the case needs (scenarios/, sqlmeasure.toml, results files).
//                Inputs shared by several cases live in tests/cli/data/ (it has no `cmd`).
//
// tests/cli is copied once to a scratch directory and the cases run there, each with its
// directory as working directory and the fixed environment of support/golden_environment.h:
// no case writes into the source tree (`run -o results.json`), and ../data/... still works.
// Nothing is normalised: the inputs are checked in, so the output is byte-for-byte
// deterministic.
//
// The test binary reads:
//   SQLMEASURE_GOLDEN_CASE=a,b   run only these cases
//   SQLMEASURE_UPDATE_GOLDEN=1   rewrite stdout, stderr and exit in the source tree from what
//                                sqlmeasure prints now (review the diff!); empty outputs and
//                                exit 0 are stored as missing files
//   SQLMEASURE_RECORD_GOLDEN=1   first record server.json again for every case with a
//                                server.sql, against the test server (SQLMEASURE_TEST_SOCKET)
#include <filesystem>
#include <string>
#include <vector>

#include "support/cli_runner.h"

namespace sqlmeasure::testing {

struct GoldenSettings {
  std::filesystem::path source;   // tests/cli in the source tree: expectations, recordings
  std::filesystem::path scratch;  // its copy, where the cases run
  bool update = false;
  bool record = false;
};

// True when the environment variable is set to 1.
[[nodiscard]] bool env_flag(const char* name);

// The cases under `root` (directories with a `cmd`), by name; only those named in
// SQLMEASURE_GOLDEN_CASE when it is set, unknown names included (they fail as such).
[[nodiscard]] std::vector<std::string> golden_case_names(const std::filesystem::path& root);

// The arguments in a `cmd` file: one per line, blank lines skipped.
[[nodiscard]] std::vector<std::string> read_golden_args(const std::filesystem::path& cmd);

// Runs sqlmeasure in-process in `case_dir`, in the golden environment.
[[nodiscard]] CliResult run_golden(const std::filesystem::path& case_dir,
                                   const std::vector<std::string>& args,
                                   const Connector& connect = {});

// Runs one case (recording it first, updating its expectations after, as the settings say).
// Returns what is wrong, naming the case and its arguments; empty when it passed.
[[nodiscard]] std::string run_golden_case(const GoldenSettings& settings, const std::string& name);

}  // namespace sqlmeasure::testing
