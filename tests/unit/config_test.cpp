// sqlmeasure.toml, mysql:// DSNs, and how flags, config and defaults combine
// (flags > config > defaults). A password never shows up in a message.
#include "sqlmeasure/config.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/options.h"
#include "sqlmeasure/error.h"
#include "support/command_context.h"
#include "support/error_outcome.h"
#include "support/in_directory.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"
#include "support/text_checks.h"

using namespace sqlmeasure;
namespace fs = std::filesystem;

namespace {

using sqlmeasure::testing::InDirectory;
using sqlmeasure::testing::ScopedEnv;
using sqlmeasure::testing::TempDir;

using sqlmeasure::testing::check_one_message;
using sqlmeasure::testing::config_with;
using sqlmeasure::testing::contains;
using sqlmeasure::testing::Outcome;
using sqlmeasure::testing::outcome_of;
using sqlmeasure::testing::StringContext;

// load_project_config on a file holding `text`; must fail with exit 78 and one message
// starting with `file:location: `, where location is "line:col", or "line" for any column.
std::string bad_config(const std::string& text, const std::string& location) {
  TempDir dir;
  std::string path = dir.write("sqlmeasure.toml", text);
  Outcome result = outcome_of([&] { (void)load_project_config(path); });
  INFO(text);
  REQUIRE(result.threw);
  INFO("message: " << result.message);
  CHECK(result.code == ExitCode::kBadConfig);
  check_one_message(result.message);
  if (location.find(':') == std::string::npos) {
    const std::string prefix = path + ":" + location + ":";
    REQUIRE(result.message.starts_with(prefix));
    const std::size_t end = result.message.find_first_not_of("0123456789", prefix.size());
    CHECK(end > prefix.size());
    CHECK(result.message.substr(end, 2) == ": ");
  } else {
    CHECK(result.message.starts_with(path + ":" + location + ": "));
  }
  return result.message;
}

// parse_dsn that must fail: returns the message.
std::string bad_dsn(const std::string& dsn, ExitCode code = ExitCode::kUsage) {
  Outcome result = outcome_of([&] { (void)parse_dsn(dsn, "--dsn", code); });
  INFO(dsn);
  REQUIRE(result.threw);
  CHECK(result.code == code);
  CHECK(result.message.starts_with("--dsn: "));
  return result.message;
}

}  // namespace

TEST_CASE("no sqlmeasure.toml in the working directory is fine", "[unit][config]") {
  TempDir dir;
  InDirectory in(dir.path());
  ProjectConfig config = load_project_config(std::nullopt);
  CHECK(config.path.empty());
  CHECK_FALSE(config.connection.host);
  CHECK_FALSE(config.scenarios);
  CHECK_FALSE(config.iterations);
}

TEST_CASE("./sqlmeasure.toml is read when present", "[unit][config]") {
  TempDir dir;
  dir.write("sqlmeasure.toml", "[run]\niterations = 50\n");
  InDirectory in(dir.path());
  ProjectConfig config = load_project_config(std::nullopt);
  CHECK(config.path == "sqlmeasure.toml");
  CHECK(config.iterations == 50);
}

TEST_CASE("an explicit config file must exist", "[unit][config]") {
  TempDir dir;
  std::string missing = dir / "nope.toml";
  Outcome result = outcome_of([&] { (void)load_project_config(missing); });
  CHECK(result.code == ExitCode::kBadConfig);
  CHECK(static_cast<int>(result.code) == 78);
  CHECK(result.message == missing + ": config file not found");
}

