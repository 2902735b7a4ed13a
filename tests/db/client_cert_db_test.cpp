// Client certificates for real: an account that REQUIRE X509 on the sandbox, the client
// certificate scripts/sandbox signs with the sandbox CA (tls/client.pem, client-key.pem).
// With --ssl-cert/--ssl-key it connects; without, the server refuses and the message says
// what to give.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
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

// SANDBOX_SSL_* (scripts/sandbox env), else tls/ beside the test server's socket.
struct ClientPki {
  std::string ca, cert, key;
};

ClientPki client_pki() {
  const fs::path tls = testing::sandbox_tls_dir();
  return {testing::env_or("SANDBOX_SSL_CA", (tls / "ca.pem").string()),
          testing::env_or("SANDBOX_SSL_CLIENT_CERT", (tls / "client.pem").string()),
          testing::env_or("SANDBOX_SSL_CLIENT_KEY", (tls / "client-key.pem").string())};
}

// The sandbox has TLS, a client certificate and its TCP port is the test socket's server;
// else a skip (a failure in CI) saying what to do.
bool client_certs_ready() {
  const ClientPki pki = client_pki();
  std::string problem;
  if (!fs::exists(pki.cert) || !fs::exists(pki.key)) {
    problem = "no client certificate at " + pki.cert +
              " (scripts/sandbox start makes it, also for a running sandbox)";
  } else {
    auto socket = connect(testing::server_options());
    if (socket->query("SELECT @@have_ssl").rows.at(0).at(0).value_or("") != "YES") {
      problem = "the sandbox server runs without TLS: scripts/sandbox stop; scripts/sandbox start";
    } else if (socket->query("SELECT @@port").rows.at(0).at(0).value_or("") !=
               std::to_string(testing::sandbox_port())) {
      problem = "the test server does not listen on " + testing::sandbox_endpoint() +
                ": set SANDBOX_PORT";
    }
  }
  if (problem.empty()) return true;
  if (testing::in_ci()) FAIL("client certificate tests cannot run: " << problem);
  WARN("client certificate tests skipped: " << problem);
  return false;
}

// An account of its own that needs a certificate the sandbox CA signed; dropped at the end.
class X509User {
 public:
  X509User() : admin_(connect(testing::server_options())) {
    name_ = "sqlm_x509_" + std::to_string(::getpid());
    drop();
    // No password: the certificate is the credential here.
    admin_->execute("CREATE USER '" + name_ + "'@'127.0.0.1' REQUIRE X509");
  }
  ~X509User() {
    try {
      drop();
    } catch (const Error&) {
      // The server went away; nothing left to clean.
    }
  }
  X509User(const X509User&) = delete;
  X509User& operator=(const X509User&) = delete;
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  void drop() { admin_->execute("DROP USER IF EXISTS '" + name_ + "'@'127.0.0.1'"); }
  std::unique_ptr<Connection> admin_;
  std::string name_;
};

ConnectionOptions x509_options(const std::string& user) {
  ConnectionOptions options;
  options.host = "127.0.0.1";
  options.port = testing::sandbox_port();
  options.user = user;
  options.password = std::string();  // ignore MYSQL_PWD and option files' passwords
  options.connect_timeout_s = 5;
  return options;
}

std::string single_value(Connection& connection, const std::string& sql) {
  return connection.query(sql).rows.at(0).at(0).value_or("");
}

}  // namespace

TEST_CASE("client certificate: an account that REQUIRE X509 connects with --ssl-cert/--ssl-key",
          "[db][tls][x509]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!client_certs_ready()) return;
  X509User user;
  const ClientPki pki = client_pki();

  SECTION("verified server, client certificate: connected, encrypted, as that account") {
    ConnectionOptions options = x509_options(user.name());
    options.ssl_mode = SslMode::kVerifyIdentity;
    options.ssl_ca = pki.ca;
    options.ssl_cert = pki.cert;
    options.ssl_key = pki.key;
    auto connection = connect(options);
    CHECK(single_value(*connection, "SELECT CURRENT_USER()") == user.name() + "@127.0.0.1");
    CHECK_FALSE(single_value(*connection,
                             "SELECT VARIABLE_VALUE FROM "
                             "information_schema.SESSION_STATUS WHERE "
                             "VARIABLE_NAME = 'SSL_CIPHER'")
                    .empty());
  }
  SECTION("a certificate alone turns TLS on (no --ssl-mode needed)") {
    ConnectionOptions options = x509_options(user.name());
    options.ssl_cert = pki.cert;
    options.ssl_key = pki.key;
    auto connection = connect(options);
    CHECK(single_value(*connection, "SELECT CURRENT_USER()") == user.name() + "@127.0.0.1");
  }
  SECTION("without the certificate: refused by the server, and the hint names the flags") {
    ConnectionOptions options = x509_options(user.name());
    options.ssl_mode = SslMode::kVerifyCa;
    options.ssl_ca = pki.ca;
    try {
      (void)connect(options);
      FAIL("connected without a client certificate");
    } catch (const DatabaseError& error) {
      const std::string message = error.what();
      INFO(message);
      CHECK(error.code() == ExitCode::kRuntime);
      CHECK(error.error_number() == 1045);  // ER_ACCESS_DENIED_ERROR: the server says no more
      CHECK(message.starts_with("cannot connect to " + testing::sandbox_endpoint() + " as " +
                                user.name()));
      CHECK(message.find("Access denied") != std::string::npos);
      CHECK(message.find("a client certificate with --ssl-cert FILE --ssl-key FILE") !=
            std::string::npos);
    }
  }
}

