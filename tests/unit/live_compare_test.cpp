// The undo state machine of a live compare, without a server: a scripted fake server whose
// schema the change really changes, driven through the whole CLI, failing at every step of
// apply and undo, interrupted in every phase, losing its connection while measuring and while
// undoing, and failing its schema check. Each path must end in the right server state,
// message and exit code (docs/safety.md §3). tests/db/live_compare_db_test.cpp does the same
// against a real MariaDB for the paths a real server can be made to take.
#include "sqlmeasure/live_compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sqlmeasure/journal.h"
#include "sqlmeasure/schema_snapshot.h"
#include "support/cli_runner.h"
#include "support/fake_connection.h"
#include "support/process.h"
#include "support/scoped_env.h"
#include "support/string_lists.h"
#include "support/temp_dir.h"
#include "support/text_checks.h"

namespace sqlmeasure::testing {
namespace {

constexpr const char* kTables =
    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
    "TABLE_SCHEMA = 'shop' ORDER BY 1";
constexpr const char* kShowCreate = "SHOW CREATE TABLE `shop`.`works`";
constexpr const char* kDropCategory = "ALTER TABLE works DROP INDEX k_category";
constexpr const char* kAddStarted = "ALTER TABLE works ADD INDEX k_started (started)";
constexpr const char* kAddCategory = "ALTER TABLE works ADD INDEX k_category (category_id)";
constexpr const char* kDropStarted = "ALTER TABLE works DROP INDEX k_started";
constexpr const char* kQuery = "SELECT id FROM works WHERE category_id = 17";

// Where a statement of the fake server fails: after `after` executions of it (on any
// connection), `count` times (0: from then on), with a lost connection or a plain error.
struct Fault {
  std::string sql;
  Failure failure;
  int executed = 0, failed = 0;  // server-wide, so a reconnect does not reset them
};

// One MariaDB, as every connection the tool opens sees it: a table whose indexes the
// migration's statements really change, and the faults a test asks for.
class FakeServer {
 public:
  bool has_category = true, has_started = false;
  std::vector<Fault> faults;
  int admin_opens = 0;
  int admin_opens_allowed = 100;              // later opens fail: the server went away for good
  int admin_opens_refused = 0;                // the next N opens after the first fail: a restart
  std::function<void(const Call&)> observer;  // sees every statement of every connection
  std::string server_id = "1";                // @@server_id: which server this is
  std::string log_bin = "0";                  // @@log_bin: 1 writes a binary log
  std::vector<std::string> replica_hosts;     // connected replicas (SHOW REPLICA HOSTS)
  Flavor flavor = Flavor::kMariaDB;
  std::vector<std::optional<std::string>> privileges = {"ALL PRIVILEGES"};
  bool lock_free = true;  // GET_LOCK: false, another live compare holds the database
  std::vector<std::string> admin_passwords;  // the password of each admin connection opened
  CallLog log;

  Connector connector() {
    return [this](const ConnectionOptions& options) -> std::unique_ptr<Connection> {
      if (!options.read_only) {  // a password_command runs at each connect, as in the driver
        admin_passwords.push_back(options.fetch_password ? options.fetch_password()
                                                         : options.password.value_or(""));
      }
      if (!options.read_only && ++admin_opens > admin_opens_allowed) {
        throw DatabaseError("[2002] Can't connect to server on 'fake'", 2002, "HY000", true, false);
      }
      if (!options.read_only && admin_opens > 1 && admin_opens_refused > 0) {
        --admin_opens_refused;
        throw DatabaseError("[2002] Can't connect to server on 'fake' (restarting)", 2002, "HY000",
                            true, false);
      }
      auto fake = std::make_unique<FakeConnection>(options.read_only ? "target" : "admin", &log);
      ServerInfo server = fake->server();
      server.database = "shop";
      server.flavor = flavor;
      fake->set_server(server);
      if (observer) fake->set_observer(observer);
      script(*fake);
      return fake;
    };
  }

  [[nodiscard]] std::string create_table() const {
    std::string text =
        "CREATE TABLE `works` (\n  `id` int(11) NOT NULL,\n  `category_id` int(11),\n"
        "  `started` datetime,\n  PRIMARY KEY (`id`)";
    if (has_category) text += ",\n  KEY `k_category` (`category_id`)";
    if (has_started) text += ",\n  KEY `k_started` (`started`)";
    return text + "\n) ENGINE=InnoDB";
  }

