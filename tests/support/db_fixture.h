#pragma once
// The real-server side of the tests. The server is the sandbox (scripts/sandbox start) or
// the socket in SQLMEASURE_TEST_SOCKET. Outside CI a missing server is a clear skip
// message; with CI=true it is a failure, so db tests never silently skip in CI.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sqlmeasure/connection.h"

namespace sqlmeasure::testing {

// The test server's socket, or empty when none answers.
[[nodiscard]] std::string test_socket();
[[nodiscard]] bool in_ci();
[[nodiscard]] std::string source_dir();  // the repository root

[[nodiscard]] ConnectionOptions server_options(const std::string& database = "",
                                               bool read_only = false);

// $name, or `fallback` when it is unset or empty.
[[nodiscard]] std::string env_or(const char* name, const std::string& fallback);
// The test server over TCP, for the TLS tests: $SANDBOX_PORT (scripts/sandbox env), else
// 33066; the endpoint 127.0.0.1:PORT; and tls/ beside the socket, where scripts/sandbox
// keeps its CA and certificates.
[[nodiscard]] unsigned sandbox_port();
[[nodiscard]] std::string sandbox_endpoint();
[[nodiscard]] std::filesystem::path sandbox_tls_dir();

// A database of its own for one test, made afresh and dropped when the test ends.
class TestDatabase {
 public:
  // Named sqlm_t_<purpose>_<pid>_<n>.
  explicit TestDatabase(const std::string& purpose);
  // Named exactly `name`: for a golden case, whose recorded command names it with -D.
  struct ExactName {
    std::string name;
  };
  explicit TestDatabase(const ExactName& exact);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] Connection& admin() { return *admin_; }  // read-write, multi-statements
  [[nodiscard]] std::unique_ptr<Connection> connect(bool read_only = true) const;
  void run_script(const std::string& sql);  // statements separated by ';'
  void run_file(const std::string& path);   // throws when the file cannot be read
  // scenarios/demo loaded at a small scale into this database.
  void load_demo(double scale = 0.01);
  // SHOW CREATE TABLE of every table (by name), concatenated: the schema's fingerprint.
  // Index lines are sorted: a dropped and re-added index comes back last, meaning the same.
  [[nodiscard]] std::string schema_fingerprint();

 private:
  std::string name_;
  std::unique_ptr<Connection> admin_;
};

}  // namespace sqlmeasure::testing

// At the top of a db test: fails in CI without a server; elsewhere warns and returns.
#define SQLMEASURE_REQUIRE_SERVER()                                                                \
  do {                                                                                             \
    if (::sqlmeasure::testing::test_socket().empty()) {                                            \
      if (::sqlmeasure::testing::in_ci()) FAIL("no test server in CI: run scripts/sandbox start"); \
      WARN("skipped: no server, run scripts/sandbox start (or set SQLMEASURE_TEST_SOCKET)");       \
      return;                                                                                      \
    }                                                                                              \
  } while (false)