TEST_CASE("client certificate: the CLI, in-process", "[db][tls][x509]") {
  SQLMEASURE_REQUIRE_SERVER();
  if (!client_certs_ready()) return;
  X509User user;
  const ClientPki pki = client_pki();
  testing::TempDir dir{"x509"};
  // Returns a row only when its own connection is encrypted.
  dir.write("screens/tls.sql",
            "-- name: encrypted\nSELECT 1 FROM information_schema.SESSION_STATUS\n"
            "WHERE VARIABLE_NAME = 'SSL_CIPHER' AND VARIABLE_VALUE <> '';\n");
  dir.write("empty.toml", "");
  const std::string results = dir / "x509.json";
  const std::string port = std::to_string(testing::sandbox_port());
  const std::vector<std::string> common = {
      "run",          "--config", dir / "empty.toml", "--scenarios", dir / "screens",
      "--iterations", "1",        "--warmup",         "0",           "-o",
      results,        "-h",       "127.0.0.1",        "-P",          port,
      "-u",           user.name()};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::run_in_process(args);
  };

  SECTION("--ssl-cert/--ssl-key with VERIFY_IDENTITY: measured") {
    testing::CliResult result = with({"--ssl-mode", "VERIFY_IDENTITY", "--ssl-ca", pki.ca,
                                      "--ssl-cert", pki.cert, "--ssl-key", pki.key});
    INFO("stderr: " << result.err);
    REQUIRE(result.code == 0);
    CHECK(read_results_file(results).screens.at(0).queries.at(0).rows_sent == 1);
  }
  SECTION("in a DSN") {
    testing::CliResult result = testing::run_in_process(
        {"run", "--config", dir / "empty.toml", "--scenarios", dir / "screens", "--iterations", "1",
         "--warmup", "0", "-o", results, "--dsn",
         "mysql://" + user.name() + "@127.0.0.1:" + port + "/?ssl-mode=VERIFY_CA&ssl-ca=" + pki.ca +
             "&ssl-cert=" + pki.cert + "&ssl-key=" + pki.key});
    INFO("stderr: " << result.err);
    CHECK(result.code == 0);
  }
  SECTION("without them: exit 2, the server's refusal and what to give") {
    testing::CliResult result = with({"--ssl-mode", "VERIFY_CA", "--ssl-ca", pki.ca});
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.find("sqlmeasure: error: cannot connect to " + testing::sandbox_endpoint() +
                          " as " + user.name()) != std::string::npos);
    CHECK(result.err.find("Access denied") != std::string::npos);
    CHECK(result.err.find("--ssl-cert FILE --ssl-key FILE") != std::string::npos);
    CHECK_FALSE(fs::exists(results));
  }
  SECTION("a key file that is not there: exit 64 before connecting") {
    testing::CliResult result =
        with({"--ssl-cert", pki.cert, "--ssl-key", dir / "missing-key.pem"});
    INFO("stderr: " << result.err);
    CHECK(result.code == 64);
    CHECK(result.err.find("--ssl-key " + (dir / "missing-key.pem") + ": cannot read it") !=
          std::string::npos);
  }
  SECTION("a certificate without its key: exit 64") {
    testing::CliResult result = with({"--ssl-cert", pki.cert});
    INFO("stderr: " << result.err);
    CHECK(result.code == 64);
    CHECK(result.err.find("needs its private key too") != std::string::npos);
  }
}
