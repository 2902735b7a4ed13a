// The guarantees of docs/safety.md §2 and §4 against real servers: write scenarios
// (--allow-writes) leave every row as it was, also after a timeout, an interruption or a
// refusal; --query-timeout is enforced by the server; the server killed mid-run ends the
// run with exit 2, a clear message and a partial results file; --retries survives a killed
// connection. The fault tests start a second, throwaway MariaDB of their own
// (scripts/sandbox with its own directory and port), so the shared test server is never
// killed.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cli/options.h"
#include "db/db_test_support.h"
#include "live/change_guards.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/sql_lexer.h"
#include "support/process.h"
#include "support/results_json.h"
#include "support/text_checks.h"

extern char** environ;

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// What a table holds: its row count and CHECKSUM TABLE (every column of every row).
struct TableState {
  std::string rows, checksum;
  bool operator==(const TableState&) const = default;
};

std::ostream& operator<<(std::ostream& out, const TableState& state) {
  return out << state.rows << " rows, checksum " << state.checksum;
}

TableState table_state(TestDatabase& db, const std::string& table) {
  const std::string name = "`" + db.name() + "`.`" + table + "`";
  ResultSet count = db.admin().query("SELECT COUNT(*) FROM " + name);
  ResultSet checksum = db.admin().query("CHECKSUM TABLE " + name);
  return {count.rows.at(0).at(0).value_or("NULL"), checksum.rows.at(0).at(1).value_or("NULL")};
}

// SHOW CREATE TABLE without the AUTO_INCREMENT counter: InnoDB never gives back the values a
// rolled-back INSERT took, so the counter moves on while the rows stay the same.
std::string table_definition(TestDatabase& db, const std::string& table) {
  ResultSet create = db.admin().query("SHOW CREATE TABLE `" + db.name() + "`.`" + table + "`");
  return std::regex_replace(create.rows.at(0).at(1).value_or(""),
                            std::regex(R"( AUTO_INCREMENT=\d+)"), "");
}

// 500 rows, k = i mod 50 (10 rows per k), with an index on k: what a write scenario measures.
void create_ledger(TestDatabase& db, const std::string& engine = "InnoDB") {
  db.run_script(
      "CREATE TABLE ledger (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, "
      "v INT NOT NULL, note VARCHAR(40) NOT NULL DEFAULT '', KEY k (k)) ENGINE=" +
      engine +
      ";"
      "INSERT INTO ledger (k, v, note) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
      "SELECT i + 1 FROM n WHERE i < 500) SELECT i % 50, i, CONCAT('row ', i) FROM n");
}

// Every kind of write --allow-writes accepts, with parameters (so several variants run).
void write_ledger_screens(const std::string& directory) {
  write_text(directory + "/ledger_writes.toml",
             R"TOML(description = "What the ledger's index costs a write"

[[query]]
name = "insert"
sql = "INSERT INTO ledger (k, v, note) VALUES (:k, 1, 'new')"
params.k = [1, 2, 3]

[[query]]
name = "update"
sql = "UPDATE ledger SET v = v + 1, note = 'changed' WHERE k = :k"
params.k = [5, 6]

[[query]]
name = "delete"
sql = "DELETE FROM ledger WHERE k = :k"
params.k = [7, 8]

[[query]]
name = "replace"
sql = "REPLACE INTO ledger (id, k, v, note) VALUES (1, 49, 999, 'replaced')"
)TOML");
  write_text(directory + "/ledger_reads.sql",
             "-- name: by_k\nSELECT id, v, note FROM ledger WHERE k = 5 ORDER BY id;\n");
}

const json& find_query(const json& results, const std::string& screen, const std::string& query) {
  for (const json& s : results["screens"]) {
    if (s["name"] != screen) continue;
    for (const json& q : s["queries"]) {
      if (q["name"] == query) return q;
    }
  }
  FAIL("no query " << screen << "/" << query << " in the results file");
  static const json none;
  return none;
}

// A TCP port nobody listens on right now (the kernel's pick).
unsigned free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  REQUIRE(ok);
  return ntohs(address.sin_port);
}

// The events of the server's binary logs whose statement names any of `needles`.
int binlog_events_naming(Connection& admin, const std::vector<std::string>& needles) {
  int found = 0;
  for (const auto& log : admin.query("SHOW BINARY LOGS").rows) {
    const ResultSet events = admin.query("SHOW BINLOG EVENTS IN " + admin.quote(*log[0]));
    const int info = events.column("Info");
    for (const auto& event : events.rows) {
      const std::string text = event[static_cast<std::size_t>(info)].value_or("");
      found += std::any_of(needles.begin(), needles.end(), [&](const std::string& needle) {
        return text.find(needle) != std::string::npos;
      });
    }
  }
  return found;
}

// A second throwaway MariaDB (scripts/sandbox start with its own SANDBOX_DIR and port, a
// small buffer pool), for tests that kill a server. It is killed and its directory removed
// when the object goes, whatever happened in between.
class ScratchServer {
 public:
  // `server_args` are added to mariadbd's (e.g. --log-bin).
  explicit ScratchServer(std::string server_args = "")
      : dir_("server"), server_args_(std::move(server_args)) {
    port_ = free_port();
    // The shared sandbox's certificates, so that no new keys need generating.
    const fs::path tls = sandbox_tls_dir();
    if (fs::is_directory(tls)) {
      const fs::path copy = fs::path(dir_.path()) / "tls";
      fs::create_directories(copy);
      for (const char* file : {"ca.pem", "server-cert.pem", "server-key.pem", "wrong-ca.pem",
                               "client.pem", "client-key.pem"}) {
        std::error_code ignored;
        fs::copy_file(tls / file, copy / file, ignored);
      }
    }
    start();
  }
  ~ScratchServer() { kill(); }
  ScratchServer(const ScratchServer&) = delete;
  ScratchServer& operator=(const ScratchServer&) = delete;

  [[nodiscard]] const std::string& problem() const { return problem_; }
  [[nodiscard]] unsigned port() const { return port_; }
  [[nodiscard]] std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  // Its connection flags but the user and the database: LiveCompareArgs::server.
  [[nodiscard]] std::vector<std::string> tcp_args() const {
    return {"-h", "127.0.0.1", "-P", std::to_string(port_)};
  }

