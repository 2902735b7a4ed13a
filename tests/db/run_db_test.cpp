// `run`, `explain` and the measuring connection against the real MariaDB: what the results
// file holds, deterministic parameters and checksums, exact rows examined, the read-only
// session, secrets kept out of every output, and connection errors that say where and why.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "db/db_test_support.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/sql_statements.h"
#include "support/results_json.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;

// `run` in-process on `scenarios`, writing `results`; the run must succeed.
json run_ok(const std::string& database, const std::string& scenarios, const std::string& results,
            const std::vector<std::string>& extra = {}) {
  CliResult result = run_in_process(
      std::vector<std::string>{"run", "--scenarios", scenarios, "-o", results, "--format", "json"} +
      connection_args(database) + extra);
  INFO("stderr: " << result.err);
  REQUIRE(result.code == 0);
  CHECK(result.err.find("results: " + results) != std::string::npos);
  return read_json(results);
}

// The parameter values of every query, by "screen/query", as the results file stores them.
std::map<std::string, json> params_by_query(const json& results) {
  std::map<std::string, json> out;
  for (const json& screen : results["screens"]) {
    for (const json& query : screen["queries"]) {
      out[screen["name"].get<std::string>() + "/" + query["name"].get<std::string>()] =
          query["params"];
    }
  }
  return out;
}

std::map<std::string, std::string> checksums_by_query(const json& results) {
  std::map<std::string, std::string> out;
  for (const json& screen : results["screens"]) {
    for (const json& query : screen["queries"]) {
      out[screen["name"].get<std::string>() + "/" + query["name"].get<std::string>()] =
          query["checksum"].get<std::string>();
    }
  }
  return out;
}

// What every complete results file must hold, query by query.
void check_results_file(const json& results, const std::string& database, int iterations) {
  CHECK(results["format"] == "sqlmeasure-results");
  CHECK(results["schema_version"] == kResultsSchemaVersion);
  CHECK(results["complete"] == true);
  CHECK(results["server"]["flavor"] == "MariaDB");
  const std::string version = results["server"]["version"].get<std::string>();
  CHECK(version.find("MariaDB") != std::string::npos);
  CHECK(std::regex_search(version, std::regex(R"(^\d+\.\d+\.\d+)")));
  CHECK(results["server"]["database"] == database);
  CHECK(results["server"]["endpoint"].get<std::string>().find("socket ") == 0);
  CHECK_FALSE(results["rows_examined_method"].get<std::string>().empty());
  CHECK(results["settings"]["iterations"] == iterations);
  // What moves plans and times besides the schema, as the server reported it.
  const json& conditions = results["conditions"];
  REQUIRE(conditions.is_object());
  CHECK(conditions["settings"]["optimizer_switch"].get<std::string>().find("index_merge=") !=
        std::string::npos);
  CHECK(conditions["settings"].contains("innodb_buffer_pool_size"));
  REQUIRE_FALSE(conditions["table_rows"].empty());
  for (const auto& [table, rows] : conditions["table_rows"].items()) {
    INFO(table);
    CHECK(rows["exact"] == true);  // every test table is far below 1M rows
  }
  REQUIRE_FALSE(results["screens"].empty());
  for (const json& screen : results["screens"]) {
    CHECK(screen["samples_ns"].size() == static_cast<size_t>(iterations));
    REQUIRE_FALSE(screen["queries"].empty());
    for (const json& query : screen["queries"]) {
      const std::string where = screen["name"].get<std::string>() + "/" +
                                query["name"].get<std::string>() + ": " +
                                query["sql"].get<std::string>();
      INFO(where);
      CHECK(query["error"].is_null());
      // Every execution of a view is timed: `times` a view.
      const int times = query["times"].get<int>();
      CHECK(query["executions_per_view"] == times);
      CHECK(query["samples_ns"].size() == static_cast<size_t>(iterations * times));
      for (const json& sample : query["samples_ns"]) CHECK(sample.get<std::int64_t>() > 0);
      CHECK(query["stats_ms"]["n"] == iterations * times);
      CHECK(query["stats_ms"]["median"].get<double>() > 0);
      CHECK(std::regex_match(query["checksum"].get<std::string>(), std::regex("[0-9a-f]{16}")));
      CHECK(query["variants_inspected"].get<int>() >= 1);
      // A plan with at least one row that names a table.
      REQUIRE(query["plan"].is_array());
      bool names_a_table =
          std::any_of(query["plan"].begin(), query["plan"].end(),
                      [](const json& row) { return !row["table"].get<std::string>().empty(); });
      CHECK(names_a_table);
      // Rows examined, unless the optimizer answered without reading a row.
      bool reads_nothing = false;
      for (const json& row : query["plan"]) {
        const std::string extra = row["extra"].get<std::string>();
        for (const char* nothing : {"Impossible WHERE", "no matching row", "optimized away",
                                    "No tables used", "const row not found"}) {
          reads_nothing = reads_nothing || extra.find(nothing) != std::string::npos;
        }
      }
      if (names_a_table && !reads_nothing) CHECK(query["rows_examined"].get<std::uint64_t>() > 0);
      // Every placeholder has its values recorded.
      for (const Placeholder& placeholder : find_placeholders(query["sql"].get<std::string>())) {
        INFO("placeholder :" << placeholder.name);
        REQUIRE(query["params"].contains(placeholder.name));
        CHECK_FALSE(query["params"][placeholder.name].empty());
      }
    }
  }
}

