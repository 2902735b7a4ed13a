#include "support/golden_recorder.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "sqlmeasure/error.h"
#include "sqlmeasure/sql_statements.h"
#include "support/db_fixture.h"
#include "support/golden_runner.h"
#include "support/recorded_connection.h"

namespace sqlmeasure::testing {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The case's database, loaded from server.sql on a read-write connection, and dropped when
// the recording is over (also when it failed).
class LoadedDatabase {
 public:
  LoadedDatabase(const std::string& name, const std::filesystem::path& script) : name_(name) {
    ConnectionOptions options = server_options();
    options.multi_statements = true;
    admin_ = sqlmeasure::connect(options);
    admin_->execute("DROP DATABASE IF EXISTS `" + name_ + "`");
    admin_->execute("CREATE DATABASE `" + name_ + "` CHARACTER SET utf8mb4");
    admin_->execute("USE `" + name_ + "`");
    for (const SqlStatement& statement : split_statements(read_file(script), script.string())) {
      admin_->execute(statement.text);
    }
  }
  ~LoadedDatabase() {
    try {
      admin_->execute("DROP DATABASE IF EXISTS `" + name_ + "`");
    } catch (const Error&) {
      // The server went away: nothing left to clean.
    }
  }
  LoadedDatabase(const LoadedDatabase&) = delete;
  LoadedDatabase& operator=(const LoadedDatabase&) = delete;

 private:
  std::string name_;
  std::unique_ptr<Connection> admin_;
};

}  // namespace

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
  const LoadedDatabase database(golden_database(case_name), case_dir / "server.sql");
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