  [[nodiscard]] ConnectionOptions options(const std::string& database = "") const {
    ConnectionOptions options;
    options.host = "127.0.0.1";
    options.port = port_;
    options.user = "root";
    options.password = std::string();
    if (!database.empty()) options.database = database;
    options.read_only = false;
    options.connect_timeout_s = 5;
    return options;
  }

  // kill -9, then start it again on the same data: a crash and a restart.
  void restart() {
    kill();
    start();
  }

  // kill -9, then wait until it is gone (reaped by us, or at least a zombie).
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    if (::waitpid(pid_, nullptr, 0) != pid_) {
      for (int i = 0; i < 200; ++i) {
        std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
        std::string pid, name, state;
        if (!(stat >> pid >> name >> state) || state == "Z") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    pid_ = -1;
  }

 private:
  void start() {
    const std::string log = dir_ / "start.log";
    const std::string command =
        "SANDBOX_DIR='" + dir_.path() + "' SANDBOX_PORT=" + std::to_string(port_) +
        " SANDBOX_SERVER_ARGS='--innodb-buffer-pool-size=32M --innodb-log-file-size=8M " +
        server_args_ +
        "'"
        " '" +
        source_dir() + "/scripts/sandbox' start >'" + log + "' 2>&1";
    // The server is started in the background by a shell that then exits: as a subreaper
    // this process adopts it, so that it can be reaped after the kill (no zombie left).
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    int status = std::system(command.c_str());
    ::prctl(PR_SET_CHILD_SUBREAPER, 0);
    if (exists(dir_ / "mysqld.pid")) pid_ = std::stoi(read_text(dir_ / "mysqld.pid"));
    if (status != 0 || pid_ <= 0) {
      problem_ = "scripts/sandbox start failed (exit " + std::to_string(status) +
                 "): " + (exists(log) ? read_text(log) : std::string("no log"));
    }
  }

  TempDir dir_;  // first member: removed last, after the server is dead
  std::string server_args_;
  unsigned port_ = 0;
  pid_t pid_ = -1;
  std::string problem_;
};

// Polls `admin` until a statement starting with `prefix` runs on database `database` in
// another session; returns its connection id, or 0 after `limit`.
std::string running_statement(Connection& admin, const std::string& database,
                              const std::string& prefix, std::chrono::seconds limit) {
  Clock::time_point start = Clock::now();
  while (Clock::now() - start < limit) {
    ResultSet found = admin.query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = " + admin.quote(database) +
        " AND INFO LIKE " + admin.quote(prefix + "%") + " AND ID <> CONNECTION_ID() LIMIT 1");
    if (!found.rows.empty() && found.rows[0][0]) return *found.rows[0][0];
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return "";
}

TEST_CASE("--allow-writes: INSERT, UPDATE, DELETE and REPLACE are measured and rolled back",
          "[db][safety][writes]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("allow_writes");
  create_ledger(db);
  TempDir dir("allow-writes");
  write_ledger_screens(dir / "screens");
  const TableState before = table_state(db, "ledger");
  const std::string definition = table_definition(db, "ledger");
  REQUIRE(before.rows == "500");

  SECTION("measured, then every row is as it was") {
    CliResult result = run_in_process(
        std::vector<std::string>{"run", "--allow-writes", "--scenarios", dir / "screens", "-o",
                                 dir / "writes.json", "--iterations", "10", "--warmup", "2"} +
        connection_args(db.name()));
    INFO("stderr: " << result.err);
    REQUIRE(result.code == 0);
    json results = read_json(dir / "writes.json");
    CHECK(results["complete"] == true);
    for (const char* name : {"insert", "update", "delete", "replace"}) {
      INFO("query " << name);
      const json& query = find_query(results, "ledger_writes", name);
      CHECK(query["error"].is_null());
      CHECK(query["samples_ns"].size() == 10);
    }
    // The writes really ran: each UPDATE and DELETE found its 10 rows through the index.
    CHECK(find_query(results, "ledger_writes", "update")["rows_examined"].get<int>() >= 10);
    CHECK(find_query(results, "ledger_writes", "delete")["rows_examined"].get<int>() >= 10);
    // The read on the same session saw the original rows, every time.
    CHECK(find_query(results, "ledger_reads", "by_k")["rows_sent"] == 10);
  }

  SECTION("a write that times out is rolled back too") {
    // 500 rows, half a second each: the server stops it after 200 ms, rows half-updated.
    write_text(dir / "screens/ledger_slow.sql",
               "-- name: slow_update\nUPDATE ledger SET v = v + 1 + SLEEP(0.5), note = 'slow';\n");
    Clock::time_point start = Clock::now();
    CliResult result = run_in_process(
        std::vector<std::string>{"run", "--allow-writes", "--scenarios", dir / "screens",
                                 "--screens", "ledger_slow", "-o", dir / "slow.json",
                                 "--iterations", "3", "--warmup", "1", "--query-timeout", "200"} +
        connection_args(db.name()));
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);  // a query failed
    CHECK(seconds_since(start) < 4.0);
    CHECK(find_query(read_json(dir / "slow.json"), "ledger_slow", "slow_update")["error"] ==
          "timed out after 200 ms");
  }

  SECTION("an interrupted run leaves the rows as they were") {
    std::atomic<bool> interrupted{false};
    std::thread interrupter([&interrupted] {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      interrupted = true;
    });
    CliResult result =
        run_in_process(std::vector<std::string>{"run", "--allow-writes", "--scenarios",
                                                dir / "screens", "-o", dir / "interrupted.json",
                                                "--iterations", "1000000", "--warmup", "1"} +
                           connection_args(db.name()),
                       &interrupted);
    interrupter.join();
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    json results = read_json(dir / "interrupted.json");
    CHECK(results["complete"] == false);
    CHECK_FALSE(find_query(results, "ledger_writes", "insert")["samples_ns"].empty());
  }

  SECTION("without --allow-writes the same scenario is refused when loaded, exit 65") {
    // Through the real binary: the exit code is the process's.
    write_text(dir / "empty.toml", "");
    Process run(sqlmeasure_binary(),
                {"run", "--config", dir / "empty.toml", "--scenarios", dir / "screens", "-o",
                 dir / "refused.json", "-S", test_socket(), "-u", "root", "-D", db.name()},
                dir / "out.txt", dir / "err.txt");
    CHECK(run.wait(std::chrono::seconds(60)) == 65);
    const std::string err = read_text(dir / "err.txt");
    INFO("stderr: " << err);
    CHECK(err.find("ledger_writes.toml") != std::string::npos);
    CHECK(err.find("query 'insert'") != std::string::npos);
    CHECK(err.find("--allow-writes") != std::string::npos);
    CHECK_FALSE(exists(dir / "refused.json"));
  }