TEST_CASE("run: the results file records samples, plans, rows examined, checksums, params",
          "[db][run]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("run_file");
  db.load_demo(0.01);
  TempDir dir("run-file");
  write_demo_schema_screens(dir / "screens");

  json results = run_ok(db.name(), dir / "screens", dir / "run.json",
                        {"--iterations", "5", "--warmup", "1", "--seed", "3"});
  check_results_file(results, db.name(), 5);
  CHECK(results["settings"]["seed"] == 3);
  CHECK(results["rows_examined_method"] == "rows_read_status");

  std::map<std::string, json> params = params_by_query(results);
  // Literal values as written; `from` values drawn: as many as sampled, all numbers.
  CHECK(params["work_search/list"]["category"] ==
        json::array({{{"number", "21"}}, {{"number", "23"}}}));
  REQUIRE(params["mypage/user"]["user_id"].size() == 4);
  for (const json& value : params["mypage/user"]["user_id"]) {
    REQUIRE(value.is_object());
    CHECK(std::stoi(value["number"].get<std::string>()) > 0);
  }
  CHECK(params["mypage/proposals"]["user_id"].size() == 4);
  CHECK(params["help/articles"].empty());

  // The index the work search lives on shows in its plan.
  for (const json& screen : results["screens"]) {
    if (screen["name"] != "work_search") continue;
    for (const json& query : screen["queries"]) {
      CHECK(query["plan"][0]["table"] == "works");
      CHECK(query["plan"][0]["key"] == "category_id_status_started");
    }
  }
}

TEST_CASE("run: every query of the demo screens is measured, planned, counted and checksummed",
          "[db][run][demo]") {
  SQLMEASURE_REQUIRE_SERVER();
  require_demo_screens();
  TestDatabase db("run_demo");
  db.load_demo(0.01);
  TempDir dir("run-demo");
  json results =
      run_ok(db.name(), demo_dir(), dir / "demo.json", {"--iterations", "3", "--warmup", "1"});
  check_results_file(results, db.name(), 3);
}

TEST_CASE("run: the same seed draws the same values and checksums; another seed draws others",
          "[db][run][params]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("run_seed");
  db.load_demo(0.01);
  TempDir dir("run-seed");
  write_demo_schema_screens(dir / "screens");
  const std::vector<std::string> quick = {"--iterations", "2", "--warmup", "0"};

  json first = run_ok(db.name(), dir / "screens", dir / "a.json",
                      quick + std::vector<std::string>{"--seed", "7"});
  json second = run_ok(db.name(), dir / "screens", dir / "b.json",
                       quick + std::vector<std::string>{"--seed", "7"});
  json other = run_ok(db.name(), dir / "screens", dir / "c.json",
                      quick + std::vector<std::string>{"--seed", "8"});

  CHECK(params_by_query(first) == params_by_query(second));
  CHECK(checksums_by_query(first) == checksums_by_query(second));
  // Drawn values depend on the seed; literal ones do not.
  CHECK(params_by_query(first)["mypage/user"] != params_by_query(other)["mypage/user"]);
  CHECK(params_by_query(first)["mypage/proposals"] != params_by_query(other)["mypage/proposals"]);
  CHECK(params_by_query(first)["work_search/list"] == params_by_query(other)["work_search/list"]);
  CHECK(checksums_by_query(first)["work_search/list"] ==
        checksums_by_query(other)["work_search/list"]);
}

