// capture on logs written by the real server (docs/capture.md): the sandbox's general and slow
// logs are switched on, an application's tagged traffic runs from several connections at once
// (sqlcommenter with traceparent, Rails' legacy tags, pings, SETs and a write in between), the
// logs are switched off, and capture must rebuild the screens: the same screens, the same
// queries in order, the N+1's times, the parameter values (aligned rows) — and check and run
// must take the directory unchanged.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "db/db_test_support.h"
#include "sqlmeasure/scenario_loader.h"

namespace sqlmeasure::testing {
namespace {

// The server's log settings, put back on every exit path (the sandbox is shared by the tests).
class ServerLogs {
 public:
  // output: FILE (the two files) or TABLE (mysql.general_log and mysql.slow_log, emptied
  // before and after).
  ServerLogs(Connection& admin, const std::string& general, const std::string& slow,
             const std::string& output = "FILE")
      : admin_(admin), tables_(output == "TABLE") {
    const ResultSet saved = admin_.query(
        "SELECT @@global.general_log, @@global.general_log_file, @@global.slow_query_log, "
        "@@global.slow_query_log_file, @@global.long_query_time, @@global.log_output");
    saved_ = saved.rows.at(0);
    admin_.execute("SET GLOBAL log_output = " + admin_.quote(output));
    if (tables_) empty_tables();
    admin_.execute("SET GLOBAL general_log_file = " + admin_.quote(general));
    admin_.execute("SET GLOBAL slow_query_log_file = " + admin_.quote(slow));
    admin_.execute("SET GLOBAL long_query_time = 0");
    admin_.execute("SET GLOBAL general_log = ON");
    admin_.execute("SET GLOBAL slow_query_log = ON");
  }
  ~ServerLogs() { off(); }
  ServerLogs(const ServerLogs&) = delete;
  ServerLogs& operator=(const ServerLogs&) = delete;

  void off() {
    if (done_) return;
    done_ = true;
    try {
      admin_.execute("SET GLOBAL general_log = OFF");
      admin_.execute("SET GLOBAL slow_query_log = OFF");
      admin_.execute("SET GLOBAL general_log_file = " + admin_.quote(value(1)));
      admin_.execute("SET GLOBAL slow_query_log_file = " + admin_.quote(value(3)));
      admin_.execute("SET GLOBAL long_query_time = " + value(4));
      admin_.execute("SET GLOBAL log_output = " + admin_.quote(value(5)));
      admin_.execute("SET GLOBAL general_log = " + value(0));
      admin_.execute("SET GLOBAL slow_query_log = " + value(2));
      if (tables_) empty_tables();
    } catch (const std::exception& error) {
      WARN("could not put the server's log settings back: " << error.what());
    }
  }

