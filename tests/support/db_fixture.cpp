#include "support/db_fixture.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "sqlmeasure/error.h"
#include "sqlmeasure/schema_snapshot.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure::testing {

std::string source_dir() { return SQLMEASURE_SOURCE_DIR; }

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::string test_socket() {
  static const std::string socket = [] {
    const char* env = std::getenv("SQLMEASURE_TEST_SOCKET");
    std::string path = env != nullptr ? env : source_dir() + "/.sandbox/mysqld.sock";
    if (!std::filesystem::exists(path)) return std::string();
    try {
      ConnectionOptions options;
      options.socket = path;
      options.user = "root";
      options.read_only = false;
      (void)connect(options);
      return path;
    } catch (const Error&) {
      return std::string();
    }
  }();
  return socket;
}

ConnectionOptions server_options(const std::string& database, bool read_only) {
  ConnectionOptions options;
  options.socket = test_socket();
  options.user = "root";
  options.password = std::string();  // the sandbox root has none; ignore MYSQL_PWD
  if (!database.empty()) options.database = database;
  options.read_only = read_only;
  return options;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] != '\0' ? value : fallback;
}

unsigned sandbox_port() {
  return static_cast<unsigned>(std::stoul(env_or("SANDBOX_PORT", "33066")));
}

std::string sandbox_endpoint() { return "127.0.0.1:" + std::to_string(sandbox_port()); }

std::filesystem::path sandbox_tls_dir() {
  return std::filesystem::path(test_socket()).parent_path() / "tls";
}

namespace {

std::string numbered_name(const std::string& purpose) {
  static int counter = 0;
  return "sqlm_t_" + purpose + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

}  // namespace

TestDatabase::TestDatabase(const std::string& purpose)
    : TestDatabase(ExactName{numbered_name(purpose)}) {}

TestDatabase::TestDatabase(const ExactName& exact) : name_(exact.name) {
  ConnectionOptions options = server_options();
  options.multi_statements = true;
  admin_ = sqlmeasure::connect(options);
  admin_->execute("DROP DATABASE IF EXISTS `" + name_ + "`");
  admin_->execute("CREATE DATABASE `" + name_ + "` CHARACTER SET utf8mb4");
  admin_->execute("USE `" + name_ + "`");
}

TestDatabase::~TestDatabase() {
  try {
    admin_->execute("DROP DATABASE IF EXISTS `" + name_ + "`");
  } catch (const Error&) {
    // The server may be gone (fault-injection tests); nothing left to clean then.
  }
}

std::unique_ptr<Connection> TestDatabase::connect(bool read_only) const {
  return sqlmeasure::connect(server_options(name_, read_only));
}

void TestDatabase::run_script(const std::string& sql) {
  for (const SqlStatement& statement : split_statements(sql, "<test script>")) {
    admin_->execute(statement.text);
  }
}

void TestDatabase::run_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::kRuntime, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  for (const SqlStatement& statement : split_statements(text.str(), path)) {
    admin_->execute(statement.text);
  }
}

void TestDatabase::load_demo(double scale) {
  // The loader's chatter goes to a log that only an error shows.
  std::string log = std::filesystem::temp_directory_path() / (name_ + "-load.log");
  std::string command = "SANDBOX_QUIET=1 '" + source_dir() + "/scenarios/demo/load' --scale " +
                        std::to_string(scale) + " --database " + name_ + " >'" + log + "' 2>&1";
  // The loader splits MYSQL_CLIENT on blanks and keeps quotes literally: no quoting here.
  std::string client = "mariadb --no-defaults -S " + test_socket() + " -u root";
  ::setenv("MYSQL_CLIENT", client.c_str(), 1);
  int status = std::system(command.c_str());
  std::ifstream in(log);
  std::stringstream output;
  output << in.rdbuf();
  std::filesystem::remove(log);
  if (status != 0) {
    throw Error(ExitCode::kRuntime, "loading the demo failed: " + command + "\n" + output.str());
  }
  admin_->execute("USE `" + name_ + "`");
}

// The definitions as a live compare's snapshot compares them (index order and the
// AUTO_INCREMENT counter aside), so a test checks what the tool itself checks.
std::string TestDatabase::schema_fingerprint() {
  std::string fingerprint;
  ResultSet tables = admin_->query(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
      "TABLE_SCHEMA = " +
      admin_->quote(name_) + " ORDER BY 1");
  for (const auto& row : tables.rows) {
    ResultSet create = admin_->query("SHOW CREATE TABLE " + quote_identifier(name_) + "." +
                                     quote_identifier(*row[0]));
    fingerprint += comparable_definition(*create.rows[0][1]) + ";\n";
  }
  return fingerprint;
}

}  // namespace sqlmeasure::testing