TEST_CASE("every config key is read", "[unit][config]") {
  TempDir dir;
  std::string path = dir.write("c.toml",
                               "[connection]\n"
                               "host = \"db.internal\"\n"
                               "port = 3307\n"
                               "socket = \"/run/mysqld/mysqld.sock\"\n"
                               "user = \"measure\"\n"
                               "password_env = \"APP_DB_PASSWORD\"\n"
                               "database = \"shop\"\n"
                               "ssl_mode = \"required\"\n"
                               "ssl_ca = \"/etc/ca.pem\"\n"
                               "defaults_file = \"/etc/my.cnf\"\n"
                               "connect_timeout = 5\n"
                               "query_timeout_ms = 2000\n"
                               "[run]\n"
                               "scenarios = \"sql/screens\"\n"
                               "screens = \"top, work_*\"\n"
                               "warmup = 3\n"
                               "iterations = 40\n"
                               "seed = 7\n"
                               "order = \"shuffled\"\n"
                               "[compare]\n"
                               "threshold = 0.2\n"
                               "alpha = 0.05\n"
                               "min_delta_ms = 1\n"
                               "min_rows_delta = 500\n"
                               "fail_on = [\"time\", \"plan\"]\n"
                               "before_dsn = \"mysql://r@before/shop\"\n"
                               "after_dsn = \"mysql://r@after/shop\"\n"
                               "[history]\n"
                               "dir = \"nightly-history\"\n");
  ProjectConfig config = load_project_config(path);
  CHECK(config.path == path);
  const ConnectionConfig& c = config.connection;
  CHECK(c.host == "db.internal");
  CHECK(c.port == 3307u);
  CHECK(c.socket == "/run/mysqld/mysqld.sock");
  CHECK(c.user == "measure");
  CHECK(c.password_env == "APP_DB_PASSWORD");
  CHECK(c.database == "shop");
  CHECK(c.ssl_mode == "required");
  CHECK(c.ssl_ca == "/etc/ca.pem");
  CHECK(c.defaults_file == "/etc/my.cnf");
  CHECK(c.connect_timeout_s == 5u);
  CHECK(c.query_timeout_ms == 2000u);
  CHECK(config.scenarios == "sql/screens");
  CHECK(config.screens == std::vector<std::string>{"top", "work_*"});
  CHECK(config.warmup == 3);
  CHECK(config.iterations == 40);
  CHECK(config.seed == 7u);
  CHECK(config.order == Order::kShuffled);
  CHECK(config.threshold == Approx(0.2));
  CHECK(config.alpha == Approx(0.05));
  CHECK(config.min_delta_ms == Approx(1.0));  // an integer is a fine number
  CHECK(config.min_rows_delta == 500u);
  CHECK(config.fail_on == std::set<Gate>{Gate::kTime, Gate::kPlan});
  CHECK(config.before_dsn == "mysql://r@before/shop");
  CHECK(config.after_dsn == "mysql://r@after/shop");
  CHECK(config.history_dir == "nightly-history");
}

TEST_CASE("drift is run's gate, not a comparison's", "[unit][config]") {
  CHECK(contains(bad_config("[compare]\nfail_on = [\"time\", \"drift\"]\n", "2"),
                 "'drift' is a gate of `run --fail-on`, not of a comparison"));
}

TEST_CASE("[history] takes one key, dir, not empty", "[unit][config]") {
  CHECK(contains(bad_config("[history]\ndir = \"\"\n", "2"), "'dir' is empty"));
  CHECK(contains(bad_config("[history]\ndirectory = \"h\"\n", "2"), "directory"));
}

TEST_CASE("malformed config TOML is exit 78 with file:line:col", "[unit][config]") {
  CHECK(contains(bad_config("[run]\niterations = = 3\n", "2:14"), "malformed TOML"));
  CHECK(contains(bad_config("[run\n", "1:5"), "malformed TOML"));
}

TEST_CASE("unknown config keys are exit 78 with a did-you-mean", "[unit][config]") {
  std::string top = bad_config("[conection]\nhost = \"x\"\n", "1");
  CHECK(contains(top, "unknown key 'conection'"));
  CHECK(contains(top, "did you mean 'connection'"));
  std::string in_section = bad_config("[connection]\nhots = \"db\"\n", "2");
  CHECK(contains(in_section, "unknown key 'hots' in [connection]"));
  CHECK(contains(in_section, "did you mean 'host'"));
  CHECK(contains(bad_config("[run]\niteration = 3\n", "2"), "did you mean 'iterations'"));
  CHECK(contains(bad_config("[compare]\nfail-on = \"plan\"\n", "2"), "did you mean 'fail_on'"));
}

TEST_CASE("a password in the config is refused without being echoed", "[unit][config]") {
  std::string message = bad_config("[connection]\nuser = \"app\"\npassword = \"hunter2\"\n", "3");
  CHECK(contains(message, "passwords do not belong in sqlmeasure.toml"));
  CHECK(contains(message, "password_env"));
  CHECK_FALSE(contains(message, "hunter2"));
}

