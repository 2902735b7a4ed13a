// Managed endpoints (RDS, Aurora) as their users connect: a client certificate
// (--ssl-cert/--ssl-key), the cleartext plugin only over TLS, and password_command (an IAM
// token printed by a command, run for each connection, never shown). docs/aurora.md.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/options.h"
#include "cli/secrets.h"
#include "sqlmeasure/config.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/proc_stat.h"
#include "support/cli_runner.h"
#include "support/command_context.h"
#include "support/error_outcome.h"
#include "support/fake_connection.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"
#include "support/text_checks.h"

using namespace sqlmeasure;
using sqlmeasure::testing::CliResult;
using sqlmeasure::testing::config_with;
using sqlmeasure::testing::contains;
using sqlmeasure::testing::FakeConnection;
using sqlmeasure::testing::read_text;
using sqlmeasure::testing::ScopedEnv;
using sqlmeasure::testing::StringContext;
using sqlmeasure::testing::TempDir;

namespace {

// Shaped like `aws rds generate-db-auth-token` output: host, action, user and a signature.
const std::string kToken =
    "sqlm-db.cluster-x.eu-west-1.rds.amazonaws.com:3306/?Action=connect&DBUser=app"
    "&X-Amz-Signature=7f3e9c0ffee0123456789";

using sqlmeasure::testing::Outcome;
using sqlmeasure::testing::outcome_of;

// What password_command printed is remembered for redaction for the life of the process;
// the other tests in this process must not see these.
struct ForgetSecrets {
  ForgetSecrets() = default;
  ~ForgetSecrets() { forget_remembered_secrets(); }
  ForgetSecrets(const ForgetSecrets&) = delete;
  ForgetSecrets& operator=(const ForgetSecrets&) = delete;
};

// A config file's load that must fail with exit 78: its message.
std::string bad_config(const std::string& text) {
  TempDir dir("managed-config");
  const std::string path = dir.write("sqlmeasure.toml", text);
  Outcome result = outcome_of([&] { (void)load_project_config(path); });
  INFO(text);
  REQUIRE(result.threw);
  CHECK(result.code == ExitCode::kBadConfig);
  CHECK(result.message.starts_with(path + ":"));
  return result.message;
}

// 'R', 'S', 'Z' ... from /proc/PID/stat; 0 when it is gone.
char process_state(pid_t pid) {
  const std::vector<std::string> fields = proc_stat_fields(pid);
  return fields.empty() || fields[0].empty() ? 0 : fields[0][0];
}

}  // namespace

TEST_CASE("password_command: what it prints, less the newline, is the password",
          "[unit][managed]") {
  CHECK(run_password_command("printf '%s\\n' 'tok-en 1'", "k") == "tok-en 1");
  CHECK(run_password_command("printf 'no-newline'", "k") == "no-newline");
  CHECK(run_password_command("printf 'crlf\\r\\n\\n'", "k") == "crlf");
  // stderr is the user's, never part of the password.
  CHECK(run_password_command(
            "echo 'password_command test: its stderr, expected here' >&2; echo tok", "k") == "tok");
  // The environment reaches it (AWS_PROFILE and the like).
  ScopedEnv profile("SQLM_TEST_PROFILE", std::string("staging"));
  CHECK(run_password_command("echo \"$SQLM_TEST_PROFILE\"", "k") == "staging");
}

TEST_CASE("password_command: a failure names the key and the status, never the output",
          "[unit][managed]") {
  const std::string key = "sqlmeasure.toml: [connection] password_command";
  SECTION("non-zero exit") {
    Outcome result =
        outcome_of([&] { (void)run_password_command("echo '" + kToken + "'; exit 3", key); });
    REQUIRE(result.threw);
    CHECK(result.code == ExitCode::kBadConfig);
    CHECK(result.message.starts_with(key + ": the command exited with status 3"));
    CHECK_FALSE(contains(result.message, kToken));
    CHECK_FALSE(contains(result.message, "X-Amz-Signature"));
  }
  SECTION("no output") {
    Outcome result = outcome_of([&] { (void)run_password_command("printf '\\n'", key); });
    REQUIRE(result.threw);
    CHECK(result.code == ExitCode::kBadConfig);
    CHECK(contains(result.message, key + ": the command exited with status 0 but printed nothing"));
  }
  SECTION("killed by a signal") {
    Outcome result = outcome_of([&] { (void)run_password_command("kill -9 $$", key); });
    REQUIRE(result.threw);
    CHECK(contains(result.message, key + ": the command was killed by signal 9"));
  }
  SECTION("a command that does not exist: the shell's status 127") {
    Outcome result = outcome_of(
        [&] { (void)run_password_command("sqlm-no-such-command-xyz 2>/dev/null", key); });
    REQUIRE(result.threw);
    CHECK(contains(result.message, "status 127"));
  }
}

