// A password never appears in output, logs or results files (PRODUCT.md §3, §8). Every
// command runs in-process against a user with a distinctive password, handed over in
// every way the tool accepts (-p, a DSN, MYSQL_PWD, password_env, password_command, an
// option file), on success and failure paths, with and without --verbose; then stdout,
// stderr and every file written are searched for it.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "db/db_test_support.h"
#include "sqlmeasure/cli.h"
#include "sqlmeasure/error.h"
#include "support/cli_runner.h"
#include "support/db_fixture.h"
#include "support/process.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"

using namespace sqlmeasure;
namespace fs = std::filesystem;

namespace {

using sqlmeasure::testing::LiveCompareArgs;
using sqlmeasure::testing::read_text;
using sqlmeasure::testing::ScopedEnv;
using sqlmeasure::testing::write_text;

// A user of its own with a distinctive password, granted the test database; dropped at
// the end.
class SecretUser {
 public:
  explicit SecretUser(testing::TestDatabase& db) : db_(db) {
    const std::string pid = std::to_string(::getpid());
    name_ = "sqlm_secret_" + pid;
    password_ = "S3cr3t-sqlm-" + pid;
    wrong_password_ = "Wr0ng-sqlm-" + pid;
    drop();
    for (const char* host : {"localhost", "127.0.0.1"}) {
      db_.admin().execute("CREATE USER '" + name_ + "'@'" + host + "' IDENTIFIED BY '" + password_ +
                          "'");
      db_.admin().execute("GRANT ALL PRIVILEGES ON `" + db_.name() + "`.* TO '" + name_ + "'@'" +
                          host + "'");
      db_.admin().execute("GRANT SELECT ON mysql.* TO '" + name_ + "'@'" + host + "'");
    }
  }
  ~SecretUser() {
    try {
      drop();
    } catch (const Error&) {
      // The server went away; nothing left to clean.
    }
  }
  SecretUser(const SecretUser&) = delete;
  SecretUser& operator=(const SecretUser&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& password() const { return password_; }
  [[nodiscard]] const std::string& wrong_password() const { return wrong_password_; }

 private:
  void drop() {
    for (const char* host : {"localhost", "127.0.0.1"}) {
      db_.admin().execute("DROP USER IF EXISTS '" + name_ + "'@'" + host + "'");
    }
  }
  testing::TestDatabase& db_;
  std::string name_, password_, wrong_password_;
};

using sqlmeasure::testing::CliResult;

// One way of handing the password over: extra arguments, environment, and the warning the
// tool must print about it (empty when it must not warn).
struct Delivery {
  std::string name;
  std::vector<std::string> connection_args;  // the connection flags
  std::vector<std::string> config_args;      // --config FILE
  std::optional<std::string> mysql_pwd;
  std::optional<std::string> password_env;  // the value of SQLM_SECRET_TEST_PW
  std::string warning;
};

class SecretsFixture {
 public:
  SecretsFixture() : db_("secrets"), user_(db_) {
    db_.run_script(
        "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, a INT NOT NULL, b INT NOT NULL,"
        " KEY k_a (a));"
        "INSERT INTO t (a, b) VALUES (1, 10), (2, 20), (1, 30), (3, 40), (2, 50), (1, 60);");
    scenarios_ = scratch_.root() / "scenarios";
    fs::create_directories(scenarios_ / "screens");
    write_text(scenarios_ / "screens" / "secret_screen.toml",
               "description = \"a screen for the secrets test\"\n"
               "[[query]]\nname = \"by_a\"\nsql = \"SELECT id, b FROM t WHERE a = :a\"\n"
               "params.a = [1, 2]\n"
               "[[query]]\nname = \"drawn\"\nsql = \"SELECT b FROM t WHERE id = :id\"\n"
               "params.id = { from = \"SELECT id FROM t ORDER BY id\", sample = 3 }\n");
    write_text(scenarios_ / "screens" / "plain.sql", "-- name: count\nSELECT COUNT(*) FROM t;\n");
    write_text(scratch_.root() / "up.sql", "ALTER TABLE t ADD INDEX k_b (b);\n");
    write_text(scratch_.root() / "down.sql", "ALTER TABLE t DROP INDEX k_b;\n");
    write_text(scratch_.root() / "bad_up.sql", "ALTER TABLE no_such_table ADD INDEX k (a);\n");
    write_text(scratch_.root() / "empty.toml", "");
    out_ = scratch_.root() / "out";
    fs::create_directories(out_);
  }