 private:
  void empty_tables() {
    admin_.execute("TRUNCATE TABLE mysql.general_log");
    admin_.execute("TRUNCATE TABLE mysql.slow_log");
  }
  std::string value(std::size_t i) const { return saved_.at(i).value_or(""); }
  Connection& admin_;
  bool tables_ = false;
  std::vector<std::optional<std::string>> saved_;
  bool done_ = false;
};

// The application's tables: users, works (each with its author), proposals.
void load_application(TestDatabase& db) {
  db.run_script(
      "CREATE TABLE users (id INT PRIMARY KEY, username VARCHAR(64) NOT NULL, KEY (username));"
      "INSERT INTO users SELECT seq, CONCAT('user', seq) FROM seq_1_to_200;"
      "CREATE TABLE works (id INT PRIMARY KEY, title VARCHAR(100), user_id INT NOT NULL);"
      "INSERT INTO works SELECT seq, CONCAT('work ', seq), 100 + seq FROM seq_1_to_10;"
      "CREATE TABLE proposals (id INT AUTO_INCREMENT PRIMARY KEY, work_id INT, user_id INT,"
      " KEY (work_id, user_id));"
      "INSERT INTO proposals (work_id, user_id) SELECT seq % 10 + 1, 100 + seq % 13 FROM "
      "seq_1_to_500;");
}

constexpr int kThreads = 3;
constexpr int kRequestsPerThread = 4;

// One connection's share of the application's traffic: works#show (a work, its author's 20
// collaborators one by one, the author's proposals on it), admin/users#index (Rails tags,
// prepended), pings, SETs and users#update (a write) in between.
void application(const TestDatabase& db, int thread) {
  std::unique_ptr<Connection> reads = db.connect(true);
  std::unique_ptr<Connection> writes = db.connect(false);
  reads->execute("SET NAMES utf8mb4");
  for (int r = 0; r < kRequestsPerThread; ++r) {
    const int request = thread * kRequestsPerThread + r;
    const int work = 1 + request % 5;
    const int author = 100 + work;
    const std::string tags = fmt::format(
        "/*controller='works',action='show',framework='django%3A4.2',"
        "traceparent='00-{:032x}-{:016x}-01'*/",
        request + 1, request + 1);
    reads->query(fmt::format("SELECT id, title, user_id FROM works WHERE id = {} {}", work, tags));
    // The N+1: 20 per request, 18 in the very last one (times is the median).
    const int collaborators = request == kThreads * kRequestsPerThread - 1 ? 18 : 20;
    for (int i = 0; i < collaborators; ++i) {
      reads->query(fmt::format("SELECT id, username FROM users WHERE id = {} {}",
                               1 + (request * 7 + i) % 50, tags));
      if (i == 3) reads->query("/* ping */ SELECT 1");
    }
    reads->query(
        fmt::format("SELECT COUNT(*) FROM proposals WHERE work_id = {} AND user_id = {} {}", work,
                    author, tags));
    reads->query("SELECT 1");
    writes->execute(
        fmt::format("UPDATE users SET username = username WHERE id = {} "
                    "/*controller='users',action='update'*/",
                    1 + request));
    reads->query(fmt::format(
        "/*application:Shop,controller:admin/users,action:index*/ SELECT id, username FROM "
        "users\nWHERE username LIKE '{}%'\nORDER BY id LIMIT 10",
        fmt::format("user{}", 1 + r)));
  }
  // The server logs a statement after its result is sent: one more round trip on each
  // connection makes sure the last ones are in the logs before they are switched off.
  reads->query("SELECT 1");
  writes->query("SELECT 1");
}

struct Captured {
  CliResult result;
  std::vector<Screen> screens;
};

Captured capture(const std::string& log, const std::string& out) {
  Captured captured;
  captured.result = run_in_process({"capture", log, "--out", out});
  if (captured.result.code == 0) captured.screens = load_scenarios(out);
  return captured;
}

const Screen& screen_named(const std::vector<Screen>& screens, const std::string& name) {
  const auto found = std::find_if(screens.begin(), screens.end(),
                                  [&](const Screen& screen) { return screen.name == name; });
  INFO("screen " << name);
  REQUIRE(found != screens.end());
  return *found;
}

std::vector<std::string> texts(const ParamSpec& spec) {
  std::vector<std::string> out;
  for (const ParamValue& value : spec.values) out.push_back(value.text);
  return out;
}

// What both logs must give: the screens the application has, rebuilt.
void check_screens(const Captured& captured) {
  INFO("stderr: " << captured.result.err);
  REQUIRE(captured.result.code == 0);
  std::vector<std::string> names;
  for (const Screen& screen : captured.screens) names.push_back(screen.name);
  CHECK(names == std::vector<std::string>{"admin_users_index", "works_show"});
  // users#update only wrote: said, and not written.
  CHECK(captured.result.err.find("users_update (no reads: not written)") != std::string::npos);

  const Screen& show = screen_named(captured.screens, "works_show");
  REQUIRE(show.queries.size() == 3);
  CHECK(show.queries[0].sql == "SELECT id, title, user_id FROM works WHERE id = :id");
  CHECK(show.queries[1].sql == "SELECT id, username FROM users WHERE id = :id");
  CHECK(show.queries[1].times == 20);
  CHECK(show.queries[2].sql ==
        "SELECT COUNT(*) FROM proposals WHERE work_id = :work_id AND user_id = :user_id");
  // The works shown, most frequent first: 1..5 over 12 requests, 1 and 2 three times each
  // (ties in the order the log has them, which the threads decide).
  const std::vector<std::string> works = texts(show.queries[0].params.at("id"));
  REQUIRE(works.size() == 5);
  CHECK(std::set<std::string>(works.begin(), works.begin() + 2) == std::set<std::string>{"1", "2"});
  CHECK(std::set<std::string>(works.begin(), works.end()) ==
        std::set<std::string>{"1", "2", "3", "4", "5"});
  // Aligned rows: each work_id with its own author, never another's.
  const std::vector<std::string> work_ids = texts(show.queries[2].params.at("work_id"));
  const std::vector<std::string> user_ids = texts(show.queries[2].params.at("user_id"));
  REQUIRE(work_ids.size() == user_ids.size());
  REQUIRE(work_ids.size() == 5);
  for (std::size_t i = 0; i < work_ids.size(); ++i) {
    CHECK(std::stoi(user_ids[i]) == 100 + std::stoi(work_ids[i]));
  }
  // Every collaborator id the application asked for (1..50), none invented.
  const std::vector<std::string> users = texts(show.queries[1].params.at("id"));
  CHECK(users.size() == 50);
  CHECK(std::set<std::string>(users.begin(), users.end()).size() == 50);

  const Screen& admin = screen_named(captured.screens, "admin_users_index");
  REQUIRE(admin.queries.size() == 1);
  CHECK(admin.queries[0].sql ==
        "SELECT id, username FROM users WHERE username LIKE :username ORDER BY id LIMIT 10");
  const std::vector<std::string> patterns = texts(admin.queries[0].params.at("username"));
  CHECK(std::set<std::string>(patterns.begin(), patterns.end()) ==
        std::set<std::string>{"user1%", "user2%", "user3%", "user4%"});
}

}  // namespace

TEST_CASE(
    "capture: the screens of an application's tagged traffic, from the real server's "
    "general and slow logs",
    "[db][capture]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("capture");
  TempDir dir("capture");
  load_application(db);
  // The server writes the logs: a directory it can write to whatever user it runs as.
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
  const std::string general = dir / "general.log";
  const std::string slow = dir / "slow.log";
  {
    ServerLogs logs(db.admin(), general, slow);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) threads.emplace_back(application, std::cref(db), t);
    for (std::thread& thread : threads) thread.join();
    logs.off();
  }
  REQUIRE(std::filesystem::file_size(general) > 0);
  REQUIRE(std::filesystem::file_size(slow) > 0);