TEST_CASE("password_command: bounded in time, size and lines; killed with what it started",
          "[unit][managed]") {
  const std::string key = "sqlmeasure.toml: [connection] password_command";
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  SECTION("one that never ends is stopped at its timeout, with its children") {
    TempDir dir("password-timeout");
    const std::string pid_file = dir / "sleeper.pid";
    PasswordCommandLimits limits;
    limits.timeout_s = 1;
    const auto start = Clock::now();
    Outcome result = outcome_of([&] {
      (void)run_password_command("sleep 1000 & echo $! > " + pid_file + "; wait; echo pw", key,
                                 limits);
    });
    REQUIRE(result.threw);
    CHECK(result.code == ExitCode::kBadConfig);
    CHECK(contains(result.message, key + ": the command did not finish within 1 s "
                                         "(password_command_timeout); it was stopped"));
    CHECK(seconds_since(start) < 10);
    const pid_t sleeper = std::stoi(read_text(pid_file));
    bool gone = false;
    for (int i = 0; i < 100 && !gone; ++i) {  // killed, then reaped by init
      gone = ::kill(sleeper, 0) != 0 || process_state(sleeper) == 'Z';
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(gone);
  }
  SECTION("a background child holding its output open does not hold us") {
    const auto start = Clock::now();
    // (Its stderr elsewhere: left running, it would hold the test runner's pipe open.)
    CHECK(run_password_command("echo pw; (sleep 40 2>/dev/null &)", key) == "pw");
    CHECK(seconds_since(start) < 10);
  }
  SECTION("endless output: refused at the size limit, not read into memory") {
    const auto start = Clock::now();
    Outcome result = outcome_of([&] { (void)run_password_command("yes", key); });
    REQUIRE(result.threw);
    CHECK(result.code == ExitCode::kBadConfig);
    CHECK(contains(result.message, key + ": the command printed more than 16384 bytes"));
    CHECK(seconds_since(start) < 10);
  }
  SECTION("two lines: refused, neither shown") {
    Outcome result = outcome_of([&] { (void)run_password_command("echo pw; echo second", key); });
    REQUIRE(result.threw);
    CHECK(result.code == ExitCode::kBadConfig);
    CHECK(contains(result.message, key + ": the command printed more than one line"));
    CHECK_FALSE(contains(result.message, "pw"));
    CHECK_FALSE(contains(result.message, "second"));
  }
  SECTION("an interrupt stops it") {
    std::atomic<bool> interrupted{false};
    PasswordCommandLimits limits;
    limits.interrupted = &interrupted;
    std::thread raise([&interrupted] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      interrupted.store(true);
    });
    const auto start = Clock::now();
    Outcome result =
        outcome_of([&] { (void)run_password_command("sleep 1000; echo pw", key, limits); });
    raise.join();
    REQUIRE(result.threw);
    CHECK(result.code == ExitCode::kRuntime);
    CHECK(contains(result.message, "interrupted while the command ran"));
    CHECK(seconds_since(start) < 10);
  }
  SECTION("the timeout is a [connection] key, checked like the others") {
    TempDir dir("password-timeout-config");
    const std::string path = dir.write("sqlmeasure.toml",
                                       "[connection]\npassword_command = \"echo pw\"\n"
                                       "password_command_timeout = 5\n");
    CHECK(load_project_config(path).connection.password_command_timeout_s == 5u);
    CHECK(contains(bad_config("[connection]\npassword_command_timeout = 0\n"),
                   "password_command_timeout"));
  }
}

