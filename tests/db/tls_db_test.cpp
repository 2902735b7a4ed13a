// TLS against the sandbox (scripts/sandbox start makes a CA, a server certificate for
// localhost/127.0.0.1 and an unrelated wrong-ca.pem). What each --ssl-mode checks, with
// MariaDB Connector/C 3.3 underneath:
//   VERIFY_CA        the chain, against --ssl-ca; any host name
//   VERIFY_IDENTITY  the chain, and the host name against the certificate's SAN/CN
//   REQUIRED         encryption only
// and what a failed verification says (docs/safety.md).
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "sqlmeasure/cli.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/results_file.h"
#include "support/cli_runner.h"
#include "support/db_fixture.h"
#include "support/temp_dir.h"

using namespace sqlmeasure;
namespace fs = std::filesystem;

namespace {

// The sandbox's certificates: SANDBOX_SSL_CA / SANDBOX_WRONG_CA (scripts/sandbox env), else
// tls/ beside the test server's socket.
struct Pki {
  std::string ca, wrong_ca;
};

Pki sandbox_pki() {
  const fs::path tls = testing::sandbox_tls_dir();
  return {testing::env_or("SANDBOX_SSL_CA", (tls / "ca.pem").string()),
          testing::env_or("SANDBOX_WRONG_CA", (tls / "wrong-ca.pem").string())};
}

ConnectionOptions tcp_options(SslMode mode, const std::optional<std::string>& ca,
                              const std::string& host = "127.0.0.1") {
  ConnectionOptions options;
  options.host = host;
  options.port = testing::sandbox_port();
  options.user = "root";
  options.password = std::string();  // the sandbox root has none; ignore MYSQL_PWD
  options.read_only = true;
  options.ssl_mode = mode;
  options.ssl_ca = ca;
  options.connect_timeout_s = 5;
  return options;
}

std::string status_value(Connection& connection, const std::string& name) {
  ResultSet status = connection.query("SHOW SESSION STATUS LIKE '" + name + "'");
  if (status.rows.empty() || !status.rows[0][1]) return "";
  return *status.rows[0][1];
}

// Whether the sandbox can do TLS here: its certificates exist, the server was started with
// them, and the TCP port reaches the same server as the test socket. Otherwise a skip
// (outside CI) or a failure (in CI) saying what to do.
bool tls_ready() {
  Pki pki = sandbox_pki();
  std::string problem;
  if (!fs::exists(pki.ca) || !fs::exists(pki.wrong_ca)) {
    problem = "no sandbox certificates at " + pki.ca + " (scripts/sandbox start makes them)";
  } else {
    auto socket = connect(testing::server_options());
    if (socket->query("SELECT @@have_ssl").rows.at(0).at(0).value_or("") != "YES") {
      problem = "the sandbox server runs without TLS: scripts/sandbox stop; scripts/sandbox start";
    } else {
      try {
        auto tcp = connect(tcp_options(SslMode::kDisabled, std::nullopt));
        std::string tcp_socket = tcp->query("SELECT @@socket").rows.at(0).at(0).value_or("");
        std::string unix_socket = socket->query("SELECT @@socket").rows.at(0).at(0).value_or("");
        if (tcp_socket != unix_socket) {
          problem = testing::sandbox_endpoint() +
                    " is another server than the test socket: set SANDBOX_PORT";
        }
      } catch (const Error& error) {
        problem =
            "no server on " + testing::sandbox_endpoint() + " (set SANDBOX_PORT): " + error.what();
      }
    }
  }
  if (problem.empty()) return true;
  if (testing::in_ci()) FAIL("TLS tests cannot run: " << problem);
  WARN("TLS tests skipped: " << problem);
  return false;
}

// What connecting throws, or "" when it connects.
struct Refusal {
  bool refused = false;
  bool database_error = false;
  ExitCode code = ExitCode::kOk;
  unsigned error_number = 0;
  std::string message;
};

Refusal try_connect(const ConnectionOptions& options) {
  Refusal refusal;
  try {
    (void)connect(options);
  } catch (const DatabaseError& error) {
    refusal = {true, true, error.code(), error.error_number(), error.what()};
  } catch (const Error& error) {
    refusal = {true, false, error.code(), 0, error.what()};
  }
  return refusal;
}

// Another name of this machine that resolves to 127.0.0.1 but is not in the server
// certificate (which names localhost and 127.0.0.1 only), or "" if there is none.
std::string loopback_alias() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  std::string host = name;
  if (host.empty() || host == "localhost") return "";
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return "";
  bool loopback = false;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    char text[64] = {};
    if (::getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) ==
            0 &&
        std::string(text) == "127.0.0.1") {
      loopback = true;
    }
  }
  ::freeaddrinfo(found);
  return loopback ? host : "";
}