  [[nodiscard]] const SecretUser& user() const { return user_; }

  // The ways to pass `password` (the right one or the wrong one).
  std::vector<Delivery> deliveries(const std::string& password) {
    const std::string socket = testing::test_socket();
    const std::vector<std::string> target = {"-S", socket, "-u", user_.name(), "-D", db_.name()};
    std::vector<Delivery> all;
    const std::string empty_config = (scratch_.root() / "empty.toml").string();

    Delivery flag{
        "-p",         target,       {"--config", empty_config},
        std::nullopt, std::nullopt, "a password on the command line can be seen by other users"};
    flag.connection_args.insert(flag.connection_args.end(), {"-p", password});
    all.push_back(flag);

    Delivery dsn{"--dsn",
                 {"--dsn", "mysql://" + user_.name() + ":" + password + "@localhost/" + db_.name() +
                               "?socket=" + socket},
                 {"--config", empty_config},
                 std::nullopt,
                 std::nullopt,
                 "--dsn holds a password"};
    all.push_back(dsn);

    all.push_back({"MYSQL_PWD", target, {"--config", empty_config}, password, std::nullopt, ""});

    fs::path config = scratch_.root() / ("config-" + std::to_string(all.size()) + ".toml");
    write_text(config, "[connection]\nsocket = \"" + socket + "\"\nuser = \"" + user_.name() +
                           "\"\ndatabase = \"" + db_.name() +
                           "\"\npassword_env = \"SQLM_SECRET_TEST_PW\"\n");
    all.push_back({"password_env", {}, {"--config", config.string()}, std::nullopt, password, ""});

    // A command that prints it (as `aws rds generate-db-auth-token` prints a token); it reads
    // the password from the environment, so the config file does not hold it.
    fs::path command_config = scratch_.root() / ("config-" + std::to_string(all.size()) + ".toml");
    write_text(command_config, "[connection]\nsocket = \"" + socket + "\"\nuser = \"" +
                                   user_.name() + "\"\ndatabase = \"" + db_.name() +
                                   "\"\npassword_command = \"printf '%s\\\\n' "
                                   "\\\"$SQLM_SECRET_TEST_PW\\\"\"\n");
    all.push_back({"password_command",
                   {},
                   {"--config", command_config.string()},
                   std::nullopt,
                   password,
                   ""});

    fs::path option_file = scratch_.root() / ("my-" + std::to_string(all.size()) + ".cnf");
    write_text(option_file, "[client]\npassword=" + password + "\n");
    Delivery defaults{"--defaults-file", target,       {"--config", empty_config},
                      std::nullopt,      std::nullopt, ""};
    defaults.connection_args.insert(defaults.connection_args.end(),
                                    {"--defaults-file", option_file.string()});
    all.push_back(defaults);
    return all;
  }

  CliResult run(const Delivery& delivery, std::vector<std::string> args) {
    args.insert(args.end(), delivery.connection_args.begin(), delivery.connection_args.end());
    args.insert(args.end(), delivery.config_args.begin(), delivery.config_args.end());
    ScopedEnv mysql_pwd("MYSQL_PWD", delivery.mysql_pwd);
    ScopedEnv password_env("SQLM_SECRET_TEST_PW", delivery.password_env);
    return sqlmeasure::testing::run_in_process(args);
  }