TEST_CASE("sqlmeasure.toml: ssl_cert, ssl_key, enable_cleartext_plugin, password_command",
          "[unit][managed][config]") {
  TempDir dir("managed-keys");
  const std::string path =
      dir.write("sqlmeasure.toml",
                "[connection]\nhost = \"db.example\"\nssl_mode = \"VERIFY_IDENTITY\"\n"
                "ssl_ca = \"/etc/ssl/rds/global-bundle.pem\"\nssl_cert = \"/etc/sqlm/client.pem\"\n"
                "ssl_key = \"/etc/sqlm/client-key.pem\"\nenable_cleartext_plugin = true\n"
                "password_command = \"aws rds generate-db-auth-token --hostname db.example\"\n");
  const ProjectConfig config = load_project_config(path);
  const ConnectionConfig& c = config.connection;
  CHECK(c.ssl_cert == "/etc/sqlm/client.pem");
  CHECK(c.ssl_key == "/etc/sqlm/client-key.pem");
  CHECK(c.enable_cleartext_plugin == true);
  CHECK(c.password_command == "aws rds generate-db-auth-token --hostname db.example");

  SECTION("password_command and password_env: both keys named, at the command's position") {
    const std::string message =
        bad_config("[connection]\npassword_env = \"DB_PW\"\npassword_command = \"echo x\"\n");
    CHECK(contains(message, ":3:20: password_command and password_env both give the password"));
  }
  SECTION("password_command and a password in dsn") {
    const std::string message = bad_config(
        "[connection]\ndsn = \"mysql://app:hunter2@db/shop\"\npassword_command = \"echo x\"\n");
    CHECK(contains(message, "password_command and the password in dsn"));
    CHECK_FALSE(contains(message, "hunter2"));
  }
  SECTION("an empty password_command") {
    CHECK(contains(bad_config("[connection]\npassword_command = \"\"\n"),
                   "'password_command' is empty"));
  }
  SECTION("enable_cleartext_plugin must be a boolean") {
    CHECK(contains(bad_config("[connection]\nenable_cleartext_plugin = \"yes\"\n"),
                   "'enable_cleartext_plugin' must be true or false"));
  }
  SECTION("the refusal of password names password_command too") {
    CHECK(contains(bad_config("[connection]\npassword = \"hunter2\"\n"), "password_command"));
  }
}

TEST_CASE("DSN: ssl-cert, ssl-key, enable-cleartext-plugin", "[unit][managed][dsn]") {
  const Dsn dsn = parse_dsn(
      "mysql://app@db:3306/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=/ca.pem&ssl-cert=/c.pem"
      "&ssl_key=/k.pem&enable-cleartext-plugin",
      "--dsn", ExitCode::kUsage);
  CHECK(dsn.ssl_cert == "/c.pem");
  CHECK(dsn.ssl_key == "/k.pem");
  CHECK(dsn.enable_cleartext_plugin == true);
  CHECK(parse_dsn("mysql://db/?enable_cleartext_plugin=false", "--dsn", ExitCode::kUsage)
            .enable_cleartext_plugin == false);
  CHECK(parse_dsn("mysql://db/?enable-cleartext-plugin=1", "--dsn", ExitCode::kUsage)
            .enable_cleartext_plugin == true);
  Outcome bad = outcome_of([] {
    (void)parse_dsn("mysql://db/?enable-cleartext-plugin=maybe", "--dsn", ExitCode::kUsage);
  });
  CHECK(bad.code == ExitCode::kUsage);
  CHECK(contains(bad.message, "enable-cleartext-plugin takes true or false, not 'maybe'"));
  Outcome unknown =
      outcome_of([] { (void)parse_dsn("mysql://db/?ssl-crt=x", "--dsn", ExitCode::kUsage); });
  CHECK(contains(unknown.message, "ssl-cert, ssl-key, enable-cleartext-plugin"));
}