// A scenario directory whose one query returns a row only when its own connection is
// encrypted, and an empty config.
void write_tls_scenarios(const testing::TempDir& dir) {
  dir.write("screens/tls.sql",
            "-- name: encrypted\nSELECT 1 FROM information_schema.SESSION_STATUS\n"
            "WHERE VARIABLE_NAME = 'SSL_CIPHER' AND VARIABLE_VALUE <> '';\n");
  dir.write("empty.toml", "");
}

using sqlmeasure::testing::CliResult;

CliResult run(const std::vector<std::string>& args) {
  return sqlmeasure::testing::run_in_process(args);
}

}  // namespace

TEST_CASE("tls: VERIFY_CA with the sandbox CA connects over TCP, encrypted", "[db][tls]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!tls_ready()) return;
  auto connection = connect(tcp_options(SslMode::kVerifyCa, sandbox_pki().ca));
  CHECK(connection->server().endpoint == testing::sandbox_endpoint());
  CHECK_FALSE(status_value(*connection, "Ssl_cipher").empty());
  CHECK(status_value(*connection, "Ssl_version").starts_with("TLSv1."));
}

TEST_CASE("tls: VERIFY_IDENTITY with the sandbox CA and 127.0.0.1 connects", "[db][tls]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!tls_ready()) return;
  auto connection = connect(tcp_options(SslMode::kVerifyIdentity, sandbox_pki().ca));
  CHECK_FALSE(status_value(*connection, "Ssl_cipher").empty());
}

TEST_CASE("tls: the wrong CA is refused, naming the endpoint", "[db][tls]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!tls_ready()) return;
  for (SslMode mode : {SslMode::kVerifyCa, SslMode::kVerifyIdentity}) {
    Refusal refusal = try_connect(tcp_options(mode, sandbox_pki().wrong_ca));
    INFO("message: " << refusal.message);
    REQUIRE(refusal.refused);
    CHECK(refusal.database_error);
    CHECK(refusal.code == ExitCode::kRuntime);
    CHECK(refusal.error_number == 2026);  // CR_SSL_CONNECTION_ERROR
    // Connector/C 3.3 with OpenSSL 3 says:
    //   [2026] (HY000) TLS/SSL error: self-signed certificate in certificate chain
    CHECK(refusal.message.find("cannot connect to " + testing::sandbox_endpoint()) !=
          std::string::npos);
    CHECK(refusal.message.find("TLS/SSL error") != std::string::npos);
    CHECK(refusal.message.find("certificate") != std::string::npos);
    // The hint is about the certificates, not the password (which is not the problem).
    CHECK(refusal.message.find("TLS handshake failed") != std::string::npos);
    CHECK(refusal.message.find("--ssl-ca (" + sandbox_pki().wrong_ca + ")") != std::string::npos);
    CHECK(refusal.message.find("--ssl-mode") != std::string::npos);
    CHECK(refusal.message.find("password") == std::string::npos);
  }
}

TEST_CASE("tls: a CA file that does not exist is refused", "[db][tls]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!tls_ready()) return;
  Refusal refusal =
      try_connect(tcp_options(SslMode::kVerifyCa, std::string("/nonexistent/sqlm-ca.pem")));
  INFO("message: " << refusal.message);
  REQUIRE(refusal.refused);
  CHECK(refusal.code == ExitCode::kRuntime);
  CHECK(refusal.message.find(testing::sandbox_endpoint()) != std::string::npos);
  CHECK(refusal.message.find("--ssl-ca /nonexistent/sqlm-ca.pem is not a readable file") !=
        std::string::npos);
  CHECK(refusal.message.find("password") == std::string::npos);
}

TEST_CASE("tls: VERIFY_CA skips the host name check, VERIFY_IDENTITY does it", "[db][tls]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!tls_ready()) return;
  std::string alias = loopback_alias();
  if (alias.empty()) {
    WARN("skipped: this machine's name does not resolve to 127.0.0.1");
    return;
  }
  INFO("host name not in the certificate: " << alias);
  auto connection = connect(tcp_options(SslMode::kVerifyCa, sandbox_pki().ca, alias));
  CHECK_FALSE(status_value(*connection, "Ssl_cipher").empty());
  Refusal refusal = try_connect(tcp_options(SslMode::kVerifyIdentity, sandbox_pki().ca, alias));
  INFO("message: " << refusal.message);
  REQUIRE(refusal.refused);
  CHECK(refusal.error_number == 2026);
  // Connector/C 3.3: "TLS/SSL error: Validation of SSL server certificate failed"
  CHECK(refusal.message.find("Validation of SSL server certificate failed") != std::string::npos);
  CHECK(refusal.message.find(alias + ":" + std::to_string(testing::sandbox_port())) !=
        std::string::npos);
}