TEST_CASE("config values of the wrong type or range are exit 78", "[unit][config]") {
  CHECK(contains(bad_config("[connection]\nport = 70000\n", "2:8"),
                 "'port' must be an integer from 1 to 65535"));
  CHECK(contains(bad_config("[connection]\nhost = 1\n", "2:8"), "'host' must be a string"));
  CHECK(contains(bad_config("[connection]\nssl_mode = \"SOMETIMES\"\n", "2:12"), "SSL mode"));
  CHECK(contains(bad_config("[run]\norder = \"random\"\n", "2:9"),
                 "'order' must be \"round-robin\" or \"shuffled\""));
  CHECK(contains(bad_config("[run]\nwarmup = -1\n", "2:10"), "'warmup' must be an integer"));
  CHECK(contains(bad_config("[compare]\nfail_on = [1]\n", "2:12"), "'fail_on' must list strings"));
  // A value that parses but means nothing names the TOML key, not the flag, and exits 78.
  CHECK(contains(
      bad_config("[compare]\nfail_on = \"time, speed\"\n", "2:11"),
      "[compare] fail_on: unknown gate 'speed' (expected errors, time, rows, plan, results, "
      "warnings, budget, drift, or none)"));
  CHECK(contains(bad_config("[compare]\nalpha = \"low\"\n", "2:9"), "'alpha' must be a number"));
  CHECK(
      contains(bad_config("[compare]\nthreshold = nan\n", "2:13"), "'threshold' must be a number"));
  CHECK(contains(bad_config("[compare]\nmin_delta_ms = inf\n", "2:16"), "'min_delta_ms' must be"));
  CHECK(contains(bad_config("run = 3\n", "1:7"), "[run] must be a table"));
}

TEST_CASE("a bad DSN in the config is exit 78 and keeps its password", "[unit][config]") {
  TempDir dir;
  std::string path =
      dir.write("c.toml", "[connection]\ndsn = \"mysql://app:hunter2@db:99999/shop\"\n");
  Outcome result = outcome_of([&] { (void)load_project_config(path); });
  CHECK(result.code == ExitCode::kBadConfig);
  CHECK(result.message.starts_with(path + ":2:7: [connection] dsn: the port"));
  CHECK_FALSE(contains(result.message, "hunter2"));
}

TEST_CASE("parse_dsn reads every part", "[unit][config][dsn]") {
  SECTION("user, host, port, database") {
    Dsn dsn = parse_dsn("mysql://app@db.example.com:3307/shop", "--dsn", ExitCode::kUsage);
    CHECK(dsn.user == "app");
    CHECK_FALSE(dsn.password);
    CHECK(dsn.host == "db.example.com");
    CHECK(dsn.port == 3307u);
    CHECK(dsn.database == "shop");
    CHECK_FALSE(dsn.socket);
    CHECK_FALSE(dsn.ssl_mode);
  }
  SECTION("password") {
    Dsn dsn = parse_dsn("mysql://app:s3cr3t@db/shop", "--dsn", ExitCode::kUsage);
    CHECK(dsn.user == "app");
    CHECK(dsn.password == "s3cr3t");
    CHECK_FALSE(dsn.port);
  }
  SECTION("IPv6") {
    Dsn dsn = parse_dsn("mysql://root@[::1]:3306/db", "--dsn", ExitCode::kUsage);
    CHECK(dsn.host == "::1");
    CHECK(dsn.port == 3306u);
    Dsn no_port = parse_dsn("mysql://[fe80::1]/db", "--dsn", ExitCode::kUsage);
    CHECK(no_port.host == "fe80::1");
    CHECK_FALSE(no_port.port);
    CHECK_FALSE(no_port.user);
  }
  SECTION("socket and TLS options") {
    Dsn dsn = parse_dsn(
        "mysql://root@localhost/db?socket=/run/mysqld/mysqld.sock&ssl-mode=VERIFY_CA&ssl-ca=/etc/"
        "ca.pem",
        "--dsn", ExitCode::kUsage);
    CHECK(dsn.host == "localhost");
    CHECK(dsn.socket == "/run/mysqld/mysqld.sock");
    CHECK(dsn.ssl_mode == "VERIFY_CA");
    CHECK(dsn.ssl_ca == "/etc/ca.pem");
    CHECK(parse_dsn("mysql://h/d?ssl_mode=required", "--dsn", ExitCode::kUsage).ssl_mode ==
          "required");
  }
  SECTION("percent-escapes") {
    Dsn dsn = parse_dsn("mysql://ops%40corp:p%3Fw%2F%25@h/my%20db?socket=%2Ftmp%2Fa%20b.sock",
                        "--dsn", ExitCode::kUsage);
    CHECK(dsn.user == "ops@corp");
    CHECK(dsn.password == "p?w/%");
    CHECK(dsn.database == "my db");
    CHECK(dsn.socket == "/tmp/a b.sock");
  }
  SECTION("the minimal and the mariadb:// forms") {
    Dsn host_only = parse_dsn("mysql://db", "--dsn", ExitCode::kUsage);
    CHECK(host_only.host == "db");
    CHECK_FALSE(host_only.database);
    CHECK_FALSE(host_only.user);
    CHECK(parse_dsn("mariadb://u@h:3306/d", "--dsn", ExitCode::kUsage).database == "d");
    Dsn empty_password = parse_dsn("mysql://u:@h/d", "--dsn", ExitCode::kUsage);
    CHECK(empty_password.password == "");
  }
}