 private:
  void script(FakeConnection& fake) {
    for (const char* sql : {kDropCategory, kAddStarted, kAddCategory, kDropStarted}) {
      fake.on(sql).does([this, sql] {
        fault_if_due(sql);
        change_schema(sql);
      });
    }
    fake.on("USE `shop`");
    fake.on("SELECT 1");
    fake.on_match(
        [](std::string_view sql) { return sql.starts_with("SET SESSION lock_wait_timeout"); });
    fake.on("SELECT @@log_bin").returns(single_column("@@log_bin", {log_bin}, true));
    fake.on("SET SESSION sql_log_bin = 0");
    fake.on_match([](std::string_view sql) { return sql.starts_with("SELECT GET_LOCK("); })
        .answers([this] { return single_column("GET_LOCK", {lock_free ? "1" : "0"}, true); });
    fake.on_match([](std::string_view sql) { return sql.starts_with("SELECT IS_USED_LOCK("); })
        .answers([this] {
          return single_column("IS_USED_LOCK",
                               {lock_free ? std::nullopt : std::optional<std::string>("77")}, true);
        });
    fake.on("SELECT USER, HOST, TIME FROM information_schema.PROCESSLIST WHERE ID = 77")
        .returns([] {
          ResultSet set;
          set.columns = {"USER", "HOST", "TIME"};
          set.numeric = {false, false, true};
          set.rows.push_back({"deploy", "ci-runner-3:51234", "42"});
          return set;
        }());
    fake.on("SELECT CURRENT_USER()")
        .returns(single_column("CURRENT_USER()", {"root@localhost"}, false));
    fake.on("SELECT ROLE_NAME FROM information_schema.ENABLED_ROLES")
        .returns(single_column("ROLE_NAME", {}, false));
    fake.on_match([](std::string_view sql) {
          return sql.starts_with("SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES");
        })
        .answers([this] { return single_column("PRIVILEGE_TYPE", privileges, false); });
    ResultSet replicas;
    replicas.columns = {"Server_id", "Host", "Port", "Master_id"};
    replicas.numeric = {true, false, true, true};
    for (const std::string& host : replica_hosts) replicas.rows.push_back({"2", host, "3306", "1"});
    fake.on("SHOW REPLICA HOSTS").returns(replicas);
    ResultSet identity;
    identity.columns = {"@@hostname", "@@port", "@@datadir", "@@server_id"};
    identity.numeric = {false, true, false, true};
    identity.rows.push_back({"fakehost", "3306", "/var/lib/fake/", server_id});
    fake.on("SELECT @@hostname, @@port, @@datadir, @@server_id").returns(identity);
    fake.on(kTables).returns(single_column("TABLE_NAME", {"works"}, false));
    fake.on_match([](std::string_view sql) {
          return sql.starts_with(
              "SELECT DISTINCT TABLE_NAME, INDEX_NAME FROM "
              "information_schema.STATISTICS");
        })
        .returns([] {
          ResultSet set;
          set.columns = {"TABLE_NAME", "INDEX_NAME"};
          set.numeric = {false, false};
          set.rows.push_back({"works", "k_category"});
          return set;
        }());
    fake.on(kShowCreate).does([this] { fault_if_due(kShowCreate); }).answers([this] {
      ResultSet set;
      set.columns = {"Table", "Create Table"};
      set.numeric = {false, false};
      set.rows.push_back({"works", create_table()});
      return set;
    });
    fake.on(kQuery)
        .elapsed({1'000'000, 1'100'000, 900'000})
        .rows(1, 20)
        .sum(7)
        .explains_as({plan_row("works", "ref", "k_category", "20")})
        .does([this] { fault_if_due(kQuery); });
  }

  void fault_if_due(const std::string& sql) {
    for (Fault& fault : faults) {
      if (fault.sql != sql) continue;
      const bool due = fault.executed++ >= fault.failure.after &&
                       (fault.failure.count == 0 || fault.failed < fault.failure.count);
      if (!due) continue;
      ++fault.failed;
      if (fault.failure.kind == Failure::Kind::kConnectionLost) {
        throw DatabaseError("[2013] Lost connection to server during query", 2013, "HY000",
                            /*connection_lost=*/true, false);
      }
      throw DatabaseError("[1146] Table 'shop.works' doesn't exist", 1146, "42S02", false, false);
    }
  }

  // What each statement does to the schema. A statement that would fail on a real server
  // (dropping what is not there) fails here too, so a wrong undo shows.
  void change_schema(const std::string& sql) {
    auto needs = [](bool condition) {
      if (!condition) {
        throw DatabaseError("[1091] Can't DROP INDEX; check that it exists", 1091, "42000", false,
                            false);
      }
    };
    if (sql == kDropCategory) needs(has_category), has_category = false;
    if (sql == kAddCategory) needs(!has_category), has_category = true;
    if (sql == kAddStarted) needs(!has_started), has_started = true;
    if (sql == kDropStarted) needs(has_started), has_started = false;
  }
};

struct LiveRun {
  TempDir dir{"live-fake"};
  // Journals of its own: one run's open journal must not stop the next test's run.
  ScopedEnv journals{"SQLMEASURE_JOURNAL_DIR", dir / "journals"};
  FakeServer server;
  std::atomic<bool> interrupted{false};
  std::vector<std::string> extra_args;
  bool verbose = true;  // -v: every step said, which most of these tests check

  LiveRun() {
    dir.write("screens/works.sql", std::string(kQuery) + ";\n");
    dir.write("up.sql", std::string(kDropCategory) + ";\n" + kAddStarted + ";\n");
    dir.write("down.sql", std::string(kAddCategory) + ";\n" + kDropStarted + ";\n");
  }

  int runs = 0;

  // Each run gets a new out-dir (an out-dir holding files is refused): out, out-2, ...
  CliResult run() {
    const std::string out = ++runs == 1 ? dir / "out" : dir / ("out-" + std::to_string(runs));
    std::vector<std::string> args = {"compare",
                                     "--migration",
                                     dir / "up.sql",
                                     "--rollback",
                                     dir / "down.sql",
                                     "--scenarios",
                                     dir / "screens",
                                     "-D",
                                     "shop",
                                     "--out-dir",
                                     out,
                                     "--iterations",
                                     "6",
                                     "--warmup",
                                     "0",
                                     "--format",
                                     "json",
                                     "--reconnect-timeout",
                                     "2"};
    if (verbose) args.emplace_back("-v");
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return run_in_process(args, &interrupted, server.connector());
  }

  // Raises the interrupt flag when the `n`th timed query of the target is about to run.
  void interrupt_at_timed_query(int n) {
    auto count = std::make_shared<int>(0);
    server.observer = [this, count, n](const Call& call) {
      if (call.connection == "target" && call.kind == Call::Kind::kTimed && ++*count == n) {
        interrupted = true;
      }
    };
  }
};

// The first phase of each side times 4 queries on the target: the inspection, the lead-in
// view, then 2 samples (6 iterations over 3 alternations); a later phase 3, the first
// phase's inspection taken (the query is planned alike). Phase `index` (0-based, in the order
// they run): its first sample.
int middle_of_phase(int index) {
  if (index < 2) return 4 * index + 3;
  return 8 + 3 * (index - 2) + 2;
}

void check_schema_as_before(const FakeServer& server) {
  CHECK(server.has_category);
  CHECK_FALSE(server.has_started);
}

TEST_CASE("live compare on a fake server: the happy path applies and undoes three times",
          "[unit][live]") {
  LiveRun live;
  const CliResult result = live.run();
  INFO("stderr: " << result.err);
  CHECK(result.code == 0);
  check_schema_as_before(live.server);
  CHECK(contains(result.err, "migration " + live.dir / "up.sql" + " (3/3): applied 2 of 2"));
  CHECK(contains(result.err, "schema restored: SHOW CREATE TABLE of all 1 tables is identical"));
  CHECK(contains(result.out, "\"gate_failed\": false"));
  CHECK(exists(live.dir / "out/before-4.json"));
  // What the DDL cost: each apply and undo timed, said as it happens and in the comparison.
  CHECK(contains(result.err, "(1/3): applied 2 of 2 statements in "));
  CHECK(contains(result.err, "undo: applied 2 of 2 statements in "));
  const nlohmann::json comparison = nlohmann::json::parse(result.out);
  CHECK(comparison["change"]["apply_s"].size() == 3);
  CHECK(comparison["change"]["undo_s"].size() == 3);
  CHECK(comparison["change"]["ddl_measured"] == true);
  CHECK(comparison["change"]["tables"] == nlohmann::json::array({"works"}));
  CHECK(comparison["phases"]["before"] == 4);
}

TEST_CASE("live compare on a fake server: a line per alternation by default, -q only what failed",
          "[unit][live]") {
  LiveRun live;
  live.verbose = false;
  const std::vector<std::string> details = {"undo: applied", "schema restored", "INPLACE",
                                            ": applied 2 of 2"};
  SECTION("by default: the journal, one line per alternation, the results") {
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 0);
    CHECK(contains(result.err, "sqlmeasure: journal: "));
    for (int round = 1; round <= 3; ++round) {
      CHECK(contains(result.err, fmt::format("sqlmeasure: after-{} of 3: migration {} applied in ",
                                             round, live.dir / "up.sql")));
    }
    CHECK(contains(result.err, "measured, undone in "));
    for (const std::string& detail : details) CHECK_FALSE(contains(result.err, detail));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') <= 6);
  }
  SECTION("-q: nothing but the result when all went well") {
    live.extra_args = {"-q"};
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 0);
    CHECK(result.err.empty());  // not even the list of results files
    CHECK(contains(result.out, "\"gate_failed\": false"));
  }
  SECTION("-q still says what went wrong") {
    live.extra_args = {"-q"};
    live.server.faults = {{kAddCategory, {Failure::Kind::kError, 0, 0}}};
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "SCHEMA NOT RESTORED"));
    CHECK(contains(result.err, "STILL APPLIED"));
  }
}