  SECTION("from the general log") {
    const Captured captured = capture(general, dir / "from-general");
    check_screens(captured);
    CHECK(captured.result.err.find("(mariadb-general)") != std::string::npos);
    // check and run take the directory as it is.
    const CliResult check = run_in_process({"check", "--scenarios", dir / "from-general"});
    INFO("check: " << check.out << check.err);
    CHECK(check.code == 0);
    const CliResult run = run_in_process(
        std::vector<std::string>{"run", "--scenarios", dir / "from-general", "--iterations", "2",
                                 "--warmup", "0", "--out", dir / "run.json"} +
        connection_args(db.name()));
    INFO("run: " << run.err);
    CHECK(run.code == 0);
    // The same log again: byte-identical files.
    const CliResult again = run_in_process({"capture", general, "--out", dir / "again"});
    REQUIRE(again.code == 0);
    for (const char* file : {"works_show.toml", "admin_users_index.toml"}) {
      CHECK(read_text(dir / ("again/" + std::string(file))) ==
            read_text(dir / ("from-general/" + std::string(file))));
    }
  }
  SECTION("from the slow log") {
    const Captured captured = capture(slow, dir / "from-slow");
    check_screens(captured);
    CHECK(captured.result.err.find("(mariadb-slow)") != std::string::npos);
  }
}