TEST_CASE("bad DSNs are errors that never echo the password", "[unit][config][dsn]") {
  // Every DSN carries the password "hunter2secret"; no message may show any of it.
  const std::string secret = "hunter2secret";
  auto check_secret_kept = [&](const std::string& message) {
    CHECK_FALSE(contains(message, secret));
    CHECK_FALSE(contains(message, "hunter2"));
    CHECK_FALSE(contains(message, "secret"));
  };
  check_secret_kept(bad_dsn("postgres://u:hunter2secret@h/db"));
  CHECK(contains(bad_dsn("postgres://u:hunter2secret@h/db"),
                 "a DSN starts with mysql:// or mariadb://"));
  for (const char* port : {"99999", "0", "abc", "", "33060000", "-1"}) {
    std::string message = bad_dsn("mysql://u:hunter2secret@h:" + std::string(port) + "/db");
    CHECK(contains(message, "the port in the DSN must be a number from 1 to 65535"));
    check_secret_kept(message);
  }
  std::string option = bad_dsn("mysql://u:hunter2secret@h/db?sslmode=REQUIRED");
  CHECK(contains(
      option,
      "unknown DSN option 'sslmode' (known: socket, protocol, ssl-mode, ssl-ca, ssl-cert, ssl-key, "
      "enable-cleartext-plugin)"));
  check_secret_kept(option);
  std::string escape = bad_dsn("mysql://u:hunter2secret%zz@h/db");
  CHECK(contains(escape, "bad %-escape"));
  check_secret_kept(escape);
  std::string bracket = bad_dsn("mysql://u:hunter2secret@[::1:3306/db");
  CHECK(contains(bracket, "unclosed '['"));
  check_secret_kept(bracket);
  std::string ssl = bad_dsn("mysql://u:hunter2secret@h/db?ssl-mode=SOMETIMES");
  CHECK(contains(ssl, "unknown SSL mode 'SOMETIMES'"));
  check_secret_kept(ssl);
  // An unescaped '?' in the password starts the query part: what follows is not an option
  // name to echo, it is the rest of the password.
  check_secret_kept(bad_dsn("mysql://u:x?hunter2secret@h/db"));
  check_secret_kept(bad_dsn("mysql://u:2024?hunter2secret@h/db"));
  check_secret_kept(bad_dsn("mysql://u:2024?hunter2secret=1@h/db"));
  // The exit code is the caller's: 78 for the config, 64 for a flag.
  CHECK(bad_dsn("mysql://h:0/db", ExitCode::kBadConfig).size() > 0);
}