TEST_CASE("tls: REQUIRED encrypts without verifying; DISABLED does not encrypt", "[db][tls]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!tls_ready()) return;
  auto required = connect(tcp_options(SslMode::kRequired, std::nullopt));
  CHECK_FALSE(status_value(*required, "Ssl_cipher").empty());
  auto disabled = connect(tcp_options(SslMode::kDisabled, std::nullopt));
  CHECK(status_value(*disabled, "Ssl_cipher").empty());
}

TEST_CASE("tls: VERIFY_CA without a CA is a usage error, never an unverified connection",
          "[db][tls]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!tls_ready()) return;
  Refusal refusal = try_connect(tcp_options(SslMode::kVerifyCa, std::nullopt));
  REQUIRE(refusal.refused);
  CHECK(refusal.code == ExitCode::kUsage);
}

TEST_CASE("tls: the CLI with --ssl-mode VERIFY_CA --ssl-ca, in-process", "[db][tls]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!tls_ready()) return;
  testing::TempDir dir{"tls"};
  write_tls_scenarios(dir);
  const std::string port = std::to_string(testing::sandbox_port());
  const std::string results = (dir.root() / "tls.json").string();
  const std::vector<std::string> common = {"--config",     (dir.root() / "empty.toml").string(),
                                           "--scenarios",  dir.path(),
                                           "--iterations", "1",
                                           "--warmup",     "0",
                                           "-o",           results,
                                           "-h",           "127.0.0.1",
                                           "-P",           port,
                                           "-u",           "root"};

  SECTION("the right CA: measured over an encrypted connection") {
    std::vector<std::string> args = {"run", "--ssl-mode", "VERIFY_CA", "--ssl-ca",
                                     sandbox_pki().ca};
    args.insert(args.end(), common.begin(), common.end());
    CliResult result = run(args);
    INFO("stderr: " << result.err);
    REQUIRE(result.code == 0);
    RunResult run_result = read_results_file(results);
    REQUIRE(run_result.screens.size() == 1);
    CHECK(run_result.server.endpoint == testing::sandbox_endpoint());
    CHECK(run_result.screens[0].queries.at(0).rows_sent == 1);  // SSL_CIPHER was set
  }
  SECTION("the right CA in a DSN") {
    std::vector<std::string> args = {
        "run",
        "--dsn",
        "mysql://root@127.0.0.1:" + port + "/?ssl-mode=VERIFY_CA&ssl-ca=" + sandbox_pki().ca,
        "--config",
        (dir.root() / "empty.toml").string(),
        "--scenarios",
        dir.path(),
        "--iterations",
        "1",
        "--warmup",
        "0",
        "-o",
        results};
    CliResult result = run(args);
    INFO("stderr: " << result.err);
    REQUIRE(result.code == 0);
    CHECK(read_results_file(results).screens.at(0).queries.at(0).rows_sent == 1);
  }
  SECTION("the wrong CA: exit 2, the endpoint named, no results file") {
    std::vector<std::string> args = {"run", "--ssl-mode", "VERIFY_CA", "--ssl-ca",
                                     sandbox_pki().wrong_ca};
    args.insert(args.end(), common.begin(), common.end());
    CliResult result = run(args);
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.find("sqlmeasure: error: cannot connect to " + testing::sandbox_endpoint()) !=
          std::string::npos);
    CHECK(result.err.find("TLS/SSL error") != std::string::npos);
    CHECK(result.err.find("TLS handshake failed: check that --ssl-ca") != std::string::npos);
    CHECK(result.err.find("password") == std::string::npos);
    CHECK(result.out.empty());
    CHECK_FALSE(fs::exists(results));
  }
  SECTION("VERIFY_CA without --ssl-ca: exit 64 before connecting") {
    std::vector<std::string> args = {"run", "--ssl-mode", "VERIFY_CA"};
    args.insert(args.end(), common.begin(), common.end());
    CliResult result = run(args);
    INFO("stderr: " << result.err);
    CHECK(result.code == 64);
    CHECK(result.err.find("--ssl-ca") != std::string::npos);
  }
  SECTION("explain over VERIFY_IDENTITY") {
    std::vector<std::string> args = {"explain",
                                     "--ssl-mode",
                                     "VERIFY_IDENTITY",
                                     "--ssl-ca",
                                     sandbox_pki().ca,
                                     "--config",
                                     (dir.root() / "empty.toml").string(),
                                     "--scenarios",
                                     dir.path(),
                                     "-h",
                                     "127.0.0.1",
                                     "-P",
                                     port,
                                     "-u",
                                     "root"};
    CliResult result = run(args);
    INFO("stderr: " << result.err);
    CHECK(result.code == 0);
  }
}