  SECTION("a write slipping past the loader is refused by the read-only session") {
    // The loader is bypassed: a hand-made screen goes straight to the runner, on a
    // connection set up as `run` sets it up without --allow-writes.
    Screen screen;
    screen.name = "sneaky";
    screen.file = "<built by the test>";
    for (const char* sql : {"DELETE FROM ledger", "UPDATE ledger SET v = 0",
                            "INSERT INTO ledger (k, v) VALUES (1, 1)"}) {
      Query query;
      query.name = "q" + std::to_string(screen.queries.size());
      query.sql = sql;
      screen.queries.push_back(query);
    }
    RunOptions options;
    options.settings.iterations = 3;
    options.settings.warmup = 1;
    const ConnectionOptions connection_options =
        measuring_session(server_options(db.name()), options);
    CHECK(connection_options.read_only);
    auto connection = sqlmeasure::connect(connection_options);
    std::vector<RunResult> runs = measure({{connection.get(), ""}}, {screen}, options);
    REQUIRE(runs.size() == 1);
    for (const QueryResult& query : runs[0].screens.at(0).queries) {
      INFO(query.sql);
      REQUIRE(query.error.has_value());
      CHECK(query.error->find("[1792]") != std::string::npos);  // read-only transaction
      CHECK(query.samples_ns.empty());
    }
  }

  CHECK(table_state(db, "ledger") == before);
  CHECK(table_definition(db, "ledger") == definition);
}

TEST_CASE(
    "read-only: a sequence's NEXTVAL and SETVAL, which the loader lets through, are "
    "refused by the server",
    "[db][safety][writes]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("sequence");
  db.run_script("CREATE SEQUENCE s START WITH 1");
  TempDir dir("sequence");
  write_text(dir / "screens/seq.sql",
             "-- name: next\nSELECT NEXTVAL(s);\n-- name: set\nSELECT SETVAL(s, 1000);\n");
  CliResult result = run_in_process(std::vector<std::string>{"run", "--scenarios", dir / "screens",
                                                             "-o", dir / "seq.json", "--iterations",
                                                             "3", "--warmup", "1"} +
                                    connection_args(db.name()));
  INFO("stderr: " << result.err);
  if (result.code == 65) {
    // The loader learnt to refuse them: fine too (then update docs/safety.md §1).
    CHECK(result.err.find("seq.sql") != std::string::npos);
  } else {
    CHECK(result.code == 2);
    json results = read_json(dir / "seq.json");
    for (const char* name : {"next", "set"}) {
      INFO("query " << name);
      const json& query = find_query(results, "seq", name);
      REQUIRE(query["error"].is_string());
      CHECK(query["error"].get<std::string>().find("[1792]") != std::string::npos);
    }
  }
  // The sequence never moved.
  ResultSet next = db.admin().query("SELECT NEXT_NOT_CACHED_VALUE FROM `" + db.name() + "`.s");
  CHECK(next.rows.at(0).at(0) == std::optional<std::string>("1"));
}

TEST_CASE("--allow-writes: a write to a non-transactional table stops the run",
          "[db][safety][writes]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("myisam_writes");
  create_ledger(db, "MyISAM");
  TempDir dir("myisam-writes");
  write_text(dir / "screens/myisam.sql",
             "-- name: insert\nINSERT INTO ledger (k, v) VALUES (1, 1);\n");
  CliResult result = run_in_process(
      std::vector<std::string>{"run", "--allow-writes", "--scenarios", dir / "screens", "-o",
                               dir / "myisam.json", "--iterations", "5", "--warmup", "1"} +
      connection_args(db.name()));
  INFO("stderr: " << result.err);
  CHECK(result.code == 2);
  CHECK(result.err.find("non-transactional") != std::string::npos);
  // ROLLBACK cannot undo it: the one warm-up row is there, and the run stopped after it.
  CHECK(table_state(db, "ledger").rows == "501");
}

TEST_CASE(
    "--query-timeout on a real server: the slow query is recorded as timed out with its "
    "screen, the others are measured",
    "[db][safety][timeout]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("query_timeout");
  create_ledger(db);
  TempDir dir("query-timeout");
  write_text(dir / "screens/slow.sql", "-- name: nap\nSELECT SLEEP(5);\n");
  write_text(dir / "screens/fast.sql", "-- name: by_k\nSELECT id FROM ledger WHERE k = 5;\n");

  Clock::time_point start = Clock::now();
  // --query-timeout is in milliseconds (src/cli/options.cpp).
  CliResult result = run_in_process(
      std::vector<std::string>{"run", "--scenarios", dir / "screens", "-o", dir / "timeout.json",
                               "--iterations", "5", "--warmup", "1", "--query-timeout", "300"} +
      connection_args(db.name()));
  const double elapsed = seconds_since(start);
  INFO("stderr: " << result.err << "\nstdout: " << result.out);
  // Well under the 5 s one SLEEP would take, let alone 6 of them.
  CHECK(elapsed < 4.0);
  CHECK(result.code == 2);  // a query failed: said on stderr, the run itself is complete
  CHECK(result.err.find("1 query failed") != std::string::npos);
  // The table names the screen and why.
  CHECK(std::regex_search(result.out, std::regex("slow[^\n]*nap: timed out after 300 ms")));

  json results = read_json(dir / "timeout.json");
  CHECK(results["complete"] == true);
  CHECK(results["settings"]["query_timeout_ms"] == 300);
  const json& nap = find_query(results, "slow", "nap");
  CHECK(nap["error"] == "timed out after 300 ms");
  CHECK(nap["samples_ns"].empty());
  const json& by_k = find_query(results, "fast", "by_k");
  CHECK(by_k["error"].is_null());
  CHECK(by_k["samples_ns"].size() == 5);
  CHECK(by_k["rows_sent"] == 10);
}

