// What a new user meets first (issue "first hour"): help that says the defaults the code
// uses, ranges in words, a mistyped flag's "did you mean", --color, --protocol and -P with
// localhost, no database selected, unique default out-dirs, check's quoting line, -p alone.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/compare_flags.h"
#include "cli/connection_flags.h"
#include "cli/context.h"
#include "cli/help_format.h"
#include "cli/output_flags.h"
#include "cli/run_flags.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/text.h"
#include "support/cli_runner.h"
#include "support/fake_connection.h"
#include "support/in_directory.h"
#include "support/process.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"
#include "support/text_checks.h"

namespace sqlmeasure::testing {
namespace {

const std::vector<std::string> kCommands = {"run",   "compare", "explain", "indexes",
                                            "check", "capture", "list",    "recover"};

std::string default_of(const CLI::App& app, const std::string& flag) {
  return app.get_option(flag)->get_default_str();
}

TEST_CASE("help: every default it shows is the one the code falls back to", "[unit][cli]") {
  SECTION("run's measurement flags") {
    CLI::App app;
    RunFlags flags;
    flags.add_to(app);
    app.parse(std::vector<std::string>{});
    const RunSettings resolved = flags.resolve(ProjectConfig{}, ScenarioFlags{});
    CHECK(default_of(app, "--warmup") == std::to_string(resolved.warmup));
    REQUIRE(resolved.auto_iterations.enabled);  // the default
    CHECK(default_of(app, "--iterations") == "auto");
    CHECK(default_of(app, "--seed") == std::to_string(resolved.seed));
    CHECK(default_of(app, "--order") == order_name(resolved.order));
    CHECK(default_of(app, "--query-timeout") == std::to_string(resolved.query_timeout_ms));
    CHECK(default_of(app, "--concurrency") == std::to_string(resolved.concurrency));
    CHECK(default_of(app, "--retries") == std::to_string(flags.retries));
  }
  SECTION("the verdict rule's flags") {
    CLI::App app;
    VerdictFlags flags;
    flags.add_to(app);
    app.parse(std::vector<std::string>{});
    const VerdictRule rule = flags.rule(ProjectConfig{});
    CHECK(default_of(app, "--threshold") == fmt::format("{:g}", rule.threshold));
    CHECK(default_of(app, "--alpha") == fmt::format("{:g}", rule.alpha));
    CHECK(default_of(app, "--min-delta") == fmt::format("{:g}", rule.min_delta_ms));
    CHECK(default_of(app, "--min-rows-delta") == std::to_string(rule.min_rows_delta));
    // What --fail-on's default names is what an omitted --fail-on gates on.
    CHECK(flags.rule(ProjectConfig{}).fail_on ==
          parse_gates(split_list(default_of(app, "--fail-on")), "help", ExitCode::kUsage));
  }
  SECTION("the connection's and a live change's") {
    CLI::App app;
    app.set_help_flag();  // -h is the host, as in sqlmeasure itself
    ConnectionFlags connection;
    connection.add_to(app);
    LiveChangeFlags change{"Live", {"K times", "Apply the change", "Where", "compare"}};
    change.add_alternations(app);
    change.add_out_dir(app);
    app.parse(std::vector<std::string>{});
    std::ostringstream out, err;
    const Invocation invocation{{}, out, err};
    const GlobalFlags global;
    const Context context(invocation, global);
    CHECK(default_of(app, "--connect-timeout") ==
          std::to_string(connection.resolve(ProjectConfig{}, context).connect_timeout_s));
    LiveCompareOptions live;
    change.apply_to(live, context);
    CHECK(default_of(app, "--alternations") == std::to_string(live.alternations));
    CHECK(default_of(app, "--out-dir") == "sqlmeasure-results/compare-TIMESTAMP");
  }
  SECTION("no help line says a default twice, or writes CLI11's type noise") {
    for (const std::string& command : kCommands) {
      const CliResult help = run_in_process({command, "--help"});
      INFO(command << ":\n" << help.out);
      CHECK(help.code == 0);
      std::istringstream lines(help.out);
      for (std::string line; std::getline(lines, line);) {
        INFO(line);
        const std::size_t first = line.find("default");
        CHECK((first == std::string::npos || line.find("default", first + 1) == std::string::npos));
        CHECK(line.find(" in [") == std::string::npos);
        CHECK(line.find(":{") == std::string::npos);
        CHECK(line.find("UINT") == std::string::npos);
        CHECK(line.find("FLOAT") == std::string::npos);
      }
    }
  }
}

TEST_CASE("help: ranges and choices in words", "[unit][cli]") {
  CHECK(constraint_in_words("INT in [1 - 65535]") == "1 to 65,535");
  CHECK(constraint_in_words("FLOAT in [1 - 3.1536e+07]") == "1 to 31,536,000");
  CHECK(constraint_in_words("FLOAT in [1e-12 - 0.5]") == "1e-12 to 0.5");
  CHECK(constraint_in_words("{auto,always,never}") == "auto, always or never");
  CHECK(constraint_in_words("") == "");
  const CliResult help = run_in_process({"run", "--help"});
  CHECK(contains(help.out, "-P,--port N                 Server TCP port (1 to 65,535)"));
}

TEST_CASE("a mistyped flag: did you mean, and the command's help", "[unit][cli]") {
  const CliResult typo = run_in_process({"run", "--iteration", "5"});
  CHECK(typo.code == 64);
  CHECK(typo.err ==
        "sqlmeasure: error: unknown flag --iteration for run (did you mean --iterations?); see "
        "sqlmeasure run --help\n");
  const CliResult compare = run_in_process({"compare", "--treshold=0.2", "a.json", "b.json"});
  CHECK(compare.code == 64);
  CHECK(contains(compare.err,
                 "unknown flag --treshold for compare (did you mean --threshold?); "
                 "see sqlmeasure compare --help"));
  const CliResult far = run_in_process({"list", "--zzzzzzzz"});
  CHECK(far.err ==
        "sqlmeasure: error: unknown flag --zzzzzzzz for list; see sqlmeasure list --help\n");
}

TEST_CASE("--color auto, always, never; NO_COLOR only for auto", "[unit][cli]") {
  std::ostringstream out, err;
  Invocation invocation{{}, out, err};
  const auto color = [&](bool tty, const std::string& when, bool no_color_flag) {
    invocation.out_is_tty = tty;
    GlobalFlags flags;
    flags.color = when;
    flags.no_color = no_color_flag;
    return Context(invocation, flags).style().color;
  };
  {
    ScopedEnv unset("NO_COLOR", std::nullopt);
    CHECK(color(true, "auto", false));
    CHECK_FALSE(color(false, "auto", false));
    CHECK(color(false, "always", false));  // a CI log that renders ANSI
    CHECK_FALSE(color(true, "never", false));
    CHECK_FALSE(color(true, "always", true));  // --no-color is never
  }
  {
    ScopedEnv set("NO_COLOR", "1");
    CHECK_FALSE(color(true, "auto", false));
    CHECK(color(true, "always", false));  // a flag beats the environment
  }
  CHECK(run_in_process({"--color", "sometimes", "list"}).code == 64);
}

TEST_CASE("--protocol, and -P with localhost said to be unused", "[unit][cli]") {
  ConnectionOptions options;
  options.host = "localhost";
  options.port = 23888;
  CHECK(uses_local_socket(options));
  CHECK(describe_endpoint(options) == "localhost (default socket)");
  options.protocol = Protocol::kTcp;
  CHECK_FALSE(uses_local_socket(options));
  CHECK(describe_endpoint(options) == "localhost:23888");
  // The library uses a socket only for a local host, whatever --protocol says: a remote host
  // with SOCKET is refused below, and never taken for a connection that crosses no network.
  options.host = "db.example";
  options.protocol = Protocol::kSocket;
  CHECK_FALSE(uses_local_socket(options));

  TempDir dir("protocol");
  dir.write("screens/s.sql", "SELECT 1;\n");
  std::vector<ConnectionOptions> opened;
  const Connector refuse =
      [&opened](const ConnectionOptions& given) -> std::unique_ptr<Connection> {
    opened.push_back(given);
    throw DatabaseError("cannot connect", 2002, "HY000", true, false);
  };
  const CliResult local = run_in_process(
      {"run", "-h", "localhost", "-P", "23888", "--scenarios", dir / "screens"}, nullptr, refuse);
  CHECK(contains(local.err,
                 "sqlmeasure: warning: -P 23888 is not used: -h localhost (or no -h) "
                 "means the local socket, as in the mysql client; to reach port 23888 "
                 "give -h 127.0.0.1 or --protocol TCP"));
  const CliResult tcp = run_in_process({"run", "-h", "localhost", "-P", "23888", "--protocol",
                                        "tcp", "--scenarios", dir / "screens"},
                                       nullptr, refuse);
  CHECK_FALSE(contains(tcp.err, "is not used"));
  REQUIRE(opened.size() == 2);
  CHECK(opened[1].protocol == Protocol::kTcp);
  const CliResult bad = run_in_process(
      {"run", "--protocol", "pipe", "--scenarios", dir / "screens"}, nullptr, refuse);
  CHECK(bad.code == 64);
  CHECK(contains(bad.err, "--protocol: unknown protocol 'pipe' (expected TCP or SOCKET"));
  const CliResult remote = run_in_process(
      {"run", "-h", "db.example", "--protocol", "socket", "--scenarios", dir / "screens"}, nullptr,
      refuse);
  CHECK(remote.code == 64);
  CHECK(contains(remote.err,
                 "--protocol SOCKET: a socket is on this machine, and -h db.example "
                 "names another"));
  CHECK(opened.size() == 2);  // refused before connecting
}

TEST_CASE("run with no database selected refuses before the first query", "[unit][cli]") {
  TempDir dir("no-database");
  dir.write("screens/orders.sql", "SELECT 1;\nSELECT id FROM orders WHERE id = 1;\n");
  CallLog log;
  const Connector connect = [&log](const ConnectionOptions&) -> std::unique_ptr<Connection> {
    auto fake = std::make_unique<FakeConnection>("fake", &log);
    ServerInfo server = fake->server();
    server.database = "";
    fake->set_server(server);
    return fake;
  };
  const CliResult result = run_in_process(
      {"run", "--scenarios", dir / "screens", "-o", dir / "r.json"}, nullptr, connect);
  CHECK(result.code == 64);
  CHECK(contains(result.err,
                 "no database is selected, and screen orders, query q2 reads table "
                 "orders without one: give -D DATABASE"));
  for (const Call& call : log) CHECK(call.kind != Call::Kind::kTimed);
  // A common table expression and DUAL are no tables of a database.
  dir.write("cte/report.sql",
            "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3), "
            "`top` AS (SELECT 2 AS j) SELECT i FROM n, `top`;\nSELECT 1 FROM DUAL;\n");
  const CliResult cte =
      run_in_process({"run", "--scenarios", dir / "cte", "-o", dir / "c.json"}, nullptr, connect);
  INFO(cte.err);
  CHECK_FALSE(contains(cte.err, "no database is selected"));
}

TEST_CASE("default out-dirs of two runs started in the same second differ", "[unit][cli]") {
  TempDir dir("claim");
  const InDirectory here(dir.path());
  const std::string first = claim_default_directory("sqlmeasure-results", "compare");
  const std::string second = claim_default_directory("sqlmeasure-results", "compare");
  CHECK(first != second);
  CHECK(std::filesystem::is_directory(first));
  CHECK(std::filesystem::is_directory(second));
  CHECK(second.starts_with(first));  // the same stamp, then -2 (or a later second)
  const std::string file = default_file("sqlmeasure-results", "run", ".json");
  CHECK(file.ends_with(".json"));
  CHECK(std::filesystem::is_empty(file));  // claimed (O_EXCL), to be replaced
  CHECK(default_file("sqlmeasure-results", "run", ".json") != file);
  // A claimed out-dir with nothing in it goes with the command that claimed it.
  { const EmptyDirectoryGuard guard(first); }
  CHECK_FALSE(std::filesystem::exists(first));
  std::filesystem::create_directories(second + "/kept");
  { const EmptyDirectoryGuard guard(second); }
  CHECK(std::filesystem::exists(second));
}

TEST_CASE("a compare refused before measuring leaves no empty out-dir", "[unit][cli]") {
  TempDir dir("no-empty-out-dir");
  const InDirectory here(dir.path());
  dir.write("screens/s.sql", "SELECT 1;\n");
  dir.write("up.sql", "ALTER TABLE t ADD INDEX k (v);\n");
  dir.write("down.sql", "ALTER TABLE t DROP INDEX k;\n");
  const Connector refuse = [](const ConnectionOptions&) -> std::unique_ptr<Connection> {
    throw DatabaseError("cannot connect", 2002, "HY000", true, false);
  };
  const CliResult result = run_in_process({"compare", "--migration", "up.sql", "--rollback",
                                           "down.sql", "--scenarios", "screens", "-D", "shop"},
                                          nullptr, refuse);
  CHECK(result.code == 2);
  CHECK(std::filesystem::is_empty("sqlmeasure-results"));
}

TEST_CASE("-p: what follows a bare -p is never echoed; --password= is an empty password",
          "[unit][cli]") {
  const CliResult dashed = run_in_process({"run", "-p", "-s3cret-pw"});
  CHECK(dashed.code == 64);
  CHECK_FALSE(contains(dashed.err, "s3cret"));
  CHECK(contains(dashed.err, "unknown flag after -p (not shown: it may be a password"));
  CHECK(asks_for_password({"run", "-p"}));
  CHECK(asks_for_password({"run", "-p", "-D", "shop"}));
  CHECK_FALSE(asks_for_password({"run", "--password=", "-D", "shop"}));
  CHECK_FALSE(asks_for_password({"run", "-pSECRET"}));
  CHECK_FALSE(asks_for_password({"run", "-p", "SECRET"}));
}

TEST_CASE("check says how it read the SQL only when that matters", "[unit][cli]") {
  TempDir dir("quoting");
  dir.write("plain/s.sql", "SELECT id FROM t WHERE name = 'x';\n");
  dir.write("quoted/s.sql", "SELECT id FROM t WHERE name = \"x\";\n");
  const CliResult plain = run_in_process({"check", "--scenarios", dir / "plain"});
  CHECK(plain.code == 0);
  CHECK_FALSE(contains(plain.out, "SQL read with"));
  const CliResult quoted = run_in_process({"check", "--scenarios", dir / "quoted"});
  CHECK(quoted.code == 0);
  CHECK(contains(quoted.out,
                 "SQL read with the default quoting (backslash escapes, \"...\" "
                 "strings): screen s, query q1, holds a \"...\" string"));
  const CliResult asked =
      run_in_process({"check", "--scenarios", dir / "plain", "--sql-mode", "ANSI_QUOTES"});
  CHECK(contains(asked.out, "SQL read with ANSI_QUOTES (--sql-mode ANSI_QUOTES)"));
}

// The built binary on a pseudo-terminal: what it writes there, until it exits.
struct OnTerminal {
  std::string screen;
  int status = -1;
};

OnTerminal run_on_terminal(const std::vector<std::string>& args, const std::string& typed) {
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::vector<char*> argv;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  OnTerminal result;
  bool sent = false;
  char buffer[4096];
  // At most 30 s in all: a prompt that never ends fails the test instead of hanging it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (true) {
    pollfd ready{master, POLLIN, 0};
    if (::poll(&ready, 1, 200) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        FAIL_CHECK("the binary on the terminal did not end within 30 s: " << result.screen);
        break;
      }
      continue;
    }
    const ssize_t got = ::read(master, buffer, sizeof buffer);
    if (got <= 0) break;  // EIO once the child is gone
    result.screen.append(buffer, static_cast<std::size_t>(got));
    if (!sent && result.screen.find("Enter password: ") != std::string::npos) {
      (void)!::write(master, typed.data(), typed.size());
      sent = true;
    }
  }
  ::close(master);
  ::waitpid(pid, &result.status, 0);
  return result;
}