TEST_CASE("--ssl-cert/--ssl-key: both, and readable, before connecting", "[unit][managed]") {
  ScopedEnv no_mysql_pwd("MYSQL_PWD", std::nullopt);
  StringContext w;
  TempDir dir("client-cert");
  const std::string cert = dir.write("client.pem", "-----BEGIN CERTIFICATE-----\n");
  const std::string key = dir.write("client-key.pem", "-----BEGIN PRIVATE KEY-----\n");

  SECTION("both readable: passed on") {
    ConnectionFlags flags;
    flags.ssl_cert = cert;
    flags.ssl_key = key;
    ConnectionOptions options = flags.resolve(ProjectConfig{}, w.context);
    CHECK(options.ssl_cert == cert);
    CHECK(options.ssl_key == key);
  }
  SECTION("a certificate without its key") {
    ConnectionFlags flags;
    flags.ssl_cert = cert;
    Outcome result = outcome_of([&] { (void)flags.resolve(ProjectConfig{}, w.context); });
    CHECK(result.code == ExitCode::kUsage);
    CHECK(result.message.starts_with("--ssl-cert " + cert + " needs its private key too"));
    CHECK(contains(result.message, "--ssl-key FILE"));
  }
  SECTION("a key without its certificate") {
    ConnectionFlags flags;
    flags.ssl_key = key;
    Outcome result = outcome_of([&] { (void)flags.resolve(ProjectConfig{}, w.context); });
    CHECK(result.code == ExitCode::kUsage);
    CHECK(result.message.starts_with("--ssl-key " + key + " needs the certificate too"));
  }
  SECTION("a missing key file: the flag and the path") {
    ConnectionFlags flags;
    flags.ssl_cert = cert;
    flags.ssl_key = dir / "nope-key.pem";
    Outcome result = outcome_of([&] { (void)flags.resolve(ProjectConfig{}, w.context); });
    CHECK(result.code == ExitCode::kUsage);
    CHECK(result.message ==
          "--ssl-key " + (dir / "nope-key.pem") + ": cannot read it: No such file or directory");
  }
  SECTION("a directory instead of the certificate") {
    ConnectionFlags flags;
    flags.ssl_cert = dir.path();
    flags.ssl_key = key;
    Outcome result = outcome_of([&] { (void)flags.resolve(ProjectConfig{}, w.context); });
    CHECK(result.message == "--ssl-cert " + dir.path() + ": a directory, not a PEM file");
  }
  SECTION("from sqlmeasure.toml: exit 78, the key named") {
    ConnectionConfig c;
    c.ssl_cert = dir / "gone.pem";
    c.ssl_key = key;
    Outcome result =
        outcome_of([&] { (void)ConnectionFlags{}.resolve(config_with(c), w.context); });
    CHECK(result.code == ExitCode::kBadConfig);
    CHECK(result.message.starts_with("sqlmeasure.toml: [connection] ssl_cert " +
                                     (dir / "gone.pem") + ": cannot read it"));
  }
  SECTION("from --dsn") {
    ConnectionFlags flags;
    flags.dsn = "mysql://app@db/?ssl-cert=" + cert + "&ssl-key=" + (dir / "gone-key.pem");
    Outcome result = outcome_of([&] { (void)flags.resolve(ProjectConfig{}, w.context); });
    CHECK(result.code == ExitCode::kUsage);
    CHECK(result.message.starts_with("--dsn ssl-key " + (dir / "gone-key.pem")));
  }
  SECTION("the flags win over the config") {
    ConnectionConfig c;
    c.ssl_cert = dir / "gone.pem";
    c.ssl_key = dir / "gone-key.pem";
    ConnectionFlags flags;
    flags.ssl_cert = cert;
    flags.ssl_key = key;
    CHECK(flags.resolve(config_with(c), w.context).ssl_cert == cert);
  }
}