TEST_CASE("run: a password never appears in the results file, stdout or stderr",
          "[db][run][secrets]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("run_secret");
  db.load_demo(0.01);
  TempDir dir("run-secret");
  write_demo_schema_screens(dir / "screens");
  const std::string secret = "Zq8-sqlm-S3cret-pw-4f1c";
  const std::string user = "sqlm_pw_test";

  struct UserGuard {
    Connection& admin;
    std::string user;
    ~UserGuard() {
      try {
        admin.execute("DROP USER IF EXISTS '" + user + "'@'localhost'");
      } catch (const Error&) {
        // The server is gone: nothing to drop.
      }
    }
  } guard{db.admin(), user};
  db.admin().execute("DROP USER IF EXISTS '" + user + "'@'localhost'");
  db.admin().execute("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + secret + "'");
  db.admin().execute("GRANT SELECT ON `" + db.name() + "`.* TO '" + user + "'@'localhost'");

  const std::vector<std::string> as_user = {"-S", test_socket(), "-u", user, "-D", db.name()};
  auto check_clean = [&](const CliResult& result) {
    CHECK(result.out.find(secret) == std::string::npos);
    CHECK(result.err.find(secret) == std::string::npos);
  };
  {
    ScopedEnv password("MYSQL_PWD", secret);
    // -v says what is being done, and must still not say the password.
    CliResult run = run_in_process(std::vector<std::string>{"run", "-v", "--scenarios",
                                                            dir / "screens", "-o", dir / "run.json",
                                                            "--iterations", "2", "--warmup", "0"} +
                                   as_user);
    INFO("stderr: " << run.err);
    REQUIRE(run.code == 0);
    CHECK(run.err.find("with a password") != std::string::npos);
    check_clean(run);
    const std::string file = read_text(dir / "run.json");
    CHECK(file.find(secret) == std::string::npos);
    CHECK(json::parse(file)["complete"] == true);

    CliResult json_run = run_in_process(
        std::vector<std::string>{"run", "--scenarios", dir / "screens", "-o", dir / "run2.json",
                                 "--iterations", "1", "--warmup", "0", "--format", "json"} +
        as_user);
    REQUIRE(json_run.code == 0);
    check_clean(json_run);
    CHECK(read_text(dir / "run2.json").find(secret) == std::string::npos);

    CliResult explain = run_in_process(
        std::vector<std::string>{"explain", "--scenarios", dir / "screens"} + as_user);
    REQUIRE(explain.code == 0);
    check_clean(explain);
  }
  {
    // A wrong password: refused, and the message does not echo what was tried.
    ScopedEnv password("MYSQL_PWD", secret + "-wrong");
    CliResult refused =
        run_in_process(std::vector<std::string>{"run", "--scenarios", dir / "screens", "-o",
                                                dir / "refused.json", "--iterations", "1"} +
                       as_user);
    CHECK(refused.code == 2);
    CHECK(refused.err.find("1045") != std::string::npos);  // ER_ACCESS_DENIED_ERROR
    check_clean(refused);
    CHECK_FALSE(exists(dir / "refused.json"));
  }
}

// A table of N rows with no index on `v` and an index on `k` (k = n mod 100).
void create_counted_table(TestDatabase& db, int rows) {
  db.run_script(
      "CREATE TABLE counted (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL, "
      "k INT NOT NULL, KEY k (k)) ENGINE=InnoDB;"
      "SET SESSION max_recursive_iterations = 1000000;"
      "INSERT INTO counted (v, k) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
      "WHERE i < " +
      std::to_string(rows) +
      ") SELECT i, i % 100 FROM n;"
      "ANALYZE TABLE counted");
}

TEST_CASE("rows examined is exact: N for a full scan, 1 for a primary-key lookup",
          "[db][run][rows-examined]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("rows_exact");
  constexpr int kRows = 1234;
  create_counted_table(db, kRows);
  auto connection = db.connect(/*read_only=*/true);

  SECTION("through the library, the same every time") {
    for (int attempt = 0; attempt < 3; ++attempt) {
      INFO("attempt " << attempt);
      CHECK(rows_examined(*connection, "SELECT * FROM counted WHERE v = -1") == kRows);
      CHECK(rows_examined(*connection, "SELECT COUNT(*) FROM counted WHERE v > 0") == kRows);
      CHECK(rows_examined(*connection, "SELECT * FROM counted WHERE id = 17") == 1);
      CHECK(rows_examined(*connection, "SELECT * FROM counted WHERE id = 999999") == 0);
      // k = 5 for n = 5, 105, ..., 1205: 13 rows through the index.
      CHECK(rows_examined(*connection, "SELECT * FROM counted WHERE k = 5") == 13);
    }
    std::vector<PlanRow> scan = explain(*connection, "SELECT * FROM counted WHERE v = -1");
    REQUIRE(scan.size() == 1);
    CHECK(scan[0].access_type == "ALL");
    std::vector<PlanRow> lookup = explain(*connection, "SELECT * FROM counted WHERE id = 17");
    REQUIRE(lookup.size() == 1);
    CHECK(lookup[0].key == "PRIMARY");
  }

  SECTION("in the results file of a run") {
    TempDir dir("rows-exact");
    write_text(dir / "screens/counted.sql",
               "-- name: scan\nSELECT * FROM counted WHERE v = -1;\n"
               "-- name: lookup\nSELECT * FROM counted WHERE id = 17;\n"
               "-- name: by_index\nSELECT id FROM counted WHERE k = 5;\n");
    json results = run_ok(db.name(), dir / "screens", dir / "rows.json",
                          {"--iterations", "3", "--warmup", "1"});
    const json& queries = results["screens"][0]["queries"];
    REQUIRE(queries.size() == 3);
    CHECK(queries[0]["rows_examined"] == kRows);
    CHECK(queries[0]["rows_sent"] == 0);
    CHECK(queries[1]["rows_examined"] == 1);
    CHECK(queries[1]["rows_sent"] == 1);
    CHECK(queries[2]["rows_examined"] == 13);
    CHECK(queries[2]["rows_sent"] == 13);
    CHECK(results["screens"][0]["rows_examined"] == kRows + 1 + 13);
  }
}

std::int64_t row_count(TestDatabase& db, const std::string& table) {
  ResultSet count = db.admin().query("SELECT COUNT(*) FROM `" + db.name() + "`.`" + table + "`");
  return std::stoll(*count.rows[0][0]);
}

TEST_CASE("the read-only session refuses writes even when the loader is bypassed",
          "[db][run][safety]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("read_only");
  create_counted_table(db, 50);
  const std::string before = db.schema_fingerprint();
  auto connection = sqlmeasure::connect(server_options(db.name(), /*read_only=*/true));

  for (const std::string sql :
       {"INSERT INTO counted (v, k) VALUES (1, 1)", "UPDATE counted SET v = v + 1",
        "DELETE FROM counted", "REPLACE INTO counted (id, v, k) VALUES (1, 2, 3)",
        "CREATE TABLE sneaky (id INT)", "DROP TABLE counted", "TRUNCATE TABLE counted",
        "ALTER TABLE counted ADD INDEX v (v)"}) {
    INFO(sql);
    try {
      connection->execute(sql);
      FAIL("the server accepted a write on the read-only session");
    } catch (const DatabaseError& error) {
      CHECK(error.error_number() == 1792);  // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
      CHECK(error.sqlstate() == "25006");
      CHECK_FALSE(error.connection_lost());
      CHECK(std::string(error.what()).find(sql.substr(0, 20)) != std::string::npos);
    }
  }
  // The timed path goes through the same session.
  CHECK_THROWS_AS(connection->execute_timed("INSERT INTO counted (v, k) VALUES (1, 1)", false),
                  DatabaseError);
  CHECK(row_count(db, "counted") == 50);
  CHECK(db.schema_fingerprint() == before);
  // And the session still reads.
  CHECK(connection->query("SELECT COUNT(*) FROM counted").rows[0][0] == "50");
}

TEST_CASE("run: a screen that could write is refused before anything runs", "[db][run][safety]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("write_screen");
  create_counted_table(db, 10);
  TempDir dir("write-screen");
  write_text(dir / "screens/writes.sql",
             "-- name: ok\nSELECT COUNT(*) FROM counted;\n"
             "-- name: sneaky\nDELETE FROM counted WHERE id > 0;\n");
  CliResult result = run_in_process(
      std::vector<std::string>{"run", "--scenarios", dir / "screens", "-o", dir / "w.json"} +
      connection_args(db.name()));
  INFO("stderr: " << result.err);
  CHECK(result.code == 65);
  CHECK(result.err.find("writes.sql") != std::string::npos);
  CHECK_FALSE(exists(dir / "w.json"));
  CHECK(row_count(db, "counted") == 10);
}

TEST_CASE("run: a bad connection exits 2 naming the endpoint, errno and SQLSTATE",
          "[db][run][errors]") {
  SQLMEASURE_REQUIRE_SERVER();
  TempDir dir("bad-connection");
  write_text(dir / "screens/one.sql", "SELECT 1;\n");
  const std::regex errno_and_state(R"(\[\d{4}\] \([0-9A-Z]{5}\))");

  SECTION("wrong port") {
    CliResult result =
        run_in_process({"run", "--scenarios", dir / "screens", "-o", dir / "x.json", "-h",
                        "127.0.0.1", "-P", "1", "-u", "root", "--connect-timeout", "5"});
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.find("sqlmeasure: error: cannot connect to 127.0.0.1:1") != std::string::npos);
    CHECK(std::regex_search(result.err, errno_and_state));
    CHECK(result.out.empty());
  }
  SECTION("wrong socket") {
    const std::string socket = dir / "no-such.sock";
    CliResult result = run_in_process(
        {"run", "--scenarios", dir / "screens", "-o", dir / "x.json", "-S", socket, "-u", "root"});
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.find("socket " + socket) != std::string::npos);
    CHECK(result.err.find("[2002]") != std::string::npos);  // CR_CONNECTION_ERROR
    CHECK(std::regex_search(result.err, errno_and_state));
  }
  SECTION("unknown database") {
    TestDatabase seen("seen_database");  // one database at least for the account to see
    CliResult result =
        run_in_process({"run", "--scenarios", dir / "screens", "-o", dir / "x.json", "-S",
                        test_socket(), "-u", "root", "-D", "sqlm_no_such_database"});
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.find("[1049]") != std::string::npos);  // ER_BAD_DB_ERROR
    CHECK(result.err.find("(42000)") != std::string::npos);
    CHECK(result.err.find("check that the server is running") == std::string::npos);
    CHECK(result.err.find("the databases this account can see: ") != std::string::npos);
  }
  SECTION("a database name one letter off: the closest one named") {
    TestDatabase db("closest_name");
    std::string typo = db.name();
    typo.back() = typo.back() == 'x' ? 'y' : 'x';
    CliResult result = run_in_process({"run", "--scenarios", dir / "screens", "-o", dir / "x.json",
                                       "-S", test_socket(), "-u", "root", "-D", typo});
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.find("did you mean -D " + db.name() + "?") != std::string::npos);
  }
  CHECK_FALSE(exists(dir / "x.json"));
}