TEST_CASE("live compare on a fake server: a statement of the change fails", "[unit][live]") {
  LiveRun live;
  const int round = GENERATE(1, 3);
  SECTION("the first statement: nothing of this round was applied") {
    live.server.faults = {{kDropCategory, {Failure::Kind::kError, round - 1, 0}}};
    const CliResult result = live.run();
    INFO("round " << round << ", stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "the change failed: statement 1"));
    CHECK(contains(result.err, "nothing was applied, so nothing to undo"));
    // Before round 1 nothing was ever changed; later, the earlier rounds were undone.
    CHECK(contains(result.err, round == 1 ? "; nothing was changed" : "; the schema is as it was"));
    check_schema_as_before(live.server);
  }
  SECTION("the second statement: the first is undone, and the undo checked") {
    live.server.faults = {{kAddStarted, {Failure::Kind::kError, round - 1, 0}}};
    const CliResult result = live.run();
    INFO("round " << round << ", stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "the change failed: statement 2"));
    CHECK(contains(result.err, "applied 1 of 2 statements"));
    // The undo's second statement drops what was never added: it fails, harmlessly.
    CHECK(contains(result.err, "undo: statement 2"));
    CHECK(contains(result.err, "schema restored"));
    CHECK(contains(result.err, "; the schema is as it was"));
    check_schema_as_before(live.server);
  }
}

TEST_CASE("live compare on a fake server: a statement of the undo fails", "[unit][live]") {
  LiveRun live;
  const int round = GENERATE(1, 2);
  SECTION("and the schema is left different: STILL APPLIED, exit 2") {
    live.server.faults = {{kAddCategory, {Failure::Kind::kError, round - 1, 0}}};
    const CliResult result = live.run();
    INFO("round " << round << ", stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "SCHEMA NOT RESTORED: tables differ from before: works"));
    CHECK(contains(result.err,
                   "the change could not be undone: the schema differs from before; the change "
                   "is STILL APPLIED"));
    CHECK_FALSE(live.server.has_category);
    // It stops there: no phase measures a schema that is not the one it claims to.
    CHECK_FALSE(exists(live.dir / ("out/before-" + std::to_string(round + 1) + ".json")));
  }
  SECTION("the connection is lost during the undo: reconnect, look, undo again, verify") {
    live.server.faults = {{kDropStarted, {Failure::Kind::kConnectionLost, round - 1, 1}}};
    const CliResult result = live.run();
    INFO("round " << round << ", stderr: " << result.err);
    CHECK(result.code == 0);
    CHECK(contains(result.err, "undo: the connection was lost"));
    CHECK(contains(result.err, "schema restored"));
    check_schema_as_before(live.server);
  }
  SECTION("the connection is lost during the undo while the server restarts: it waits") {
    live.server.faults = {{kDropStarted, {Failure::Kind::kConnectionLost, round - 1, 1}}};
    live.server.admin_opens_refused = 3;
    const CliResult result = live.run();
    INFO("round " << round << ", stderr: " << result.err);
    CHECK(result.code == 0);
    CHECK(contains(result.err,
                   "cannot reconnect ([2002] Can't connect to server on 'fake' "
                   "(restarting)); trying again in 0.25 s"));
    CHECK(contains(result.err, "reconnected (attempt 4)"));
    CHECK(contains(result.err, "schema restored"));
    check_schema_as_before(live.server);
  }
  SECTION("the connection is lost during the undo and the server stays away: unknown, exit 2") {
    live.server.faults = {{kDropStarted, {Failure::Kind::kConnectionLost, round - 1, 0}}};
    live.server.admin_opens_allowed = 1;
    const CliResult result = live.run();
    INFO("round " << round << ", stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "UNDO FAILED"));
    CHECK(contains(result.err,
                   "the schema could not be checked: the change may still be applied, "
                   "run the rollback by hand"));
  }
}

TEST_CASE("live compare on a fake server: the undo's reconnection keeps the password it has",
          "[unit][live][secrets]") {
  LiveRun live;
  // A password_command that hangs from the first apply on: a token service gone away.
  live.dir.write("sqlmeasure.toml",
                 "[connection]\npassword_command = \"if [ -e '" + live.dir / "hang" +
                     "' ]; then sleep 1000; fi; echo secret-1\"\npassword_command_timeout = 60\n");
  live.extra_args = {"--config", live.dir / "sqlmeasure.toml"};
  live.server.faults = {{kDropStarted, {Failure::Kind::kConnectionLost, 0, 1}}};
  live.server.observer = [&live](const Call& call) {
    if (call.sql == kDropCategory) write_text(live.dir / "hang", "");
  };
  const auto start = std::chrono::steady_clock::now();
  const CliResult result = live.run();
  INFO("stderr: " << result.err);
  CHECK(result.code == 0);
  CHECK(contains(result.err, "undo: the connection was lost"));
  CHECK(contains(result.err, "schema restored"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
  check_schema_as_before(live.server);
  CHECK(live.server.admin_passwords == std::vector<std::string>{"secret-1", "secret-1"});
  CHECK_FALSE(contains(result.err, "secret-1"));
}

TEST_CASE("live compare on a fake server: interrupted in each phase", "[unit][live]") {
  LiveRun live;
  const std::vector<std::string> phases = {"before-1", "after-1", "before-2", "after-2",
                                           "before-3", "after-3", "before-4"};
  const int index = GENERATE(0, 1, 2, 3, 4, 5, 6);
  const std::string& phase = phases[static_cast<std::size_t>(index)];
  live.interrupt_at_timed_query(middle_of_phase(index));
  const CliResult result = live.run();
  INFO(phase << ", stderr: " << result.err);
  REQUIRE(live.interrupted);
  check_schema_as_before(live.server);
  if (phase == "before-4") {
    // The last before phase only brackets the others: the verdict stands without it.
    CHECK(result.code == 0);
    CHECK(contains(result.err,
                   "before-4 incomplete (interrupted by a signal (SIGINT/SIGTERM)): "
                   "left out of the verdict"));
    return;
  }
  CHECK(result.code == 2);
  CHECK(contains(result.err, "the " + phase + " phase did not finish: interrupted"));
  CHECK(contains(result.err, index == 0 ? "; nothing was changed" : "; the schema is as it was"));
  CHECK(exists(live.dir / ("out/" + phase + ".json")));
  // Both sides measured something: the partial comparison is printed, and says so.
  if (index > 0) CHECK(contains(result.out, "(partial)"));
}

TEST_CASE("live compare on a fake server: interrupted between applying and measuring",
          "[unit][live]") {
  LiveRun live;
  live.server.observer = [&live](const Call& call) {
    if (call.connection == "admin" && call.sql == kAddStarted) live.interrupted = true;
  };
  const CliResult result = live.run();
  INFO("stderr: " << result.err);
  CHECK(result.code == 2);
  CHECK(contains(result.err, "interrupted after the change was applied; the schema is as it was"));
  check_schema_as_before(live.server);
}

TEST_CASE("live compare on a fake server: the connection is lost", "[unit][live]") {
  LiveRun live;
  SECTION("while measuring after-1: the phase ends, the change is undone on its own connection") {
    // The 5th execution of the query: the inspection and a sample of before-1, then after-1's.
    live.server.faults = {{kQuery, {Failure::Kind::kConnectionLost, 4, 0}}};
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "the after-1 phase did not finish: connection lost"));
    CHECK(contains(result.err, "; the schema is as it was"));
    check_schema_as_before(live.server);
  }
  SECTION("while applying, before the server ran anything: nothing to undo") {
    live.server.faults = {{kDropCategory, {Failure::Kind::kConnectionLost, 0, 1}}};
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "the schema is unchanged, so nothing to undo"));
    CHECK(contains(result.err, "the connection was lost while applying the change"));
    CHECK(contains(result.err, "; nothing was changed"));
    check_schema_as_before(live.server);
  }
  SECTION("while applying, after the server ran part of it: the schema decides the undo") {
    live.server.faults = {{kAddStarted, {Failure::Kind::kConnectionLost, 0, 1}}};
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "undo: applied"));
    CHECK(contains(result.err, "; the schema is as it was"));
    check_schema_as_before(live.server);
  }
}