TEST_CASE("connection settings: flags > config > defaults", "[unit][config][precedence]") {
  ScopedEnv no_mysql_pwd("MYSQL_PWD", std::nullopt);
  StringContext w;
  SECTION("defaults") {
    ConnectionOptions options = ConnectionFlags{}.resolve(ProjectConfig{}, w.context);
    CHECK_FALSE(options.host);
    CHECK_FALSE(options.port);
    CHECK_FALSE(options.user);
    CHECK_FALSE(options.password);
    CHECK(options.ssl_mode == SslMode::kDefault);
    CHECK(options.connect_timeout_s == 10u);
    CHECK(options.read_only);
    CHECK(w.err.str().empty());
  }
  SECTION("config keys override the config DSN") {
    ConnectionConfig c;
    c.dsn = "mysql://dsnuser@dsnhost:3310/dsndb?ssl-mode=REQUIRED";
    c.host = "confighost";
    c.database = "configdb";
    c.connect_timeout_s = 3;
    ConnectionOptions options = ConnectionFlags{}.resolve(config_with(c), w.context);
    CHECK(options.host == "confighost");
    CHECK(options.port == 3310u);
    CHECK(options.user == "dsnuser");
    CHECK(options.database == "configdb");
    CHECK(options.ssl_mode == SslMode::kRequired);
    CHECK(options.connect_timeout_s == 3u);
  }
  SECTION("flags override the config; a flag DSN overrides config keys") {
    ConnectionConfig c;
    c.host = "confighost";
    c.port = 3310;
    c.user = "configuser";
    c.database = "configdb";
    ConnectionFlags flags;
    flags.dsn = "mysql://flaguser@dsnhost/dsndb";
    flags.host = "flaghost";
    flags.ssl_mode = "disabled";
    flags.connect_timeout = 30;
    ConnectionOptions options = flags.resolve(config_with(c), w.context);
    CHECK(options.host == "flaghost");  // -h beats --dsn
    CHECK(options.port == 3310u);       // nobody on the command line said otherwise
    CHECK(options.user == "flaguser");  // --dsn beats the config
    CHECK(options.database == "dsndb");
    CHECK(options.ssl_mode == SslMode::kDisabled);
    CHECK(options.connect_timeout_s == 30u);
    CHECK(w.err.str().empty());
  }
  SECTION("--before-dsn replaces --dsn") {
    ConnectionFlags flags;
    flags.dsn = "mysql://u@main/db";
    ConnectionOptions options = flags.resolve(ProjectConfig{}, w.context,
                                              std::string("mysql://u@before/db"), "--before-dsn");
    CHECK(options.host == "before");
  }
  SECTION("VERIFY_CA needs a CA") {
    ConnectionFlags flags;
    flags.ssl_mode = "VERIFY_CA";
    Outcome result = outcome_of([&] { (void)flags.resolve(ProjectConfig{}, w.context); });
    CHECK(result.code == ExitCode::kUsage);
    CHECK(contains(result.message, "--ssl-ca"));
    flags.ssl_ca = "/etc/ca.pem";
    CHECK(flags.resolve(ProjectConfig{}, w.context).ssl_mode == SslMode::kVerifyCa);
  }
  SECTION("a bad --ssl-mode is a usage error") {
    ConnectionFlags flags;
    flags.ssl_mode = "maybe";
    Outcome result = outcome_of([&] { (void)flags.resolve(ProjectConfig{}, w.context); });
    CHECK(result.code == ExitCode::kUsage);
    CHECK(result.message.starts_with("--ssl-mode: unknown SSL mode 'maybe'"));
  }
}

TEST_CASE("passwords: flag > DSN > password_env > MYSQL_PWD, never echoed",
          "[unit][config][precedence]") {
  StringContext w;
  SECTION("MYSQL_PWD") {
    ScopedEnv pwd("MYSQL_PWD", std::string("from-env"));
    CHECK(ConnectionFlags{}.resolve(ProjectConfig{}, w.context).password == "from-env");
    CHECK(w.err.str().empty());
  }
  SECTION("password_env beats MYSQL_PWD") {
    ScopedEnv pwd("MYSQL_PWD", std::string("from-mysql-pwd"));
    ScopedEnv named("SQLMEASURE_TEST_DB_PASSWORD", std::string("from-named-env"));
    ConnectionConfig c;
    c.password_env = "SQLMEASURE_TEST_DB_PASSWORD";
    CHECK(ConnectionFlags{}.resolve(config_with(c), w.context).password == "from-named-env");
  }
  SECTION("password_env naming an unset variable is a config error") {
    ScopedEnv named("SQLMEASURE_TEST_DB_PASSWORD", std::nullopt);
    ConnectionConfig c;
    c.password_env = "SQLMEASURE_TEST_DB_PASSWORD";
    Outcome result =
        outcome_of([&] { (void)ConnectionFlags{}.resolve(config_with(c), w.context); });
    CHECK(result.code == ExitCode::kBadConfig);
    CHECK(contains(result.message, "SQLMEASURE_TEST_DB_PASSWORD is not set"));
  }
  SECTION("-p wins, with a warning that does not repeat it") {
    ScopedEnv pwd("MYSQL_PWD", std::string("from-env"));
    ConnectionFlags flags;
    flags.password = "hunter2";
    ConnectionOptions options = flags.resolve(ProjectConfig{}, w.context);
    CHECK(options.password == "hunter2");
    const std::string warning = w.err.str();
    CHECK(warning.starts_with("sqlmeasure: warning: a password on the command line can be seen"));
    CHECK(contains(warning, "prefer -p alone (a prompt), MYSQL_PWD or password_env"));
    CHECK_FALSE(contains(warning, "hunter2"));
    CHECK(w.out.str().empty());
  }
  SECTION("a password in --dsn wins over the environment, with a warning") {
    ScopedEnv pwd("MYSQL_PWD", std::string("from-env"));
    ConnectionFlags flags;
    flags.dsn = "mysql://app:hunter2@db/shop";
    ConnectionOptions options = flags.resolve(ProjectConfig{}, w.context);
    CHECK(options.password == "hunter2");
    CHECK(contains(w.err.str(), "--dsn holds a password"));
    CHECK_FALSE(contains(w.err.str(), "hunter2"));
  }
  SECTION("the endpoint description never shows the password") {
    ConnectionFlags flags;
    flags.dsn = "mysql://app:hunter2@db:3307/shop";
    ConnectionOptions options = flags.resolve(ProjectConfig{}, w.context);
    CHECK(describe_endpoint(options) == "db:3307");
  }
}