TEST_CASE("server killed mid-run: exit 2, the endpoint and query named, partial results kept",
          "[db][safety][faults]") {
  SQLMEASURE_REQUIRE_SERVER();
  ScratchServer server;
  if (!server.problem().empty()) {
    if (in_ci()) FAIL("a second test server is needed in CI: " << server.problem());
    WARN("skipped: cannot start a second server: " << server.problem());
    return;
  }
  {
    auto admin = sqlmeasure::connect(server.options());
    admin->execute("CREATE DATABASE faults");
    admin->execute("CREATE TABLE faults.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
    admin->execute("INSERT INTO faults.t VALUES (1, 10), (2, 20), (3, 30)");
  }
  TempDir dir("server-killed");
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/naps.sql",
             "-- name: nap\nSELECT SLEEP(0.01), COUNT(*) FROM t;\n"
             "-- name: lookup\nSELECT v FROM t WHERE id = 3;\n");
  const std::string partial = dir / "partial.json";
  ScopedEnv no_password("MYSQL_PWD", std::nullopt);
  Process run(sqlmeasure_binary(),
              {"run", "--config", dir / "empty.toml", "--scenarios", dir / "screens", "-o", partial,
               "--iterations", "1000000", "--warmup", "1", "-h", "127.0.0.1", "-P",
               std::to_string(server.port()), "-u", "root", "-D", "faults"},
              dir / "out.txt", dir / "err.txt");
  {
    auto watcher = sqlmeasure::connect(server.options());
    REQUIRE_FALSE(
        running_statement(*watcher, "faults", "SELECT SLEEP", std::chrono::seconds(30)).empty());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // some samples taken
  REQUIRE(run.running());
  server.kill();

  const int code = run.wait(std::chrono::seconds(60));
  const std::string err = read_text(dir / "err.txt");
  INFO("stderr: " << err);
  CHECK(code == 2);
  CHECK(err.find("sqlmeasure: error: the run did not finish: connection lost: " +
                 server.endpoint()) != std::string::npos);
  CHECK(err.find("while running: SELECT ") != std::string::npos);  // the query
  CHECK(err.find("the partial results are in " + partial) != std::string::npos);
  CHECK(err.find("results: " + partial + " (incomplete)") != std::string::npos);

  REQUIRE(exists(partial));
  json results = read_json(partial);
  CHECK(results["complete"] == false);
  const std::string reason = results["incomplete_reason"].get<std::string>();
  CHECK(reason.find("connection lost") != std::string::npos);
  CHECK(reason.find(server.endpoint()) != std::string::npos);
  CHECK(results["server"]["endpoint"] == server.endpoint());
  // What was measured before the kill is kept.
  CHECK_FALSE(find_query(results, "naps", "nap")["samples_ns"].empty());
  CHECK_FALSE(find_query(results, "naps", "lookup")["samples_ns"].empty());
  CHECK(results["screens"][0]["samples_ns"].size() >= 1);
}

TEST_CASE("--retries: a killed measuring connection is reconnected and the run completes",
          "[db][safety][faults]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("retries");
  create_ledger(db);
  TempDir dir("retries");
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/naps.sql",
             "-- name: nap\nSELECT SLEEP(0.02), COUNT(*) FROM ledger WHERE k = 5;\n"
             "-- name: lookup\nSELECT v FROM ledger WHERE id = 3;\n");
  const std::string results_path = dir / "retried.json";
  const int iterations = 100;  // about 2 s of naps
  ScopedEnv no_password("MYSQL_PWD", std::nullopt);
  Process run(sqlmeasure_binary(),
              {"run", "--config", dir / "empty.toml", "--scenarios", dir / "screens", "-o",
               results_path, "--iterations", std::to_string(iterations), "--warmup", "1",
               "--retries", "2", "-S", test_socket(), "-u", "root", "-D", db.name()},
              dir / "out.txt", dir / "err.txt");
  // The measuring connection, found by its database (this test's own) and its statement.
  const std::string id =
      running_statement(db.admin(), db.name(), "SELECT SLEEP", std::chrono::seconds(30));
  REQUIRE_FALSE(id.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  db.admin().execute("KILL CONNECTION " + id);

  const int code = run.wait(std::chrono::seconds(120));
  const std::string err = read_text(dir / "err.txt");
  INFO("stderr: " << err);
  REQUIRE(code == 0);
  json results = read_json(results_path);
  CHECK(results["complete"] == true);
  CHECK(results["reconnects"].get<int>() >= 1);
  CHECK(results["reconnects"].get<int>() <= 2);
  // The lost sample was taken again: nothing is missing.
  for (const char* name : {"nap", "lookup"}) {
    INFO("query " << name);
    const json& query = find_query(results, "naps", name);
    CHECK(query["error"].is_null());
    CHECK(query["samples_ns"].size() == static_cast<size_t>(iterations));
  }
}

TEST_CASE("--retries: the server gone for good still ends the run with the partial results",
          "[db][safety][faults]") {
  SQLMEASURE_REQUIRE_SERVER();
  ScratchServer server;
  if (!server.problem().empty()) {
    if (in_ci()) FAIL("a second test server is needed in CI: " << server.problem());
    WARN("skipped: cannot start a second server: " << server.problem());
    return;
  }
  {
    auto admin = sqlmeasure::connect(server.options());
    admin->execute("CREATE DATABASE faults");
  }
  TempDir dir("server-gone");
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/naps.sql", "-- name: nap\nSELECT SLEEP(0.01);\n");
  const std::string partial = dir / "partial.json";
  ScopedEnv no_password("MYSQL_PWD", std::nullopt);
  Process run(sqlmeasure_binary(),
              {"run",
               "--config",
               dir / "empty.toml",
               "--scenarios",
               dir / "screens",
               "-o",
               partial,
               "--iterations",
               "1000000",
               "--warmup",
               "1",
               "--retries",
               "3",
               "--connect-timeout",
               "2",
               "-h",
               "127.0.0.1",
               "-P",
               std::to_string(server.port()),
               "-u",
               "root",
               "-D",
               "faults"},
              dir / "out.txt", dir / "err.txt");
  {
    auto watcher = sqlmeasure::connect(server.options());
    REQUIRE_FALSE(
        running_statement(*watcher, "faults", "SELECT SLEEP", std::chrono::seconds(30)).empty());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server.kill();

  const int code = run.wait(std::chrono::seconds(60));
  const std::string err = read_text(dir / "err.txt");
  INFO("stderr: " << err);
  CHECK(code == 2);
  CHECK(err.find("the run did not finish: connection lost") != std::string::npos);
  CHECK(err.find(server.endpoint()) != std::string::npos);
  REQUIRE(exists(partial));
  json results = read_json(partial);
  CHECK(results["complete"] == false);
  CHECK_FALSE(find_query(results, "naps", "nap")["samples_ns"].empty());
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

// [long]: left out of the sanitized suite, where "the connection lost while applying the change"
// drives the same reconnect-and-undo (docs/safety.md §7).
TEST_CASE("live compare: the server restarts during the after phase; the undo waits for it",
          "[db][safety][live][long]") {
  SQLMEASURE_REQUIRE_SERVER();
  ScratchServer server;
  if (!server.problem().empty()) {
    if (in_ci()) FAIL("a second test server is needed in CI: " << server.problem());
    WARN("skipped: cannot start a second server: " << server.problem());
    return;
  }
  auto setup = sqlmeasure::connect(server.options());
  setup->execute("CREATE DATABASE restarts");
  setup->execute("CREATE TABLE restarts.t (id INT PRIMARY KEY, v INT, KEY k_v (v)) ENGINE=InnoDB");
  setup->execute("INSERT INTO restarts.t VALUES (1, 10), (2, 20), (3, 30)");
  setup.reset();
  TempDir dir("restart");
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/naps.sql",
             "-- name: nap\nSELECT SLEEP(0.02), v FROM t WHERE v = 20;\n");
  write_text(dir / "up.sql", "ALTER TABLE t DROP INDEX k_v;\n");
  write_text(dir / "down.sql", "ALTER TABLE t ADD INDEX k_v (v);\n");
  ScopedEnv no_password("MYSQL_PWD", std::nullopt);
  Process compare(sqlmeasure_binary(),
                  scratch_migration(dir, {.database = "restarts",
                                          .server = server.tcp_args(),
                                          .apply_ddl = true,
                                          .iterations = "3000",
                                          .warmup = "0",
                                          .extra = {"--reconnect-timeout", "60"}})
                      .build(),
                  dir / "out.txt", dir / "err.txt");
  // The after phase: the index is gone. Then the server crashes and comes back.
  bool dropped = false;
  for (int i = 0; i < 600 && !dropped && compare.running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto watcher = sqlmeasure::connect(server.options("restarts"));
    dropped = watcher->query("SHOW INDEX FROM t WHERE Key_name = 'k_v'").rows.empty();
  }
  REQUIRE(dropped);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server.restart();
  REQUIRE(server.problem().empty());
  const int code = compare.wait(std::chrono::seconds(120));
  const std::string err = read_text(dir / "err.txt");
  INFO("stderr: " << err);
  CHECK(code == 2);  // the after phase lost its connection
  CHECK(err.find("the after-1 phase did not finish: connection lost") != std::string::npos);
  CHECK(err.find("schema restored") != std::string::npos);
  CHECK(err.find("; the schema is as it was") != std::string::npos);
  auto check = sqlmeasure::connect(server.options("restarts"));
  CHECK(check->query("SHOW INDEX FROM t WHERE Key_name = 'k_v'").rows.size() == 1);
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

// The sandbox's global sql_mode changed for one test, and put back.
class GlobalSqlMode {
 public:
  GlobalSqlMode(Connection& admin, const std::string& extra) : admin_(admin) {
    ResultSet now = admin.query("SELECT @@GLOBAL.sql_mode");
    original_ = now.rows.at(0).at(0).value_or("");
    admin.execute("SET GLOBAL sql_mode = " +
                  admin.quote(original_.empty() ? extra : original_ + "," + extra));
  }
  ~GlobalSqlMode() {
    try {
      admin_.execute("SET GLOBAL sql_mode = " + admin_.quote(original_));
    } catch (const Error&) {
      // The server is gone; nothing to put back.
    }
  }
  GlobalSqlMode(const GlobalSqlMode&) = delete;
  GlobalSqlMode& operator=(const GlobalSqlMode&) = delete;

 private:
  Connection& admin_;
  std::string original_;
};

TEST_CASE("the read-only guard reads SQL as the server's sql_mode does", "[db][safety][guard]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("guard_modes");
  db.run_script(
      "CREATE TABLE helps (id INT PRIMARY KEY, title VARCHAR(20));"
      "INSERT INTO helps VALUES (1, 'a'), (2, 'b');");
  TempDir dir("guard-modes");
  dir.write("empty.toml", "");
  const std::string outfile = "/tmp/sqlm-guard-" + std::to_string(::getpid());
  std::error_code ignored;
  fs::remove(outfile, ignored);
  const std::vector<std::string> connection = {"-S", test_socket(), "-u", "root", "-D", db.name()};
  auto run_screens = [&](const std::string& name, const std::string& sql) {
    dir.write(name + "/s.sql", sql + "\n");
    std::vector<std::string> args = {"run",
                                     "--config",
                                     dir / "empty.toml",
                                     "--scenarios",
                                     dir / name,
                                     "-o",
                                     dir / (name + ".json"),
                                     "--iterations",
                                     "1",
                                     "--warmup",
                                     "0"};
    args.insert(args.end(), connection.begin(), connection.end());
    return run_in_process(args);
  };
  SECTION("a file write hidden by the quoting of one mode is refused when loaded, in any mode") {
    GlobalSqlMode mode(db.admin(), "NO_BACKSLASH_ESCAPES");
    CliResult result = run_screens("outfile", "SELECT 'a\\' INTO OUTFILE '" + outfile + "' -- ';");
    INFO("stderr: " << result.err);
    CHECK(result.code == 65);
    CHECK(result.err.find("INTO OUTFILE writes a file") != std::string::npos);
    CHECK_FALSE(fs::exists(outfile));
  }
  SECTION("a lock hidden by the default quoting is refused under NO_BACKSLASH_ESCAPES") {
    const std::string sql = "SELECT 'a\\', (SELECT id FROM helps WHERE id = 1 FOR UPDATE) -- '";
    CHECK(run_screens("default", sql).code == 0);  // one string under the default quoting
    GlobalSqlMode mode(db.admin(), "NO_BACKSLASH_ESCAPES");
    CliResult result = run_screens("nbe", sql);
    INFO("stderr: " << result.err);
    CHECK(result.code == 65);
    CHECK(result.err.find("FOR UPDATE takes row locks") != std::string::npos);
    CHECK(result.err.find("the server's sql_mode lexes SQL with NO_BACKSLASH_ESCAPES") !=
          std::string::npos);
  }
  SECTION("ANSI_QUOTES: a double-quoted identifier that hides a lock") {
    const std::string sql =
        "SELECT id AS \"a\\\", (SELECT 1 FROM helps FOR UPDATE) -- \" FROM helps";
    GlobalSqlMode mode(db.admin(), "ANSI_QUOTES");
    CliResult result = run_screens("ansi", sql);
    INFO("stderr: " << result.err);
    CHECK(result.code == 65);
    CHECK(result.err.find("ANSI_QUOTES") != std::string::npos);
  }
  fs::remove(outfile, ignored);
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE(
    "live compare on a server with a binary log: refused, --no-binlog, "
    "--allow-replicated-ddl",
    "[db][safety][live][replication]") {
  SQLMEASURE_REQUIRE_SERVER();
  ScratchServer server("--log-bin=mysql-bin --server-id=7");
  if (!server.problem().empty()) {
    if (in_ci()) FAIL("a second test server is needed in CI: " << server.problem());
    WARN("skipped: cannot start a second server: " << server.problem());
    return;
  }
  auto admin = sqlmeasure::connect(server.options());
  admin->execute("CREATE DATABASE shop");
  admin->execute("CREATE TABLE shop.t (id INT PRIMARY KEY, v INT, KEY k_v (v)) ENGINE=InnoDB");
  admin->execute("INSERT INTO shop.t VALUES (1, 10), (2, 20)");
  TempDir dir("binlog");
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/q.sql", "SELECT v FROM t WHERE v = 20;\n");
  write_text(dir / "up.sql", "ALTER TABLE t DROP INDEX k_v;\n");
  write_text(dir / "down.sql", "ALTER TABLE t ADD INDEX k_v (v);\n");
  ScopedEnv no_password("MYSQL_PWD", std::nullopt);
  auto compare = [&](const std::vector<std::string>& extra) {
    std::filesystem::remove_all(dir / "out");
    return run_in_process(scratch_migration(dir, {.database = "shop",
                                                  .server = server.tcp_args(),
                                                  .apply_ddl = true,
                                                  .iterations = "2",
                                                  .warmup = "0",
                                                  .alternations = "1",
                                                  .extra = extra})
                              .build());
  };
  auto alters_logged = [&] { return binlog_events_naming(*admin, {"ALTER TABLE t"}); };
  const int alters_before = alters_logged();

  CliResult refused = compare({});
  INFO("refused stderr: " << refused.err);
  CHECK(refused.code == 64);
  CHECK(refused.err.find("this server writes a binary log (@@log_bin = ON)") != std::string::npos);
  CHECK(alters_logged() == alters_before);

  CliResult quiet = compare({"--no-binlog"});
  INFO("--no-binlog stderr: " << quiet.err);
  CHECK(quiet.code == 0);
  CHECK(alters_logged() == alters_before);  // applied and undone, and never logged

  CliResult replicated = compare({"--allow-replicated-ddl"});
  INFO("--allow-replicated-ddl stderr: " << replicated.err);
  CHECK(replicated.code == 0);
  CHECK(alters_logged() == alters_before + 2);  // the apply and the undo
  CHECK(admin->query("SHOW INDEX FROM shop.t WHERE Key_name = 'k_v'").rows.size() == 1);
}

// A live compare of the tests' own: one screen on t.v, the index k_v dropped and re-added.
std::vector<std::string> small_live_compare(const TempDir& dir, const std::string& database) {
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/q.sql", "SELECT v FROM t WHERE v = 20;\n");
  write_text(dir / "up.sql", "ALTER TABLE t DROP INDEX k_v;\n");
  write_text(dir / "down.sql", "ALTER TABLE t ADD INDEX k_v (v);\n");
  return scratch_migration(
             dir, {.database = database, .apply_ddl = true, .iterations = "2", .warmup = "0"})
      .build();
}

TEST_CASE("live compare: an undo blocked by FLUSH TABLES WITH READ LOCK names its session",
          "[db][safety][live][locks]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("ftwrl_undo");
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v)) ENGINE=InnoDB;"
      "INSERT INTO t VALUES (1, 10), (2, 20);");
  const std::string original = db.schema_fingerprint();
  TempDir dir("ftwrl-undo");
  (void)small_live_compare(dir, db.name());  // its files; a longer after phase below
  write_text(dir / "screens/q.sql", "SELECT SLEEP(0.05), v FROM t WHERE v = 20;\n");
  const std::vector<std::string> args =
      scratch_migration(dir, {.database = db.name(),
                              .apply_ddl = true,
                              .out_dir = dir / "out",
                              .iterations = "40",
                              .warmup = "0",
                              .alternations = "1",
                              .extra = {"--lock-wait-timeout", "1"}})
          .build();
  // A backup's FLUSH TABLES WITH READ LOCK, from a session on no database, taken once the
  // change is applied: the undo's ALTER waits for it.
  auto holder = connect(server_options());
  const std::string holder_id = holder->query("SELECT CONNECTION_ID()").rows[0][0].value_or("");
  std::atomic<bool> done{false};
  std::thread locker([&] {
    auto watch = db.connect();
    const std::string k_v =
        "SHOW INDEX FROM " + quote_identifier(db.name()) + ".t WHERE Key_name = 'k_v'";
    while (!done.load() && !watch->query(k_v).rows.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (done.load()) return;
    holder->execute("FLUSH TABLES WITH READ LOCK");
    while (!done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    holder->execute("UNLOCK TABLES");
  });
  CliResult result = run_in_process(args);
  done.store(true);
  locker.join();
  INFO("stderr: " << result.err);
  CHECK(result.code == 2);
  CHECK(result.err.find("undo: it waited --lock-wait-timeout 1 s for a lock; sessions that may "
                        "hold it") != std::string::npos);
  CHECK(result.err.find("thread " + holder_id + " (") != std::string::npos);
  CHECK(result.err.find("STILL APPLIED") != std::string::npos);
  // The lock gone, recover puts it back.
  const std::string journal = journal_path_in(result.err);
  REQUIRE_FALSE(journal.empty());
  CHECK(run_in_process({"recover", "--journal", journal, "-S", test_socket(), "-u", "root"}).code ==
        0);
  CHECK(db.schema_fingerprint() == original);
}

TEST_CASE("live compare: a DDL waiting behind a long transaction gives up, naming it",
          "[db][safety][live][locks]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("metadata_lock");
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v)) ENGINE=InnoDB;"
      "INSERT INTO t VALUES (1, 10), (2, 20);");
  TempDir dir("metadata-lock");
  const std::vector<std::string> args = small_live_compare(dir, db.name());
  // An application transaction that read the table and has not ended holds its metadata lock.
  auto holder = db.connect(/*read_only=*/false);
  holder->execute("START TRANSACTION");
  (void)holder->query("SELECT COUNT(*) FROM t");
  const std::string holder_id = holder->query("SELECT CONNECTION_ID()").rows[0][0].value_or("");
  const auto start = Clock::now();
  CliResult result = run_in_process(args + std::vector<std::string>{"--lock-wait-timeout", "1"});
  const double seconds = seconds_since(start);
  holder->execute("ROLLBACK");
  INFO("stderr: " << result.err);
  CHECK(result.code == 2);
  CHECK(seconds < 20);
  CHECK(result.err.find("[1205]") != std::string::npos);
  CHECK(result.err.find("it waited --lock-wait-timeout 1 s for a metadata lock") !=
        std::string::npos);
  CHECK(result.err.find("thread " + holder_id + " ") != std::string::npos);
  CHECK(result.err.find("; nothing was changed") != std::string::npos);
  CHECK(db.admin()
            .query("SHOW INDEX FROM " + quote_identifier(db.name()) + ".t WHERE Key_name = 'k_v'")
            .rows.size() == 1);
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("live compare: missing privileges are found before the first sample",
          "[db][safety][live][privileges]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("privileges");
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v));"
      "INSERT INTO t VALUES (1, 10), (2, 20);");
  const std::string user = "sqlm_ro_" + std::to_string(::getpid());
  db.admin().execute("DROP USER IF EXISTS '" + user + "'@'localhost'");
  db.admin().execute("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'Pw-ro-1'");
  db.admin().execute("GRANT SELECT ON " + quote_identifier(db.name()) + ".* TO '" + user +
                     "'@'localhost'");
  TempDir dir("privileges");
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/q.sql", "SELECT SLEEP(0.2), v FROM t WHERE v = 20;\n");
  write_text(dir / "up.sql", "ALTER TABLE t DROP INDEX k_v;\n");
  write_text(dir / "down.sql", "ALTER TABLE t ADD INDEX k_v (v);\n");
  ScopedEnv password("MYSQL_PWD", std::string("Pw-ro-1"));
  const auto start = Clock::now();
  CliResult result = run_in_process(
      scratch_migration(dir, {.database = db.name(), .user = user, .iterations = "20"}).build());
  const double seconds = seconds_since(start);
  db.admin().execute("DROP USER IF EXISTS '" + user + "'@'localhost'");
  INFO("stderr: " << result.err);
  CHECK(result.code == 2);
  CHECK(result.err.find("it lacks ALTER (needed by") != std::string::npos);
  CHECK(result.err.find("nothing was measured or changed") != std::string::npos);
  CHECK(seconds < 3);  // 20 samples of 0.2 s were not taken first
  CHECK_FALSE(fs::exists(dir / "out/before-1.json"));
}