TEST_CASE("live compare on a fake server: the schema check fails", "[unit][live]") {
  LiveRun live;
  SECTION("before anything is applied: exit 2, nothing changed") {
    live.server.faults = {{kShowCreate, {Failure::Kind::kError, 0, 0}}};
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "cannot take the schema snapshot before applying the change"));
    CHECK(contains(result.err, "; nothing was changed"));
    CHECK_FALSE(contains(result.err, "applied"));
  }
  SECTION("after the first undo: the state is unknown, exit 2, and it says what to do") {
    live.server.faults = {{kShowCreate, {Failure::Kind::kError, 1, 0}}};
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "UNDO FAILED"));
    CHECK(contains(result.err, "the change may not have been undone"));
    CHECK(contains(result.err, "run the rollback by hand"));
    CHECK_FALSE(exists(live.dir / "out/before-2.json"));
  }
}

TEST_CASE("live compare on a fake server: a kept migration stays, and says so", "[unit][live]") {
  LiveRun live;
  live.dir.write("add.sql", std::string(kAddStarted) + ";\n");
  const std::vector<std::string> args = {"compare",
                                         "--migration",
                                         live.dir / "add.sql",
                                         "--scenarios",
                                         live.dir / "screens",
                                         "-D",
                                         "shop",
                                         "--out-dir",
                                         live.dir / "out",
                                         "--iterations",
                                         "4",
                                         "--warmup",
                                         "0"};
  // Without --keep or --rollback, even a migration that only adds is refused: staying applied
  // is asked for, never a default.
  const CliResult refused = run_in_process(args, nullptr, live.server.connector());
  CHECK(refused.code == 64);
  CHECK(contains(refused.err,
                 "without --rollback this migration would stay applied after the "
                 "measurement: pass --rollback DOWN.sql to undo it at the end, or "
                 "--keep to leave it applied"));
  CHECK_FALSE(live.server.has_started);
  const CliResult result =
      run_in_process(args + std::vector<std::string>{"--keep"}, nullptr, live.server.connector());
  INFO("stderr: " << result.err);
  CHECK(result.code == 0);
  CHECK(contains(result.err, "--keep without --rollback: the migration will stay applied"));
  CHECK(contains(result.err, "kept: the change stays applied"));
  CHECK(live.server.has_started);
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("the snapshot compares definitions, not index order or the next AUTO_INCREMENT",
          "[unit][live]") {
  const std::string before =
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `a` int(11),\n"
      "  PRIMARY KEY (`id`),\n  KEY `k_a` (`a`),\n  KEY `k_b` (`a`,`id`)\n"
      ") ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4";
  const std::string after =
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `a` int(11),\n"
      "  PRIMARY KEY (`id`),\n  KEY `k_b` (`a`,`id`),\n  KEY `k_a` (`a`)\n"
      ") ENGINE=InnoDB AUTO_INCREMENT=9215 DEFAULT CHARSET=utf8mb4";
  CHECK(comparable_definition(before) == comparable_definition(after));
  CHECK(comparable_definition(after).find("AUTO_INCREMENT=") == std::string::npos);
  // The column's AUTO_INCREMENT attribute is part of the definition, and kept.
  CHECK(comparable_definition(after).find("NOT NULL AUTO_INCREMENT") != std::string::npos);
  std::string other_engine = after;
  other_engine.replace(other_engine.find("InnoDB"), 6, "MyISAM");
  CHECK(comparable_definition(before) != comparable_definition(other_engine));
  std::string other_column = after;
  other_column.replace(other_column.find("`a` int(11)"), 11, "`a` bigint(20)");
  CHECK(comparable_definition(before) != comparable_definition(other_column));
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE(
    "live compare on a fake server: a results file that cannot be written still ends "
    "with the undo and its outcome",
    "[unit][live][safety]") {
  LiveRun live;
  // Once the change is applied, after-1.json cannot be written (a directory is in its way),
  // as when the disk fills up.
  live.server.observer = [&live](const Call& call) {
    if (call.connection == "admin" && call.sql == kAddStarted) {
      std::filesystem::create_directories(live.dir / "out/after-1.json");
    }
  };
  SECTION("the undo works: it is done, said, and the schema is as it was") {
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "after-1.json"));
    CHECK(contains(result.err, "undo: applied 2 of 2 statements"));
    CHECK(contains(result.err, "schema restored"));
    CHECK(contains(result.err, "; the schema is as it was"));
    check_schema_as_before(live.server);
  }
  SECTION("the undo fails too: STILL APPLIED is said") {
    live.server.faults = {{kAddCategory, {Failure::Kind::kError, 0, 0}}};
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "SCHEMA NOT RESTORED"));
    CHECK(contains(result.err, "; the change is STILL APPLIED"));
  }
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("live compare on a fake server: the journal, and recover", "[unit][live][journal]") {
  LiveRun live;
  SECTION("a run that ends well closes its journal, and leaves a copy in the out-dir") {
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    REQUIRE(result.code == 0);
    const std::string path = journal_path_in(result.err);
    REQUIRE_FALSE(path.empty());
    const Journal journal = read_journal(path);
    CHECK_FALSE(journal.open);
    CHECK(journal.closed_because == "undone, and the schema checked");
    CHECK(journal.database == "shop");
    CHECK(journal.apply.size() == 2);
    CHECK(journal.undo.size() == 2);
    CHECK(journal.snapshot.count("works") == 1);
    CHECK(journal.server.hostname == "fakehost");
    CHECK_FALSE(read_journal(live.dir / "out/journal.json").open);
    // The journal is written before the first change reaches the server.
    CHECK(result.err.find("journal: ") < result.err.find("applied 2 of 2"));
  }
  SECTION("a change left applied: the next run refuses, recover puts it back") {
    live.server.faults = {{kAddCategory, {Failure::Kind::kError, 0, 1}}};  // the undo fails once
    const CliResult failed = live.run();
    INFO("first stderr: " << failed.err);
    REQUIRE(failed.code == 2);
    CHECK(contains(failed.err,
                   "the change is STILL APPLIED\n  put it back with: sqlmeasure "
                   "recover --journal "));
    const std::string path = journal_path_in(failed.err);
    REQUIRE_FALSE(path.empty());
    CHECK(read_journal(path).open);
    CHECK_FALSE(live.server.has_category);

    const CliResult refused = live.run();
    INFO("second stderr: " << refused.err);
    CHECK(refused.code == 2);
    CHECK(contains(refused.err, "may still be applied"));
    CHECK(contains(refused.err, "sqlmeasure recover --journal " + path));
    CHECK_FALSE(contains(refused.err, "applied 2 of 2"));  // nothing was touched

    const CliResult recovered = run_in_process({"recover", "--journal", path, "-D", "shop"},
                                               nullptr, live.server.connector());
    INFO("recover stderr: " << recovered.err);
    CHECK(recovered.code == 0);
    CHECK(recovered.out == "recovered: the schema is as it was\n");
    CHECK(contains(recovered.err, "undo: applied"));
    check_schema_as_before(live.server);
    CHECK_FALSE(read_journal(path).open);

    const CliResult again = live.run();
    INFO("third stderr: " << again.err);
    CHECK(again.code == 0);

    const CliResult nothing =
        run_in_process({"recover", "-D", "shop"}, nullptr, live.server.connector());
    CHECK(nothing.code == 0);
    CHECK(contains(nothing.out, "nothing to recover: no open journal"));
  }
  SECTION("what recover cannot put back it says, and --forget closes the journal as it is") {
    live.server.faults = {{kAddCategory, {Failure::Kind::kError, 0, 100}}};  // always fails
    const CliResult failed = live.run();
    const std::string path = journal_path_in(failed.err);
    REQUIRE_FALSE(path.empty());
    const CliResult stuck = run_in_process({"recover", "--journal", path, "-D", "shop"}, nullptr,
                                           live.server.connector());
    INFO("recover stderr: " << stuck.err);
    CHECK(stuck.code == 2);
    CHECK(contains(stuck.err,
                   "put the rest back by hand, then close it with: sqlmeasure recover "
                   "--journal " +
                       path + " --forget"));
    CHECK(read_journal(path).open);
    const CliResult forgotten = run_in_process(
        {"recover", "--journal", path, "--forget", "-D", "shop"}, nullptr, live.server.connector());
    INFO("forget stderr: " << forgotten.err);
    CHECK(forgotten.code == 0);
    CHECK(forgotten.out == "journal closed: the schema was left as it is\n");
    CHECK(contains(forgotten.err,
                   "left as it is, though it differs from before the live "
                   "compare: works"));
    const Journal closed = read_journal(path);
    CHECK_FALSE(closed.open);
    CHECK(closed.closed_because == "forgotten by the user; tables differing: works");
  }
  SECTION("recover refuses another database or another server") {
    live.server.faults = {{kAddCategory, {Failure::Kind::kError, 0, 1}}};
    const CliResult failed = live.run();
    const std::string path = journal_path_in(failed.err);
    REQUIRE_FALSE(path.empty());
    const CliResult other_db = run_in_process({"recover", "--journal", path, "-D", "other"},
                                              nullptr, live.server.connector());
    CHECK(other_db.code == 64);
    CHECK(contains(other_db.err, "the journal is about database `shop`, not `other`"));
    FakeServer elsewhere;  // same database name, another server
    elsewhere.server_id = "2";
    const CliResult other_server =
        run_in_process({"recover", "--journal", path}, nullptr, elsewhere.connector());
    CHECK(other_server.code == 64);
    CHECK(contains(other_server.err,
                   "this connection reaches fakehost:3306 /var/lib/fake/ "
                   "server_id=2"));
  }
}

