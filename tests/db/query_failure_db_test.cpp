// A query the change breaks, on a real MariaDB (docs/verdicts.md, "Errors"): a FORCE INDEX
// naming the dropped index fails after the change with 1176. Live (index ignored or the real
// DDL), offline (the pooled files, the out-dir) and two endpoints all give it verdict `error`,
// exit 1, and never read its missing samples as 0 ms.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db/db_test_support.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;

// t (id, v) with KEY k_v (v); the screen forces k_v in one query and reads t by id in another;
// the migration drops k_v.
void write_world(TestDatabase& db, TempDir& dir) {
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v));"
      "INSERT INTO t SELECT seq, seq % 50 FROM seq_1_to_2000;");
  dir.write("screens/forced.sql",
            "-- name: forced\nSELECT id FROM t FORCE INDEX (k_v) WHERE v = 20;\n"
            "-- name: by_id\nSELECT v FROM t WHERE id = 7;\n");
  dir.write("up.sql", "ALTER TABLE t DROP INDEX k_v;\n");
  dir.write("down.sql", "ALTER TABLE t ADD INDEX k_v (v);\n");
  dir.write("empty.toml", "");
}

// The screens compared quickly into `out`, the comparison as JSON on stdout.
LiveCompareArgs quick_compare(const TempDir& dir, const std::string& out) {
  return {.config = dir / "empty.toml",
          .scenarios = dir / "screens",
          .out_dir = dir / out,
          .iterations = "5",
          .warmup = "1",
          .format = "json"};
}

// The one screen's verdict and its forced query, from a comparison's JSON.
void check_error_verdict(const CliResult& result) {
  INFO("stdout: " << result.out << "\nstderr: " << result.err);
  REQUIRE(result.code == 1);
  const json comparison = json::parse(result.out);
  REQUIRE(comparison["screens"].size() == 1);
  const json& screen = comparison["screens"][0];
  CHECK(screen["verdict"] == "error");
  CHECK(screen["gated"] == true);
  const json* forced = nullptr;
  for (const json& query : screen["queries"]) {
    if (query["name"] == "forced") forced = &query;
  }
  REQUIRE(forced != nullptr);
  CHECK((*forced)["outcome"] == "error");
  const std::string error = (*forced)["failed_after"]["error"].get<std::string>();
  CHECK(error.find("[1176]") != std::string::npos);
  CHECK(error.find("Key 'k_v' doesn't exist in table 't'") != std::string::npos);
  // No figure from the failing side: null, not 0 ms or 0 rows.
  CHECK((*forced)["time"]["after_median_ms"].is_null());
  CHECK((*forced)["rows_examined"]["after"].is_null());
  // The screen is judged on the query that still runs: it has figures on both sides.
  CHECK(screen["time"]["after_median_ms"].get<double>() > 0);
  CHECK(screen["time"]["n_after"].get<int>() > 0);
}

TEST_CASE("a FORCE INDEX on a dropped index: verdict error live, offline and on two endpoints",
          "[db][live][errors]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("query_failure");
  TempDir dir("query-failure");
  write_world(db, dir);
  const std::string original = db.schema_fingerprint();

  SECTION("live, the index ignored and then the real DDL; offline from both out-dirs") {
    for (const bool apply_ddl : {false, true}) {
      INFO((apply_ddl ? "--apply-ddl" : "ignored"));
      const std::string out = apply_ddl ? "ddl" : "ignored";
      LiveCompareArgs args = quick_compare(dir, out);
      args.database = db.name();
      args.migration = dir / "up.sql";
      args.rollback = dir / "down.sql";
      args.apply_ddl = apply_ddl;
      args.alternations = "2";
      check_error_verdict(run_in_process(args.build()));
      CHECK(db.schema_fingerprint() == original);
      check_error_verdict(run_in_process({"compare", dir / (out + "/before.json"),
                                          dir / (out + "/after.json"), "--format", "json"}));
      check_error_verdict(run_in_process({"compare", dir / out, "--format", "json"}));
      // The table names the server's error under the screen and counts it in the summary.
      const CliResult table = run_in_process({"compare", dir / out});
      CHECK(table.code == 1);
      CHECK(table.out.find("forced/forced: error after the change:") != std::string::npos);
      CHECK(table.out.find("1 of 1 screens fail the gate (1 error)") != std::string::npos);
      // A fail_on without `errors` opts out.
      CHECK(run_in_process({"compare", dir / out, "--fail-on", "time,rows"}).code == 0);
    }
  }

  SECTION("two endpoints, one without the index") {
    TestDatabase other("query_failure_b");
    other.run_script(
        "CREATE TABLE t (id INT PRIMARY KEY, v INT);"
        "INSERT INTO t SELECT seq, seq % 50 FROM seq_1_to_2000;");
    auto dsn = [](const TestDatabase& database) {
      return "mysql://root@localhost/" + database.name() + "?socket=" + test_socket();
    };
    LiveCompareArgs args = quick_compare(dir, "endpoints");
    args.before_dsn = dsn(db);
    args.after_dsn = dsn(other);
    check_error_verdict(run_in_process(args.build()));
  }
}

}  // namespace
}  // namespace sqlmeasure::testing