TEST_CASE("run: a results path that cannot be written is refused before measuring",
          "[db][safety][output]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("output_path");
  db.run_script("CREATE TABLE t (id INT PRIMARY KEY);");
  TempDir dir("output-path");
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/q.sql", "SELECT SLEEP(0.2) FROM t;\n");
  for (const std::string& out : {std::string("/nonexistent/x.json"), dir.path()}) {
    INFO("--out " << out);
    const auto start = Clock::now();
    CliResult result = run_in_process(std::vector<std::string>{
        "run", "--config", dir / "empty.toml", "--scenarios", dir / "screens", "-o", out,
        "--iterations", "20", "-S", test_socket(), "-u", "root", "-D", db.name()});
    INFO("stderr: " << result.err);
    CHECK(result.code == 64);
    CHECK(result.err.find("--out " + out) != std::string::npos);
    CHECK(seconds_since(start) < 2);
  }
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("live compare: one at a time on a database, the other one named",
          "[db][safety][live][lock]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("one_at_a_time");
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v));"
      "INSERT INTO t VALUES (1, 10), (2, 20);");
  TempDir dir("one-at-a-time");
  const std::vector<std::string> args = small_live_compare(dir, db.name());
  // Another live compare on the same database holds the lock for as long as it runs.
  auto other = db.connect(/*read_only=*/false);
  const std::string lock = other->quote(live_compare_lock_name(db.name()));
  REQUIRE(other->query("SELECT GET_LOCK(" + lock + ", 0)").rows[0][0] == "1");
  const std::string other_id = other->query("SELECT CONNECTION_ID()").rows[0][0].value_or("");

  CliResult refused = run_in_process(args);
  INFO("stderr: " << refused.err);
  CHECK(refused.code == 2);
  CHECK(refused.err.find("another live compare is running on database") != std::string::npos);
  CHECK(refused.err.find("connection " + other_id + " (root@localhost") != std::string::npos);
  CHECK(refused.err.find("Nothing was changed") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out/before-1.json"));

  // Once it is done, the next one runs, and holds the lock only while it runs.
  (void)other->query("SELECT RELEASE_LOCK(" + lock + ")");
  CliResult ran = run_in_process(args);
  INFO("stderr: " << ran.err);
  CHECK((ran.code == 0 || ran.code == 1));
  CHECK(ran.err.find("schema restored") != std::string::npos);
  // The server frees a closed session's locks as that session's thread ends, a moment after
  // the client has gone (IS_FREE_LOCK says NULL meanwhile): wait up to 2 s for it.
  std::optional<std::string> free_now;
  for (int tries = 0; tries < 40; ++tries) {
    free_now = other->query("SELECT IS_FREE_LOCK(" + lock + ")").rows[0][0];
    if (free_now == "1") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(free_now == "1");
  CHECK(db.admin()
            .query("SHOW INDEX FROM " + quote_identifier(db.name()) + ".t WHERE Key_name = 'k_v'")
            .rows.size() == 1);
}

TEST_CASE("live compare: a backtick in the database, table and index names",
          "[db][safety][live][quoting]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase admin_db("backtick_admin");
  Connection& admin = admin_db.admin();
  const std::string database = "sqlm`tick_" + std::to_string(::getpid());
  admin.execute("DROP DATABASE IF EXISTS " + quote_identifier(database));
  admin.execute("CREATE DATABASE " + quote_identifier(database));
  admin.execute("CREATE TABLE " + quote_identifier(database) +
                ".`i``tems` (id INT PRIMARY KEY, v INT, KEY `k``v` (v))");
  admin.execute("INSERT INTO " + quote_identifier(database) +
                ".`i``tems` SELECT seq, seq % 50 FROM seq_1_to_2000");
  const auto definition = [&] {
    return admin.query("SHOW CREATE TABLE " + quote_identifier(database) + ".`i``tems`")
        .rows[0][1]
        .value_or("");
  };
  const std::string original = definition();
  TempDir dir("backtick");
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/q.sql", "SELECT COUNT(*) FROM `i``tems` WHERE v = 7;\n");
  write_text(dir / "up.sql", "ALTER TABLE `i``tems` DROP INDEX `k``v`;\n");
  write_text(dir / "down.sql", "ALTER TABLE `i``tems` ADD INDEX `k``v` (v);\n");
  LiveCompareArgs args = scratch_migration(
      dir, {.database = database, .iterations = "3", .warmup = "0", .format = "json"});
  SECTION("a migration") {
    CliResult result = run_in_process(args.build());
    INFO("stderr: " << result.err);
    CHECK(result.code == 1);  // rows examined 40 -> 2000
    CHECK(result.err.find("schema restored") != std::string::npos);
    CHECK(json::parse(result.out)["screens"][0]["verdict"] == "regressed");
  }
  SECTION("an ignored index") {
    args.migration.clear();  // the index made IGNORED instead
    args.rollback.clear();
    args.ignore_indexes = {"i`tems.k`v"};
    args.out_dir = dir / "out-ignored";
    CliResult result = run_in_process(args.build());
    INFO("stderr: " << result.err);
    CHECK(result.code == 1);
    CHECK(result.err.find("schema restored") != std::string::npos);
  }
  CHECK(definition() == original);
  admin.execute("DROP DATABASE " + quote_identifier(database));
}

TEST_CASE(
    "live compare: a table another session drops mid-run is said as dropped, not as the "
    "change still applied",
    "[db][safety][live]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("dropped_by_other");
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v)) ENGINE=InnoDB;"
      "INSERT INTO t VALUES (1, 10), (2, 20);"
      "CREATE TABLE scratch (id INT PRIMARY KEY) ENGINE=InnoDB;");
  TempDir dir("dropped-by-other");
  (void)small_live_compare(dir, db.name());
  write_text(dir / "screens/q.sql", "SELECT SLEEP(0.05), v FROM t WHERE v = 20;\n");
  const std::vector<std::string> args = scratch_migration(dir, {.database = db.name(),
                                                                .apply_ddl = true,
                                                                .out_dir = dir / "out",
                                                                .iterations = "20",
                                                                .warmup = "0",
                                                                .alternations = "1"})
                                            .build();
  // Once the change is applied, another session drops a table the change never touches.
  std::atomic<bool> done{false};
  auto other = connect(server_options());  // read-write, as another application's session
  std::thread dropper([&] {
    const std::string k_v =
        "SHOW INDEX FROM " + quote_identifier(db.name()) + ".t WHERE Key_name = 'k_v'";
    while (!done.load() && !other->query(k_v).rows.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!done.load()) other->execute("DROP TABLE " + quote_identifier(db.name()) + ".scratch");
  });
  const CliResult result = run_in_process(args);
  done.store(true);
  dropper.join();
  INFO("stderr: " << result.err);
  CHECK(result.code == 2);
  CHECK(result.err.find("schema: the change's tables (t) are as they were; tables it does not "
                        "touch changed during the run, by another session: scratch (dropped)") !=
        std::string::npos);
  CHECK(result.err.find("another session changed the schema during the run") != std::string::npos);
  CHECK(result.err.find("STILL APPLIED") == std::string::npos);
  CHECK(result.err.find("the change is undone, its tables as they were") != std::string::npos);
  // The change is undone and its journal closed: the next run measures without refusing.
  CHECK(db.connect()->query("SHOW INDEX FROM t WHERE Key_name = 'k_v'").rows.size() == 1);
  std::filesystem::remove_all(dir / "out");
  const CliResult again = run_in_process(args);
  INFO("again: " << again.err);
  CHECK(again.err.find("did not finish undoing") == std::string::npos);
  CHECK((again.code == 0 || again.code == 1));
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("stats import on a server with a binary log: refused, then --no-binlog writes unlogged",
          "[db][safety][statistics][replication]") {
  SQLMEASURE_REQUIRE_SERVER();
  ScratchServer server("--log-bin=mysql-bin --server-id=7");
  if (!server.problem().empty()) {
    if (in_ci()) FAIL("a second test server is needed in CI: " << server.problem());
    WARN("skipped: cannot start a second server: " << server.problem());
    return;
  }
  TempDir dir("statistics-binlog");
  ScopedEnv journals("SQLMEASURE_JOURNAL_DIR", dir.path() + "/journals");
  ScopedEnv no_password("MYSQL_PWD", std::nullopt);
  auto admin = sqlmeasure::connect(server.options());
  admin->execute("CREATE DATABASE shop");
  admin->execute("CREATE TABLE shop.t (id INT PRIMARY KEY, v INT, KEY k_v (v)) ENGINE=InnoDB");
  admin->execute("INSERT INTO shop.t VALUES (1, 10), (2, 20)");
  admin->execute("ANALYZE TABLE shop.t");
  auto stats = [&](std::vector<std::string> args) {
    std::vector<std::string> all = {"stats"};
    all.insert(all.end(), args.begin(), args.end());
    for (const std::string& flag : server.tcp_args()) all.push_back(flag);
    for (const char* flag : {"-u", "root", "-D", "shop"}) all.push_back(flag);
    return run_in_process(all);
  };
  auto statistics_logged = [&] {
    return binlog_events_naming(*admin, {"innodb_index_stats", "STATS_AUTO_RECALC"});
  };
  const std::string file = dir / "shop.json";
  REQUIRE(stats({"export", "-o", file}).code == 0);  // read-only: allowed anywhere
  const int logged_before = statistics_logged();

  CliResult refused = stats({"import", file});
  INFO("refused: " << refused.err);
  CHECK(refused.code == 64);
  CHECK(refused.err.find("this server writes a binary log (@@log_bin = ON)") != std::string::npos);
  CHECK(refused.err.find("Run stats import on a clone") != std::string::npos);
  CHECK(statistics_logged() == logged_before);

  CliResult unlogged = stats({"import", file, "--no-binlog"});
  INFO("--no-binlog: " << unlogged.out << unlogged.err);
  CHECK(unlogged.code == 0);
  CHECK(stats({"import", "--undo", "--no-binlog"}).code == 0);
  CHECK(statistics_logged() == logged_before);  // imported and undone, never logged
}

}  // namespace
}  // namespace sqlmeasure::testing