// A journal left open by a failed undo, for the tests below to edit.
std::string left_open_journal(LiveRun& live) {
  live.server.faults = {{kAddCategory, {Failure::Kind::kError, 0, 1}}};  // the undo fails once
  const CliResult failed = live.run();
  const std::string path = journal_path_in(failed.err);
  REQUIRE_FALSE(path.empty());
  REQUIRE(read_journal(path).open);
  live.server.log.clear();
  return path;
}

bool executed_on_admin(const CallLog& log, const std::string& text) {
  return std::any_of(log.begin(), log.end(), [&](const Call& call) {
    return call.connection == "admin" && call.sql.find(text) != std::string::npos;
  });
}

TEST_CASE("recover: a journal is input; only what a live compare writes runs",
          "[unit][live][journal]") {
  LiveRun live;
  const std::string path = left_open_journal(live);
  auto recover = [&live, &path] {
    return run_in_process({"recover", "--journal", path, "-D", "shop"}, nullptr,
                          live.server.connector());
  };
  SECTION("an undo with DML, another database, privileges or a server setting is refused") {
    const std::string hostile = GENERATE(as<std::string>{}, "DELETE FROM works",
                                         "DROP DATABASE other", "ALTER TABLE other.t DROP INDEX k",
                                         "GRANT ALL ON *.* TO 'x'@'%' WITH GRANT OPTION",
                                         "SET GLOBAL read_only = 1", "CREATE USER 'x'@'%'");
    INFO(hostile);
    Journal journal = read_journal(path);
    journal.undo.insert(journal.undo.begin() + 1, SqlStatement{hostile, "", {"down.sql", 2, 1}});
    write_journal(journal, path);  // a fresh digest: the classifier is what stops it
    const CliResult refused = recover();
    INFO("stderr: " << refused.err);
    CHECK(refused.code == 65);
    CHECK(contains(refused.err, path + ": undo statement 2 (" + hostile + "): "));
    CHECK(contains(refused.err, "recover ran nothing"));
    CHECK_FALSE(executed_on_admin(live.server.log, "ALTER"));
    CHECK_FALSE(executed_on_admin(live.server.log, hostile));
    CHECK(read_journal(path).open);
  }
  SECTION("an edited journal is said to be edited, and nothing runs; --forget still closes it") {
    std::string text = read_text(path);
    const std::size_t at = text.find(kAddCategory);
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string(kAddCategory).size(),
                 "ALTER TABLE works ADD INDEX k_category (id)");
    write_text(path, text);
    const CliResult refused = recover();
    INFO("stderr: " << refused.err);
    CHECK(refused.code == 65);
    CHECK(contains(refused.err, "the journal was changed after sqlmeasure wrote it"));
    CHECK_FALSE(executed_on_admin(live.server.log, "ALTER"));
    const CliResult forgotten = run_in_process(
        {"recover", "--journal", path, "--forget", "-D", "shop"}, nullptr, live.server.connector());
    CHECK(forgotten.code == 0);
    CHECK(contains(forgotten.err, "the journal was edited after sqlmeasure wrote it"));
    CHECK_FALSE(read_journal(path).open);
  }
  SECTION("a snapshot that is not of this database as the change left it is refused") {
    Journal journal = read_journal(path);
    journal.snapshot["customers"] = "CREATE TABLE `customers` (`id` int) ENGINE=InnoDB";
    write_journal(journal, path);
    const CliResult refused = recover();
    INFO("stderr: " << refused.err);
    CHECK(refused.code == 65);
    CHECK(contains(refused.err,
                   "table `customers` differs from the journal's snapshot, but the journal's "
                   "change touches only works"));
    CHECK_FALSE(executed_on_admin(live.server.log, "ALTER"));
  }
  SECTION("a live compare holding the database's lock: recover waits for it") {
    live.server.lock_free = false;
    const CliResult refused = recover();
    INFO("stderr: " << refused.err);
    CHECK(refused.code == 2);
    CHECK(contains(refused.err, "a live compare is running on database `shop` (connection 77"));
    CHECK_FALSE(executed_on_admin(live.server.log, "ALTER"));
    CHECK(read_journal(path).open);
  }
  SECTION("the journal's writer still running: recover refuses, other commands say wait") {
    Process sleeper("/bin/sleep", {"30"}, live.dir / "sleep.out", live.dir / "sleep.err");
    Journal journal = read_journal(path);
    journal.pid = sleeper.pid();
    journal.process_start = process_start_time(sleeper.pid());
    REQUIRE_FALSE(journal.process_start.empty());
    write_journal(journal, path);
    const CliResult refused = recover();
    INFO("recover stderr: " << refused.err);
    CHECK(refused.code == 2);
    CHECK(contains(refused.err, fmt::format("a live compare (pid {}, started ", sleeper.pid())));
    CHECK(contains(refused.err, "is still running with this journal"));
    const CliResult waiting = live.run();
    INFO("compare stderr: " << waiting.err);
    CHECK(waiting.code == 2);
    CHECK(contains(waiting.err, fmt::format("a live compare (pid {}", sleeper.pid())));
    CHECK(contains(waiting.err, "wait for it to finish"));
    CHECK_FALSE(contains(waiting.err, "sqlmeasure recover"));
    SECTION("a pid reused by another process is not the writer") {
      journal.process_start = "1";
      write_journal(journal, path);
      CHECK(recover().code == 0);
    }
  }
}

