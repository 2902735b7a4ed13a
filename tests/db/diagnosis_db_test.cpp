// Compare says what broke and why, on the demo world in a real MariaDB (docs/verdicts.md, "Plan
// changes", "Index hints", "Warnings"): one live compare per demo migration of issue 16, each
// with its expected verdict and class in the comparison's JSON, and the offline check that
// needs no server. Scale 0.01 (18k rows): the plans and their classes are those of scale 1;
// the times are too small to judge (bench/verdict-quality measures those at scale 1).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db/db_test_support.h"
#include "support/results_json.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;

const json& query_named(const json& screen, const std::string& name) {
  for (const json& query : screen["queries"]) {
    if (query["name"] == name) return query;
  }
  FAIL("no query " << name);
  throw;
}

// The classes of a query's plan changes, in order.
std::vector<std::string> classes_of(const json& query) {
  std::vector<std::string> classes;
  for (const json& change : query["plan_changes"]) {
    for (const json& cause : change["causes"]) classes.push_back(cause["class"]);
  }
  return classes;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

struct Compared {
  CliResult result;
  json comparison;
};

Compared live_compare(const TestDatabase& db, const TempDir& dir, const std::string& migration,
                      const std::vector<std::string>& more = {}) {
  const LiveCompareArgs args{.database = db.name(),
                             .scenarios = demo_dir(),
                             .migration = demo_migration(migration + ".up.sql"),
                             .rollback = demo_migration(migration + ".down.sql"),
                             .out_dir = dir / migration,
                             .iterations = "4",
                             .warmup = "1",
                             .alternations = "1",
                             .format = "json",
                             .extra = more};
  Compared compared{run_in_process(args.build()), {}};
  INFO("stderr: " << compared.result.err);
  REQUIRE((compared.result.code == 0 || compared.result.code == 1));
  compared.comparison = json::parse(compared.result.out);
  return compared;
}

TEST_CASE("demo migrations: each says what broke and why", "[db][live][diagnosis]") {
  SQLMEASURE_REQUIRE_SERVER();
  require_demo_screens();
  TestDatabase db("diagnosis");
  db.load_demo(0.01);
  TempDir dir("diagnosis");
  const std::string original = db.schema_fingerprint();

  SECTION("drop_created_index: a FORCE INDEX on it is verdict error, said before measuring") {
    const Compared compared = live_compare(db, dir, "drop_created_index");
    CHECK(compared.result.code == 1);
    const json& feed = screen_named(compared.comparison, "works_feed");
    CHECK(feed["verdict"] == "error");
    CHECK(feed["gated"] == true);
    CHECK(query_named(feed, "items")["outcome"] == "error");
    // The hint check found it right after the apply, before any after sample.
    const std::string& err = compared.result.err;
    const auto said = err.find("index hint, after apply 1: works_feed/items");
    REQUIRE(said != std::string::npos);
    CHECK(said < err.find("after-1: "));
    const json& problems = compared.comparison["change"]["hint_problems"];
    REQUIRE(problems.size() == 1);
    CHECK(problems[0]["kind"] == "breaks");
    CHECK(problems[0]["error"] == "[1176] Key 'created' doesn't exist in table 'w'");
    // top's new works lose their index: a full scan with a filesort.
    const json& top = screen_named(compared.comparison, "top");
    const std::vector<std::string> classes = classes_of(query_named(top, "new_works"));
    CHECK(has(classes, "full-scan"));
    CHECK(has(classes, "filesort-added"));
    // The same verdict from the out-dir, offline.
    const CliResult offline =
        run_in_process({"compare", dir / "drop_created_index", "--format", "json"});
    CHECK(offline.code == 1);
    CHECK(screen_named(json::parse(offline.out), "works_feed")["verdict"] == "error");
  }

  SECTION("add_deleted_index: the plan change is named low cardinality, with the numbers") {
    const Compared compared = live_compare(db, dir, "add_deleted_index");
    const json& list = query_named(screen_named(compared.comparison, "work_search"), "list");
    REQUIRE(list["plan_changes"].size() >= 1);
    const json& cause = list["plan_changes"][0]["causes"][0];
    CHECK(cause["class"] == "low-cardinality");
    CHECK(cause["rule"] == "low-cardinality");
    CHECK_THAT(
        cause["evidence"].get<std::string>(),
        Catch::StartsWith("2 distinct values in ") && Catch::Contains("; deleted = 0 matches 9"));
    // Offline, from the results files alone: they carry the index statistics.
    const CliResult offline =
        run_in_process({"compare", dir / "add_deleted_index/before.json",
                        dir / "add_deleted_index/after.json", "--format", "json"});
    const json offline_comparison = json::parse(offline.out);
    const json& again = query_named(screen_named(offline_comparison, "work_search"), "list");
    CHECK(again["plan_changes"][0]["causes"][0]["class"] == "low-cardinality");
  }

  SECTION("add_portfolio_user_index: the FORCE INDEX keeping a query off it is timed without") {
    const Compared compared = live_compare(db, dir, "add_portfolio_user_index");
    const json& problems = compared.comparison["change"]["hint_problems"];
    REQUIRE(problems.size() == 1);
    CHECK(problems[0]["kind"] == "keeps off");
    CHECK(problems[0]["screen"] == "mypage_portfolio_lists");
    CHECK(problems[0]["after"] == "user_deleted_id");
    CHECK(problems[0]["samples"] == 15);
    CHECK(problems[0]["with_ms"].get<double>() > 0);
    CHECK(problems[0]["without_ms"].get<double>() > 0);
    CHECK(problems[0]["rows_examined_without"].get<std::uint64_t>() <
          problems[0]["rows_examined_with"].get<std::uint64_t>());
    CHECK(compared.result.err.find("index hint: mypage_portfolio_lists/list") != std::string::npos);
  }

  SECTION(
      "prefecture_to_varchar: the note the server raises is new, and --fail-on warnings fails") {
    const Compared compared =
        live_compare(db, dir, "prefecture_to_varchar", {"--fail-on", "warnings"});
    CHECK(compared.result.code == 1);
    const json& screen = screen_named(compared.comparison, "profile_search");
    CHECK(screen["gated"] == true);
    const json& count = query_named(screen, "count");
    REQUIRE(count["warnings_added"].size() == 1);
    CHECK(count["warnings_added"][0]["code"] == 1105);
    CHECK(count["warnings_added"][0]["source"] == "explain");
    CHECK(has(classes_of(count), "full-index-scan"));
  }

  CHECK(db.schema_fingerprint() == original);
}

TEST_CASE("a hint the drop redirects by prefix: reported, and its plan change classed",
          "[db][live][diagnosis]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("redirect");
  TempDir dir("redirect");
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, u INT, v INT, KEY u_id (u, id), KEY u (u));"
      "INSERT INTO t SELECT seq, seq % 100, seq % 7 FROM seq_1_to_5000; ANALYZE TABLE t;");
  dir.write("screens/forced.sql", "-- name: by_u\nSELECT id FROM t FORCE INDEX (u) WHERE u = 5;\n");
  dir.write("up.sql", "ALTER TABLE t DROP INDEX u;\n");
  dir.write("down.sql", "ALTER TABLE t ADD INDEX u (u);\n");
  dir.write("empty.toml", "");
  const std::string original = db.schema_fingerprint();
  const CliResult result = run_in_process(
      scratch_migration(
          dir, {.database = db.name(), .iterations = "4", .alternations = "1", .format = "json"})
          .build());
  INFO("stderr: " << result.err);
  REQUIRE((result.code == 0 || result.code == 1));
  // A real drop resolves the hint to u_id, an ignored index would fail it: the real DDL ran.
  CHECK(result.err.find("prefix match") != std::string::npos);
  const json comparison = json::parse(result.out);
  const json& problems = comparison["change"]["hint_problems"];
  REQUIRE(problems.size() == 1);
  CHECK(problems[0]["kind"] == "redirected");
  CHECK(problems[0]["before"] == "u");
  CHECK(problems[0]["after"] == "u_id");
  const json& query = query_named(screen_named(comparison, "forced"), "by_u");
  REQUIRE(query["plan_changes"].size() == 1);
  CHECK(query["plan_changes"][0]["class"] == "hint-resolved");
  CHECK(db.schema_fingerprint() == original);
}

TEST_CASE("check --migration: the hint a demo migration breaks, with no server",
          "[db][diagnosis]") {
  // No server needed, but it reads the demo world the db tests ship with.
  require_demo_screens();
  const CliResult breaks = run_in_process({"check", "--scenarios", demo_dir(), "--migration",
                                           demo_migration("drop_created_index.up.sql")});
  CHECK(breaks.code == 1);
  CHECK(breaks.out.find("breaks: works_feed/items") != std::string::npos);
  CHECK(breaks.out.find("[1176] Key 'created' doesn't exist in table 'w'") != std::string::npos);
  const CliResult fine = run_in_process({"check", "--scenarios", demo_dir(), "--migration",
                                         demo_migration("drop_category_index.up.sql")});
  CHECK(fine.code == 0);
}

}  // namespace
}  // namespace sqlmeasure::testing