TEST_CASE("run settings: flags > config > defaults", "[unit][config][precedence]") {
  ProjectConfig none;
  RunSettings defaults = RunFlags{}.resolve(none, ScenarioFlags{});
  CHECK(defaults.warmup == 2);
  // --iterations auto is the default: at most kAutoIterationsMax rounds.
  CHECK(defaults.auto_iterations.enabled);
  CHECK(defaults.iterations == kAutoIterationsMax);
  CHECK(defaults.seed == 1u);
  CHECK(defaults.order == Order::kRoundRobin);
  CHECK(defaults.scenarios == "scenarios");
  CHECK(defaults.screen_globs.empty());
  CHECK(defaults.query_timeout_ms == 0u);

  ProjectConfig config;
  config.warmup = 5;
  config.iterations = 50;
  config.seed = 9;
  config.order = Order::kShuffled;
  config.scenarios = "db/screens";
  config.screens = std::vector<std::string>{"top"};
  config.connection.query_timeout_ms = 1500;
  RunSettings from_config = RunFlags{}.resolve(config, ScenarioFlags{});
  CHECK(from_config.warmup == 5);
  CHECK(from_config.iterations == 50);  // a count in the config fixes it
  CHECK_FALSE(from_config.auto_iterations.enabled);
  CHECK(from_config.seed == 9u);
  CHECK(from_config.order == Order::kShuffled);
  CHECK(from_config.scenarios == "db/screens");
  CHECK(from_config.screen_globs == std::vector<std::string>{"top"});
  CHECK(from_config.query_timeout_ms == 1500u);

  RunFlags flags;
  flags.warmup = 0;
  flags.iterations = 3;
  flags.seed = 42;
  flags.order = "round-robin";
  flags.query_timeout_ms = 100;
  ScenarioFlags scenario_flags;
  scenario_flags.scenarios = "other";
  scenario_flags.screens = "work_*, help_beginner";
  RunSettings from_flags = flags.resolve(config, scenario_flags);
  CHECK(from_flags.warmup == 0);
  CHECK(from_flags.iterations == 3);
  CHECK_FALSE(from_flags.auto_iterations.enabled);
  CHECK(from_flags.seed == 42u);
  CHECK(from_flags.order == Order::kRoundRobin);
  CHECK(from_flags.scenarios == "other");
  CHECK(from_flags.screen_globs == std::vector<std::string>{"work_*", "help_beginner"});
  CHECK(from_flags.query_timeout_ms == 100u);
}