  // Neither password in the output nor in any file written so far. The option files and
  // configs are ours (the scratch directory), so only the out dir is searched.
  void check_clean(const CliResult& result) const {
    for (const std::string* secret : {&user_.password(), &user_.wrong_password()}) {
      CHECK(result.out.find(*secret) == std::string::npos);
      CHECK(result.err.find(*secret) == std::string::npos);
    }
    for (const auto& entry : fs::recursive_directory_iterator(out_)) {
      if (!entry.is_regular_file()) continue;
      INFO("file: " << entry.path().string());
      std::string text = read_text(entry.path());
      CHECK(text.find(user_.password()) == std::string::npos);
      CHECK(text.find(user_.wrong_password()) == std::string::npos);
      if (entry.path().extension() == ".json") {
        // docs/results-format.md: no passwords or user names in results files.
        CHECK(text.find(user_.name()) == std::string::npos);
      }
    }
  }

  [[nodiscard]] std::string scenarios() const { return scenarios_.string(); }
  [[nodiscard]] std::string out(const std::string& name) const { return (out_ / name).string(); }
  [[nodiscard]] std::string file(const std::string& name) const {
    return (scratch_.root() / name).string();
  }
  [[nodiscard]] std::string schema() { return db_.schema_fingerprint(); }
  [[nodiscard]] const std::string& database() const { return db_.name(); }