TEST_CASE("run: a socket found in an option file is shown by its path", "[db][run][endpoint]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("socket_shown");
  create_counted_table(db, 3);
  TempDir dir("socket-shown");
  write_text(dir / "empty.toml", "");
  write_text(dir / "screens/one.sql", "SELECT COUNT(*) FROM counted;\n");
  write_text(dir / "my.cnf", "[client]\nsocket=" + test_socket() + "\n");
  CliResult result = run_in_process(
      {"run", "--config", dir / "empty.toml", "--defaults-file", dir / "my.cnf", "--scenarios",
       dir / "screens", "-o", dir / "r.json", "-u", "root", "-D", db.name(), "--iterations", "2"});
  INFO("stdout: " << result.out << "\nstderr: " << result.err);
  CHECK(result.code == 0);
  CHECK(result.out.find(" · socket " + test_socket() + " · ") != std::string::npos);
  CHECK(result.out.find("default socket") == std::string::npos);
}

TEST_CASE("explain: the plan of every query names its table and key", "[db][explain]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("explain");
  db.load_demo(0.01);
  TempDir dir("explain");
  write_demo_schema_screens(dir / "screens");

  CliResult table =
      run_in_process(std::vector<std::string>{"explain", "--scenarios", dir / "screens"} +
                     connection_args(db.name()));
  INFO("stderr: " << table.err);
  REQUIRE(table.code == 0);
  for (const char* expected :
       {"work_search/list", "work_search/count", "mypage/user", "help/articles",
        "category_id_status_started", "PRIMARY", "section_sort_order", "works", "users", "helps"}) {
    CHECK(table.out.find(expected) != std::string::npos);
  }

  CliResult as_json =
      run_in_process(std::vector<std::string>{"explain", "--scenarios", dir / "screens", "--format",
                                              "json", "--screens", "work_search"} +
                     connection_args(db.name()));
  REQUIRE(as_json.code == 0);
  json plans = json::parse(as_json.out);
  REQUIRE(plans.size() == 1);
  CHECK(plans[0]["screen"] == "work_search");
  for (const json& query : plans[0]["queries"]) {
    REQUIRE_FALSE(query["plan"].empty());
    CHECK(query["plan"][0]["key"] == "category_id_status_started");
    CHECK(query["rows_examined"].get<std::uint64_t>() > 0);
  }
}

}  // namespace
}  // namespace sqlmeasure::testing