TEST_CASE("[[budget]] and [[accept]] in sqlmeasure.toml", "[unit][config]") {
  TempDir dir;
  const std::string path = dir.write("sqlmeasure.toml", R"toml([[budget]]
screens = "work_*, home"
median_ms = 40

[[budget]]
screens = ["*"]
p95_ms = 500

[[accept]]
screen = "work_search"
query = "list"
reason = "FORCE INDEX removed on purpose (#1234)"
expires = 2027-01-31

[[accept]]
screen = "home"
reason = "known"
expires = "2026-12-24"
)toml");
  const ProjectConfig config = load_project_config(path);
  REQUIRE(config.policy.budgets.size() == 2);
  CHECK(config.policy.budgets[0].screens == std::vector<std::string>{"work_*", "home"});
  CHECK(config.policy.budgets[0].budget.median_ms == 40.0);
  CHECK_FALSE(config.policy.budgets[0].budget.p95_ms);
  CHECK(config.policy.budgets[0].budget.source == path + ":1:1");
  CHECK(config.policy.budgets[1].budget.p95_ms == 500.0);
  REQUIRE(config.policy.accepted.size() == 2);
  const Acceptance& first = config.policy.accepted[0];
  CHECK(first.screen == "work_search");
  CHECK(first.query == "list");
  CHECK(first.reason == "FORCE INDEX removed on purpose (#1234)");
  CHECK(date_text(first.expires) == "2027-01-31");
  CHECK(first.source == path + ":9:1");
  CHECK_FALSE(config.policy.accepted[1].query);
  CHECK(date_text(config.policy.accepted[1].expires) == "2026-12-24");
}

TEST_CASE("bad [[budget]] and [[accept]] entries name file:line:col", "[unit][config]") {
  CHECK(contains(bad_config("[[budget]]\nmedian_ms = 5\n", "1:1"), "[[budget]] names no screens"));
  CHECK(contains(bad_config("[[budget]]\nscreens = \"a\"\n", "1:1"),
                 "[[budget]] sets no figure: give median_ms, p95_ms or both"));
  CHECK(contains(bad_config("[[budget]]\nscreens = \"a\"\nmedain_ms = 5\n", "3:1"),
                 "unknown key 'medain_ms' in [[budget]] (did you mean 'median_ms'?)"));
  CHECK(contains(bad_config("[budget]\nscreens = \"a\"\n", "1:1"),
                 "'budget' must be an array of tables: [[budget]]"));
  const std::string entry = "[[accept]]\nscreen = \"home\"\nreason = \"why\"\n";
  CHECK(
      contains(bad_config(entry, "1:1"), "[[accept]] needs an expiry date: expires = 2027-01-31"));
  CHECK(contains(bad_config(entry + "expires = \"soon\"\n", "4:11"),
                 "'expires' must be a date: expires = 2027-01-31"));
  CHECK(contains(bad_config(entry + "expires = \"2027-02-30\"\n", "4:11"),
                 "'expires' must be a date"));
  CHECK(contains(bad_config(entry + "expires = 2027-01-31T10:00:00\n", "4:11"),
                 "'expires' must be a date"));
  CHECK(contains(bad_config("[[accept]]\nscreen = \"home\"\nexpires = 2027-01-31\n", "1:1"),
                 "[[accept]] needs a reason"));
  CHECK(contains(
      bad_config("[[accept]]\nscreen = \"home\"\nreason = \"  \"\nexpires = 2027-01-31\n", "3:10"),
      "[[accept]] needs a reason"));
  CHECK(contains(
      bad_config("[[accept]]\nscreen = \"work_*\"\nreason = \"x\"\nexpires = 2027-01-31\n", "2:10"),
      "[[accept]] needs the screen's name"));
  CHECK(contains(bad_config(entry + "expires = 2027-01-31\nuntil = 2027-01-31\n", "5:9"),
                 "unknown key 'until' in [[accept]]"));
}

TEST_CASE("run settings: auto unless a count is given, or --concurrency replays one",
          "[unit][config][precedence]") {
  ProjectConfig counted;
  counted.iterations = 50;
  RunFlags explicit_auto;
  explicit_auto.iterations_auto = true;  // --iterations auto beats the config's count
  const RunSettings asked = explicit_auto.resolve(counted, ScenarioFlags{});
  CHECK(asked.auto_iterations.enabled);
  CHECK(asked.iterations == kAutoIterationsMax);

  RunFlags concurrent;
  concurrent.concurrency = 4;  // replays a count: the usual 20
  const RunSettings replayed = concurrent.resolve(ProjectConfig{}, ScenarioFlags{});
  CHECK_FALSE(replayed.auto_iterations.enabled);
  CHECK(replayed.iterations == 20);
}