TEST_CASE("recover: a damaged journal is an open journal of unknown content",
          "[unit][live][journal]") {
  LiveRun live;
  const std::string path = left_open_journal(live);
  const std::string content = GENERATE(as<std::string>{}, "", "{\"format\": \"sqlmeasure-jou");
  write_text(path, content);
  const CliResult refused = live.run();
  INFO("compare stderr: " << refused.err);
  CHECK(refused.code == 2);
  CHECK(contains(refused.err, path + " is damaged ("));
  CHECK(contains(refused.err, "sqlmeasure recover --journal " + path + " -D shop"));
  CHECK_FALSE(executed_on_admin(live.server.log, "ALTER"));

  const CliResult no_database =
      run_in_process({"recover", "--journal", path}, nullptr, live.server.connector());
  CHECK(no_database.code == 64);
  CHECK(contains(no_database.err, "Name its database with -D"));
  const CliResult shown = run_in_process({"recover", "--journal", path, "-D", "shop"}, nullptr,
                                         live.server.connector());
  INFO("recover stderr: " << shown.err);
  CHECK(shown.code == 2);
  CHECK(contains(shown.err,
                 "hidden from the optimizer (a killed compare --ignore-index leaves "
                 "these): works.k_category"));
  CHECK(contains(shown.err, "sqlmeasure recover --journal " + path + " -D shop --forget"));
  const CliResult listed =
      run_in_process({"recover", "-D", "shop"}, nullptr, live.server.connector());
  CHECK(listed.code == 2);  // the one open journal, found although damaged
  const CliResult forgotten = run_in_process(
      {"recover", "--journal", path, "-D", "shop", "--forget"}, nullptr, live.server.connector());
  INFO("forget stderr: " << forgotten.err);
  CHECK(forgotten.code == 0);
  CHECK_FALSE(read_journal(path).open);
  live.server.faults.clear();
  live.server.has_category = true;
  CHECK(live.run().code == 0);
}

