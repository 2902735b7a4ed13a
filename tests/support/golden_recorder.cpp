#include "support/golden_recorder.h"

#include <fstream>
#include <stdexcept>

#include "support/db_fixture.h"
#include "support/golden_runner.h"
#include "support/recorded_connection.h"

namespace sqlmeasure::testing {

std::string golden_database(const std::string& case_name) {
  std::string name = "golden_" + case_name;
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

CliResult record_golden_case(const std::filesystem::path& case_dir, const std::string& case_name,
                             const std::vector<std::string>& args) {
  const std::string socket = test_socket();
  if (socket.empty()) {
    throw std::runtime_error(
        "SQLMEASURE_RECORD_GOLDEN=1 needs a server: scripts/sandbox start, "
        "or set SQLMEASURE_TEST_SOCKET");
  }
  // Dropped when the recording is over (also when it failed).
  TestDatabase database(TestDatabase::ExactName{golden_database(case_name)});
  database.run_file((case_dir / "server.sql").string());
  std::vector<std::string> with_server = args;
  with_server.insert(with_server.end(), {"-S", socket, "-u", "root"});
  Recorder recorder;
  CliResult result = run_golden(case_dir, with_server, recorder.connector(sqlmeasure::connect));
  std::ofstream out(case_dir / "server.json", std::ios::binary | std::ios::trunc);
  out << recording_to_json(recorder.recording());
  if (!out.good()) throw std::runtime_error("cannot write " + (case_dir / "server.json").string());
  return result;
}

}  // namespace sqlmeasure::testing