 private:
  testing::TestDatabase db_;
  SecretUser user_;
  testing::TempDir scratch_{"secrets"};
  fs::path scenarios_, out_;
};

void check_warning(const CliResult& result, const Delivery& delivery) {
  if (!delivery.warning.empty()) {
    CHECK(result.err.find("sqlmeasure: warning: " + delivery.warning) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("secrets: no command prints or writes the password, on success", "[db][secrets]") {
  SQLMEASURE_REQUIRE_SERVER();
  SecretsFixture fixture;
  const std::string schema_before = fixture.schema();
  int case_number = 0;
  for (const Delivery& delivery : fixture.deliveries(fixture.user().password())) {
    for (bool verbose : {false, true}) {
      const std::string tag = std::to_string(++case_number);
      INFO("password via " << delivery.name << (verbose ? ", --verbose" : ""));
      std::vector<std::string> extra =
          verbose ? std::vector<std::string>{"--verbose"} : std::vector<std::string>{};
      auto command = [&](std::vector<std::string> args) {
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
      };
      const std::string measure_flags[] = {"--iterations", "2", "--warmup", "0"};
      std::vector<std::string> measure(std::begin(measure_flags), std::end(measure_flags));

      std::vector<std::string> run_args = {"run", "--scenarios", fixture.scenarios(), "-o",
                                           fixture.out("run-" + tag + ".json")};
      run_args.insert(run_args.end(), measure.begin(), measure.end());
      CliResult run = fixture.run(delivery, command(run_args));
      INFO("run stderr: " << run.err);
      CHECK(run.code == 0);
      check_warning(run, delivery);
      fixture.check_clean(run);
      // An option file is read by the client library, so only the others can be noted.
      if (verbose && delivery.name != "--defaults-file") {
        CHECK(run.err.find(delivery.name == "password_command"
                               ? "(with the password password_command prints)"
                               : "(with a password)") != std::string::npos);
      }

      std::vector<std::string> again = run_args;
      again[4] = fixture.out("run-" + tag + "-again.json");
      CHECK(fixture.run(delivery, command(again)).code == 0);
      CliResult offline =
          fixture.run(delivery, command({"compare", fixture.out("run-" + tag + ".json"),
                                         fixture.out("run-" + tag + "-again.json")}));
      INFO("compare stderr: " << offline.err);
      // An offline compare uses no connection: connection flags are refused (exit 64), and
      // the refusal names the flag, never the secret.
      if (delivery.connection_args.empty()) {
        CHECK((offline.code == 0 || offline.code == 1));
      } else {
        CHECK(offline.code == 64);
        CHECK(offline.err.find("does not apply to an offline compare") != std::string::npos);
      }
      fixture.check_clean(offline);

      const LiveCompareArgs live_args{.scenarios = fixture.scenarios(),
                                      .migration = fixture.file("up.sql"),
                                      .rollback = fixture.file("down.sql"),
                                      .out_dir = fixture.out("live-" + tag),
                                      .iterations = "2",
                                      .warmup = "0",
                                      .extra = {"--no-before-again"}};
      CliResult live = fixture.run(delivery, command(live_args.build()));
      INFO("live compare stderr: " << live.err);
      CHECK((live.code == 0 || live.code == 1));
      check_warning(live, delivery);
      fixture.check_clean(live);

      CliResult explain =
          fixture.run(delivery, command({"explain", "--scenarios", fixture.scenarios()}));
      INFO("explain stderr: " << explain.err);
      CHECK(explain.code == 0);
      fixture.check_clean(explain);

      CliResult indexes =
          fixture.run(delivery, command({"indexes", "--scenarios", fixture.scenarios()}));
      INFO("indexes stderr: " << indexes.err);
      CHECK((indexes.code == 0 || indexes.code == 1));
      fixture.check_clean(indexes);

      // check and list take no connection flags; they still read the config.
      Delivery offline_only = delivery;
      offline_only.connection_args.clear();
      for (const char* name : {"check", "list"}) {
        CliResult result =
            fixture.run(offline_only, command({name, "--scenarios", fixture.scenarios()}));
        INFO(name << " stderr: " << result.err);
        CHECK(result.code == 0);
        fixture.check_clean(result);
      }
    }
  }
  CHECK(fixture.schema() == schema_before);  // every live compare rolled back
}

TEST_CASE("secrets: no command prints or writes the password, on failure", "[db][secrets]") {
  SQLMEASURE_REQUIRE_SERVER();
  SecretsFixture fixture;

  SECTION("a wrong password: exit 2, access denied, and neither password shown") {
    int case_number = 0;
    for (const Delivery& delivery : fixture.deliveries(fixture.user().wrong_password())) {
      for (bool verbose : {false, true}) {
        const std::string tag = std::to_string(++case_number);
        INFO("wrong password via " << delivery.name << (verbose ? ", --verbose" : ""));
        std::vector<std::vector<std::string>> commands = {
            {"run", "--scenarios", fixture.scenarios(), "-o", fixture.out("bad-" + tag + ".json")},
            LiveCompareArgs{.scenarios = fixture.scenarios(),
                            .migration = fixture.file("up.sql"),
                            .rollback = fixture.file("down.sql"),
                            .out_dir = fixture.out("bad-live-" + tag)}
                .build(),
            {"explain", "--scenarios", fixture.scenarios()}};
        commands.push_back({"indexes", "--scenarios", fixture.scenarios()});
        for (std::vector<std::string> args : commands) {
          if (verbose) args.push_back("--verbose");
          CliResult result = fixture.run(delivery, args);
          INFO(args[0] << " stderr: " << result.err);
          CHECK(result.code == 2);
          CHECK(result.err.find("Access denied for user '" + fixture.user().name() + "'") !=
                std::string::npos);
          check_warning(result, delivery);
          fixture.check_clean(result);
        }
      }
    }
  }

  SECTION("password_env naming a variable that is not set: exit 78, the name only") {
    Delivery unset = fixture.deliveries(fixture.user().password())[3];
    REQUIRE(unset.name == "password_env");
    unset.password_env.reset();
    ScopedEnv pwd("MYSQL_PWD", fixture.user().password());  // must not be used instead
    CliResult result = fixture.run(
        unset, {"run", "--scenarios", fixture.scenarios(), "-o", fixture.out("unset.json")});
    CHECK(result.code == 78);
    CHECK(result.err.find("SQLM_SECRET_TEST_PW") != std::string::npos);
    fixture.check_clean(result);
  }

  SECTION("a failed migration: exit 2, reported, nothing leaked") {
    for (const Delivery& delivery : fixture.deliveries(fixture.user().password())) {
      INFO("password via " << delivery.name);
      CliResult result = fixture.run(
          delivery, LiveCompareArgs{.scenarios = fixture.scenarios(),
                                    .migration = fixture.file("bad_up.sql"),
                                    .out_dir = fixture.out("failed-migration-" + delivery.name),
                                    .iterations = "2",
                                    .warmup = "0",
                                    .extra = {"--verbose", "--keep"}}
                        .build());
      INFO("stderr: " << result.err);
      CHECK(result.code == 2);
      fixture.check_clean(result);
    }
  }

  SECTION("a password given to a command that takes none is not echoed") {
    // check and list have no connection flags: the usage error must not quote them back.
    const std::string dsn = "mysql://u:" + fixture.user().password() + "@localhost/x";
    for (const char* name : {"check", "list"}) {
      for (const std::vector<std::string>& extra :
           {std::vector<std::string>{"-p", fixture.user().password()},
            std::vector<std::string>{"--password=" + fixture.user().password()},
            std::vector<std::string>{"--dsn", dsn}}) {
        std::vector<std::string> args = {name, "--scenarios", fixture.scenarios()};
        args.insert(args.end(), extra.begin(), extra.end());
        std::ostringstream out, err;
        int code = run_cli(Invocation{args, out, err});
        INFO(name << " " << extra[0].substr(0, 10) << " stderr: " << err.str());
        CHECK(code == 64);
        CHECK(out.str().find(fixture.user().password()) == std::string::npos);
        CHECK(err.str().find(fixture.user().password()) == std::string::npos);
      }
    }
  }

  SECTION("a DSN with a bad port: exit 64, the DSN not quoted") {
    std::ostringstream out, err;
    int code = run_cli(Invocation{{"run", "--scenarios", fixture.scenarios(), "--dsn",
                                   "mysql://u:" + fixture.user().password() + "@localhost:99999/x"},
                                  out,
                                  err});
    INFO("stderr: " << err.str());
    CHECK(code == 64);
    CHECK(err.str().find(fixture.user().password()) == std::string::npos);
  }
}

// /proc/PID/cmdline of a running process, its arguments joined by spaces.
std::string command_line_of(pid_t pid) {
  std::string text = read_text("/proc/" + std::to_string(pid) + "/cmdline");
  std::replace(text.begin(), text.end(), '\0', ' ');
  return text;
}

// [long]: left out of the sanitized suite, where the unit test "passwords on the command line
// are overwritten in argv" drives the same masking (docs/safety.md §7).
TEST_CASE("secrets: a password on the command line is masked in ps while the run lasts",
          "[db][secrets][long]") {
  SQLMEASURE_REQUIRE_SERVER();
  SecretsFixture fixture;
  const std::string& password = fixture.user().password();
  testing::TempDir dir("argv");
  dir.write("screens/slow.sql", "SELECT SLEEP(1.5);\n");
  dir.write("empty.toml", "");
  const std::string socket = testing::test_socket();
  const std::string database = fixture.database();
  const std::vector<std::vector<std::string>> deliveries = {
      {"-u", fixture.user().name(), "-p", password, "-S", socket, "-D", database},
      {"-u", fixture.user().name(), "--password=" + password, "-S", socket, "-D", database},
      {"-u", fixture.user().name(), "-p" + password, "-S", socket, "-D", database},
      {"--dsn", "mysql://" + fixture.user().name() + ":" + password + "@localhost/" + database +
                    "?socket=" + socket}};
  for (const std::vector<std::string>& delivery : deliveries) {
    std::vector<std::string> args = {"run",         "--config",      dir / "empty.toml",
                                     "--scenarios", dir / "screens", "--iterations",
                                     "1",           "--warmup",      "0",
                                     "-o",          dir / "out.json"};
    args.insert(args.end(), delivery.begin(), delivery.end());
    INFO("args: " << args.back());
    testing::Process run(testing::sqlmeasure_binary(), args, dir / "stdout", dir / "stderr");
    std::this_thread::sleep_for(std::chrono::milliseconds(700));  // inside the SLEEP
    REQUIRE(run.running());
    std::string shown = command_line_of(run.pid());
    // /proc/PID/cmdline can read empty for a moment on a loaded machine: read it again.
    for (int i = 0; i < 20 && shown.empty() && run.running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      shown = command_line_of(run.pid());
    }
    INFO("cmdline: " << shown);
    CHECK(shown.find(password) == std::string::npos);
    CHECK(shown.find(std::string(password.size(), 'x')) != std::string::npos);
    CHECK(run.wait(std::chrono::seconds(30)) == 0);  // the program itself still had it
  }
}