TEST_CASE("live compare: a journal taken away mid-run, or one that cannot be closed",
          "[unit][live][journal]") {
  LiveRun live;
  live.extra_args = {"--alternations", "2"};
  std::string journal;
  SECTION("closed by a recover between rounds: the change is not applied again, exit 2") {
    int adds = 0;
    live.server.observer = [&](const Call& call) {
      if (call.sql != kAddCategory || ++adds != 1) return;
      const std::vector<OpenJournal> open = open_journals_for("shop");
      if (open.size() != 1 || !open.front().journal) return;  // the CHECKs below then fail
      Journal closed = *open.front().journal;
      closed.open = false;
      closed.closed_because = "recovered: undone, and the schema checked";
      write_journal(closed, open.front().path);
    };
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "the journal of this run was taken away from it"));
    CHECK(contains(result.err, "The change is not applied again"));
    CHECK(std::count_if(live.server.log.begin(), live.server.log.end(),
                        [](const Call& call) { return call.sql == kDropCategory; }) == 1);
    check_schema_as_before(live.server);
  }
  SECTION("the undo verified, the journal cannot be closed: said, exit 2, and how to close it") {
    live.extra_args = {};
    live.server.observer = [&](const Call& call) {
      if (call.sql != kDropStarted) return;
      // The journal's place taken by a directory: the atomic rename over it fails.
      const std::vector<OpenJournal> open = open_journals_for("shop");
      if (open.size() != 1) return;  // the CHECKs below then fail
      journal = open.front().path;
      std::filesystem::remove(journal);
      std::filesystem::create_directories(journal + "/blocked");
    };
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(contains(result.err, "the journal could not be closed ("));
    CHECK(contains(result.err,
                   "Close it with: sqlmeasure recover --journal " + journal + " --forget"));
    CHECK(contains(result.err, "the schema is as it was"));
    check_schema_as_before(live.server);
  }
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