TEST_CASE("capture --from-table: the same screens from mysql.general_log and mysql.slow_log",
          "[db][capture]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("capture_table");
  TempDir dir("capture-table");
  load_application(db);
  ServerLogs logs(db.admin(), dir / "unused-general.log", dir / "unused-slow.log", "TABLE");
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(application, std::cref(db), t);
  for (std::thread& thread : threads) thread.join();
  // Logging off, the rows still there: capture reads them while the server writes nothing.
  db.admin().execute("SET GLOBAL general_log = OFF");
  db.admin().execute("SET GLOBAL slow_query_log = OFF");
  for (const char* table : {"general", "slow"}) {
    INFO("--from-table " << table);
    const std::string out = dir / table;
    Captured captured;
    captured.result =
        run_in_process(std::vector<std::string>{"capture", "--from-table", table, "--out", out} +
                       connection_args(db.name()));
    if (captured.result.code == 0) captured.screens = load_scenarios(out);
    check_screens(captured);
  }
  logs.off();
  // An empty table: exit 2, naming the statements that would fill it (none is run).
  const CliResult empty = run_in_process(
      std::vector<std::string>{"capture", "--from-table", "general", "--out", dir / "empty"} +
      connection_args(db.name()));
  CHECK(empty.code == 2);
  CHECK(empty.err.find("SET GLOBAL general_log = ON") != std::string::npos);
  CHECK_FALSE(exists(dir / "empty"));
}

}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

// A performance_schema consumer switched off for a test, and on again on every exit path.
class ConsumerOff {
 public:
  ConsumerOff(Connection& admin, std::string name) : admin_(admin), name_(std::move(name)) {
    set("NO");
  }
  ~ConsumerOff() {
    try {
      set("YES");
    } catch (const std::exception& error) {
      WARN("could not switch the consumer " << name_ << " on again: " << error.what());
    }
  }
  ConsumerOff(const ConsumerOff&) = delete;
  ConsumerOff& operator=(const ConsumerOff&) = delete;

 private:
  void set(const std::string& enabled) {
    admin_.execute("UPDATE performance_schema.setup_consumers SET ENABLED = '" + enabled +
                   "' WHERE NAME = " + admin_.quote(name_));
  }
  Connection& admin_;
  std::string name_;
};

}  // namespace

TEST_CASE("capture --performance-schema: the same screens from the statement history",
          "[db][capture]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("capture_history");
  TempDir dir("capture-history");
  load_application(db);
  // The sandbox runs with performance_schema and the statement history on (scripts/sandbox).
  REQUIRE(db.admin().query("SELECT @@performance_schema").rows.at(0).at(0) == "1");
  const std::string out = dir / "screens";
  Captured captured;
  // What the history holds from before (this test's set-up, other tests) is not read: only
  // the application's traffic, which starts once the capture records.
  std::thread recorder([&] {
    captured.result = run_in_process(std::vector<std::string>{"capture", "--performance-schema",
                                                              "--duration", "8", "--out", out} +
                                     connection_args(db.name()));
  });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(application, std::cref(db), t);
  for (std::thread& thread : threads) thread.join();
  recorder.join();
  INFO(captured.result.err);
  CHECK(captured.result.err.find("recording performance_schema's statement history for 8 s") !=
        std::string::npos);
  if (captured.result.code == 0) captured.screens = load_scenarios(out);
  check_screens(captured);

  // A consumer off: exit 2 naming the statement that switches it on; none is run.
  ConsumerOff off(db.admin(), "events_statements_current");
  const CliResult refused =
      run_in_process(std::vector<std::string>{"capture", "--performance-schema", "--duration", "0",
                                              "--out", dir / "off"} +
                     connection_args(db.name()));
  CHECK(refused.code == 2);
  CHECK(refused.err.find("UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE "
                         "NAME IN ('events_statements_current')") != std::string::npos);
  CHECK(db.admin()
            .query("SELECT ENABLED FROM performance_schema.setup_consumers WHERE NAME = "
                   "'events_statements_current'")
            .rows.at(0)
            .at(0) == "NO");
  CHECK_FALSE(exists(dir / "off"));
}

}  // namespace sqlmeasure::testing