TEST_CASE("the cleartext plugin: only with TLS required, or over a local socket",
          "[unit][managed]") {
  ScopedEnv no_mysql_pwd("MYSQL_PWD", std::nullopt);
  StringContext w;
  auto attempt = [&](ConnectionFlags flags, const ProjectConfig& config = ProjectConfig{}) {
    ConnectionOptions options;
    Outcome result = outcome_of([&] { options = flags.resolve(config, w.context); });
    return std::make_pair(result, options);
  };
  ConnectionFlags tcp;
  tcp.host = "db.example";
  tcp.enable_cleartext_plugin = true;

  SECTION("over TCP without --ssl-mode: refused, saying why") {
    auto [result, options] = attempt(tcp);
    CHECK(result.code == ExitCode::kUsage);
    CHECK(
        result.message.starts_with("--enable-cleartext-plugin: the cleartext plugin sends the "
                                   "password as typed, so without TLS it would cross the "
                                   "network in clear"));
    CHECK(contains(result.message, "--ssl-mode VERIFY_IDENTITY"));
  }
  SECTION("PREFERRED may fall back to plain: refused") {
    tcp.ssl_mode = "PREFERRED";
    CHECK(attempt(tcp).first.code == ExitCode::kUsage);
  }
  SECTION("DISABLED: refused") {
    tcp.ssl_mode = "DISABLED";
    CHECK(attempt(tcp).first.code == ExitCode::kUsage);
  }
  SECTION("REQUIRED, VERIFY_CA, VERIFY_IDENTITY: allowed") {
    for (const char* mode : {"REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"}) {
      tcp.ssl_mode = mode;
      tcp.ssl_ca = "/etc/ssl/rds/global-bundle.pem";
      auto [result, options] = attempt(tcp);
      INFO(mode << ": " << result.message);
      CHECK_FALSE(result.threw);
      CHECK(options.enable_cleartext_plugin);
    }
  }
  SECTION("a local socket crosses no network: allowed") {
    ConnectionFlags local;
    local.socket = "/run/mysqld/mysqld.sock";
    local.enable_cleartext_plugin = true;
    auto [result, options] = attempt(local);
    CHECK_FALSE(result.threw);
    CHECK(options.enable_cleartext_plugin);
    local.host = "localhost";
    CHECK_FALSE(attempt(local).first.threw);
  }
  SECTION("a socket with a remote host is TCP: refused") {
    tcp.socket = "/run/mysqld/mysqld.sock";
    CHECK(attempt(tcp).first.code == ExitCode::kUsage);
  }
  SECTION("no socket named and no host: the library's default may be TCP; refused") {
    ConnectionFlags bare;
    bare.enable_cleartext_plugin = true;
    CHECK(attempt(bare).first.code == ExitCode::kUsage);
  }
  SECTION("from sqlmeasure.toml: exit 78, the key named") {
    ConnectionConfig c;
    c.host = "db.example";
    c.enable_cleartext_plugin = true;
    auto [result, options] = attempt(ConnectionFlags{}, config_with(c));
    CHECK(result.code == ExitCode::kBadConfig);
    CHECK(result.message.starts_with("sqlmeasure.toml: [connection] enable_cleartext_plugin: "));
  }
  SECTION("from a DSN") {
    ConnectionFlags flags;
    flags.dsn = "mysql://app@db.example/shop?enable-cleartext-plugin";
    auto [result, options] = attempt(flags);
    CHECK(result.code == ExitCode::kUsage);
    CHECK(result.message.starts_with("--dsn enable-cleartext-plugin: "));
  }
  SECTION("off by default") {
    ConnectionFlags flags;
    flags.host = "db.example";
    CHECK_FALSE(attempt(flags).second.enable_cleartext_plugin);
  }
}

TEST_CASE("password_command in the resolved options: run at connect, flags still win",
          "[unit][managed]") {
  ForgetSecrets forget;
  ScopedEnv no_mysql_pwd("MYSQL_PWD", std::string("from-mysql-pwd"));
  StringContext w;
  ConnectionConfig c;
  c.password_command = "printf '%s\\n' 'tok-from-command'";
  ConnectionOptions options = ConnectionFlags{}.resolve(config_with(c), w.context);
  CHECK_FALSE(options.password);  // not run yet: nothing has connected
  REQUIRE(options.fetch_password);
  CHECK(options.fetch_password() == "tok-from-command");

  ConnectionFlags flags;
  flags.password = "from-the-flag";
  ConnectionOptions overridden = flags.resolve(config_with(c), w.context);
  CHECK(overridden.password == "from-the-flag");
  CHECK_FALSE(overridden.fetch_password);
}

namespace {

// The token path end to end, in-process: the fake server takes the password the way the
// driver does (fetch_password at each connect) and records it.
struct TokenServer {
  std::vector<std::string> passwords;
  std::string refusal;  // when set, connecting throws this (a server quoting what it got)