std::vector<std::string> admin_statements(const CallLog& log) {
  std::vector<std::string> statements;
  for (const Call& call : log) {
    if (call.connection == "admin" && call.kind == Call::Kind::kExecute)
      statements.push_back(call.sql);
  }
  return statements;
}

TEST_CASE("live compare on a fake server: a change that would replicate is refused",
          "[unit][live][safety]") {
  LiveRun live;
  live.server.log_bin = "1";
  live.server.replica_hosts = {"replica-1.internal"};
  SECTION("a binary log and a replica: refused before anything is applied, exit 64") {
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 64);
    CHECK(contains(result.err,
                   "this server writes a binary log (@@log_bin = ON) and 1 replica is "
                   "connected: replica-1.internal:3306"));
    CHECK(contains(result.err, "--no-binlog"));
    CHECK(contains(result.err, "--allow-replicated-ddl"));
    for (const std::string& sql : admin_statements(live.server.log)) {
      CHECK(sql.find("ALTER") == std::string::npos);
    }
  }
  SECTION("--no-binlog: the change's session stops writing it, on every connection") {
    live.extra_args = {"--no-binlog"};
    const CliResult result = live.run();
    INFO("stderr: " << result.err);
    CHECK(result.code == 0);
    CHECK(contains(result.err, "the change's session does not write to it (--no-binlog)"));
    const std::vector<std::string> statements = admin_statements(live.server.log);
    REQUIRE_FALSE(statements.empty());
    const auto off = std::find(statements.begin(), statements.end(), "SET SESSION sql_log_bin = 0");
    const auto first_alter =
        std::find_if(statements.begin(), statements.end(),
                     [](const std::string& s) { return s.starts_with("ALTER"); });
    CHECK(off < first_alter);
  }
  SECTION("--allow-replicated-ddl: it goes ahead and says so") {
    live.extra_args = {"--allow-replicated-ddl"};
    const CliResult result = live.run();
    CHECK(result.code == 0);
    CHECK(contains(result.err, "the change replicates (--allow-replicated-ddl)"));
  }
  SECTION("Aurora: readers share the storage, whatever the binary log") {
    live.server.flavor = Flavor::kAurora;
    live.extra_args = {"--no-binlog"};
    const CliResult result = live.run();
    CHECK(result.code == 64);
    CHECK(contains(result.err, "this is Aurora: its readers share the storage"));
  }
}

TEST_CASE("live compare on a fake server: each DDL says how it will run, and a short lock wait",
          "[unit][live][safety]") {
  LiveRun live;
  const CliResult result = live.run();
  INFO("stderr: " << result.err);
  CHECK(result.code == 0);
  CHECK(contains(result.err, "up.sql:1:1 on works: INPLACE, LOCK=NONE: only metadata changes"));
  CHECK(contains(result.err,
                 "up.sql:2:1 on works: INPLACE, LOCK=NONE: the index is built while the table "
                 "stays writable"));
  const std::vector<std::string> statements = admin_statements(live.server.log);
  CHECK(std::find(statements.begin(), statements.end(), "SET SESSION lock_wait_timeout = 5") !=
        statements.end());
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("live compare on a fake server: a user who may not ALTER is told before measuring",
          "[unit][live][safety]") {
  LiveRun live;
  live.server.privileges = {"SELECT", "INDEX"};
  const CliResult result = live.run();
  INFO("stderr: " << result.err);
  CHECK(result.code == 2);
  CHECK(contains(result.err,
                 "the change cannot be applied by root@localhost: it lacks ALTER "
                 "(needed by " +
                     live.dir / "up.sql:1:1) on `shop`; nothing was "
                                "measured or changed"));
  for (const Call& call : live.server.log) CHECK(call.kind != Call::Kind::kTimed);
  CHECK_FALSE(exists(live.dir / "out/before-1.json"));
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("live compare on a fake server: one live compare per database at a time",
          "[unit][live][safety]") {
  LiveRun live;
  live.server.lock_free = false;
  const CliResult result = live.run();
  INFO("stderr: " << result.err);
  CHECK(result.code == 2);
  CHECK(contains(result.err,
                 "another live compare is running on database `shop` (connection 77 "
                 "(deploy@ci-runner-3:51234, connected 42 s) holds its lock"));
  CHECK(contains(result.err, "Nothing was changed"));
  for (const Call& call : live.server.log) CHECK(call.sql.find("ALTER") == std::string::npos);
}

}  // namespace
}  // namespace sqlmeasure::testing