TEST_CASE("-p alone asks on the terminal without echo; without one it refuses", "[unit][cli]") {
  const std::string binary = sqlmeasure_binary();
  REQUIRE(::access(binary.c_str(), X_OK) == 0);
  TempDir dir("prompt");
  dir.write("screens/s.sql", "SELECT 1;\n");
  const std::vector<std::string> args = {
      binary, "run", "-p", "-S", dir / "no.sock", "-u", "nobody", "--scenarios", dir / "screens"};
  const OnTerminal typed = run_on_terminal(args, "s3cretpw\r");
  INFO(typed.screen);
  CHECK(contains(typed.screen, "Enter password: "));
  CHECK_FALSE(contains(typed.screen, "s3cretpw"));  // no echo, and never in a message
  CHECK(contains(typed.screen, "cannot connect to socket " + (dir / "no.sock")));
  CHECK(WIFEXITED(typed.status));
  CHECK(WEXITSTATUS(typed.status) == 2);
  const OnTerminal cancelled = run_on_terminal(args, "abc\x03");
  CHECK(contains(cancelled.screen, "interrupted at the password prompt"));
  CHECK(WEXITSTATUS(cancelled.status) == 2);
  // No controlling terminal (CI, a pipe): refused before anything connects.
  const ProcessResult detached = run_process_detached(args);
  CHECK(detached.code == 64);
  CHECK(contains(detached.err,
                 "-p without a password asks for it on a terminal, and there is "
                 "none here"));
}

}  // namespace
}  // namespace sqlmeasure::testing