  Connector connector() {
    return [this](const ConnectionOptions& options) -> std::unique_ptr<Connection> {
      REQUIRE(options.fetch_password);
      passwords.push_back(options.fetch_password());
      if (!refusal.empty()) {
        throw DatabaseError(refusal + passwords.back(), 1045, "28000", true, false);
      }
      auto fake = std::make_unique<FakeConnection>();
      fake->on("SELECT 1").rows(1, 0).explains_as({testing::plan_row("", "", "")});
      return fake;
    };
  }
};

struct TokenWorld {
  TempDir dir{"token"};
  std::string config, counter;
  explicit TokenWorld(const std::string& command_tail = "") {
    dir.write("screens/s.sql", "SELECT 1;\n");
    counter = dir / "runs";
    // Counts its runs, prints a token the way `aws rds generate-db-auth-token` does.
    config =
        dir.write("sqlmeasure.toml",
                  "[connection]\nhost = \"db.example\"\nuser = \"app\"\n"
                  "ssl_mode = \"REQUIRED\"\nenable_cleartext_plugin = "
                  "true\npassword_command = \"echo run >> '" +
                      counter + "'; printf '%s\\\\n' '" + kToken + "'" + command_tail + "\"\n");
  }
  [[nodiscard]] int runs() const {
    std::error_code error;
    if (!std::filesystem::exists(counter, error)) return 0;
    const std::string text = testing::read_text(counter);
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }
};

}  // namespace

TEST_CASE("password_command: the token reaches the connection and nothing else",
          "[unit][managed][cli]") {
  ForgetSecrets forget;
  ScopedEnv no_mysql_pwd("MYSQL_PWD", std::nullopt);
  TokenWorld world;
  TokenServer server;

  SECTION("run, --verbose: connected with the token, which no output shows") {
    const std::string results = world.dir / "results.json";
    CliResult result = testing::run_in_process(
        {"run", "--config", world.config, "--scenarios", world.dir / "screens", "--iterations", "2",
         "--warmup", "0", "-o", results, "--verbose"},
        nullptr, server.connector());
    INFO("stderr: " << result.err);
    CHECK(result.code == 0);
    REQUIRE(server.passwords.size() == 1);
    CHECK(server.passwords[0] == kToken);
    CHECK(world.runs() == 1);  // once per connection
    CHECK(contains(result.err, "password_command"));
    CHECK_FALSE(contains(result.out + result.err, kToken));
    CHECK_FALSE(contains(result.out + result.err, "X-Amz-Signature"));
    CHECK_FALSE(contains(testing::read_text(results), "X-Amz-Signature"));
  }
  SECTION("explain: one connection, one run of the command") {
    CliResult result = testing::run_in_process(
        {"explain", "--config", world.config, "--scenarios", world.dir / "screens"}, nullptr,
        server.connector());
    INFO("stderr: " << result.err);
    CHECK(result.code == 0);
    CHECK(server.passwords == std::vector<std::string>{kToken});
    CHECK(world.runs() == 1);
    CHECK_FALSE(contains(result.out + result.err, kToken));
  }
  SECTION("a refusal that quotes the token is redacted") {
    server.refusal = "cannot connect to db.example:3306 as app: [1045] (28000) denied for ";
    CliResult result = testing::run_in_process(
        {"explain", "--config", world.config, "--scenarios", world.dir / "screens"}, nullptr,
        server.connector());
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "denied for ***"));
    CHECK_FALSE(contains(result.out + result.err, "X-Amz-Signature"));
  }
}

TEST_CASE("password_command that fails: exit 78, nothing connects, its output not shown",
          "[unit][managed][cli]") {
  ForgetSecrets forget;
  ScopedEnv no_mysql_pwd("MYSQL_PWD", std::nullopt);
  TokenWorld world("; exit 4");
  TokenServer server;
  // The driver runs the command; here the fake connector does, as the driver would.
  CliResult result = testing::run_in_process(
      {"explain", "--config", world.config, "--scenarios", world.dir / "screens"}, nullptr,
      server.connector());
  INFO("stderr: " << result.err);
  CHECK(result.code == 78);
  CHECK(contains(result.err, "[connection] password_command: the command exited with status 4"));
  CHECK_FALSE(contains(result.out + result.err, "X-Amz-Signature"));
  CHECK(server.passwords.empty());
}
