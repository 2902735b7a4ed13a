// Run history on the real MariaDB (issue 34, docs/history.md): runs kept with --history (and
// [history] dir), then an index made IGNORED by the test — the history marks a plan change for
// exactly the screen that used it; `history diff` compares two kept runs as `compare` does.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db/db_test_support.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;

// Each screen's plan_changed flags over the runs, from `history --format json`.
std::map<std::string, std::vector<bool>> plan_changes(const std::string& history_json) {
  std::map<std::string, std::vector<bool>> out;
  const json document = json::parse(history_json);
  REQUIRE(document["identities"].size() == 1);
  for (const json& screen : document["identities"][0]["screens"]) {
    for (const json& point : screen["points"]) {
      out[screen["screen"].get<std::string>()].push_back(point["plan_changed"].get<bool>());
    }
  }
  return out;
}

TEST_CASE("history: an index made IGNORED shows as a plan change of exactly its screen",
          "[db][history]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("history");
  create_items(db);
  TempDir dir("history");
  write_text(dir / "screens/by_category.sql",
             "-- name: list\nSELECT id, title FROM items WHERE category_id = 7;\n");
  write_text(dir / "screens/by_id.sql",
             "-- name: one\nSELECT id, title FROM items WHERE id = 42;\n");
  const std::string history = dir / "history";
  const std::vector<std::string> connection = connection_args(db.name());
  auto kept_run = [&](const std::string& label, std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "run",          "--scenarios", dir / "screens", "-o", dir / (label + ".json"),
        "--iterations", "5",           "--warmup",      "0",  "--label",
        label};
    args.insert(args.end(), extra.begin(), extra.end());
    CliResult run = run_in_process(args + connection);
    INFO("run " << label << ": " << run.err);
    REQUIRE(run.code == 0);
    CHECK(run.err.find("history: kept as ") != std::string::npos);
  };
  kept_run("c1", {"--history", history});
  // [history] dir in sqlmeasure.toml does the same.
  write_text(dir / "sqlmeasure.toml", "[history]\ndir = \"" + history + "\"\n");
  kept_run("c2", {"--config", dir / "sqlmeasure.toml"});

  db.run_script("ALTER TABLE items ALTER INDEX category IGNORED");
  kept_run("c3", {"--history", history});
  db.run_script("ALTER TABLE items ALTER INDEX category NOT IGNORED");

  CliResult shown = run_in_process({"history", "--dir", history, "--format", "json"});
  INFO("history: " << shown.out << shown.err);
  REQUIRE(shown.code == 0);
  const auto changes = plan_changes(shown.out);
  CHECK(changes.at("by_category") == std::vector<bool>{false, false, true});
  CHECK(changes.at("by_id") == std::vector<bool>{false, false, false});

  CliResult table = run_in_process({"history", "--dir", history});
  CHECK(table.out.find("changed 1×, last in ") != std::string::npos);

  // The two kept runs compared as `compare c2.json c3.json` compares them: the same verdicts.
  CliResult diff = run_in_process({"history", "diff", "c2", "c3", "--dir", history});
  CliResult compared = run_in_process({"compare", dir / "c2.json", dir / "c3.json"});
  INFO("diff: " << diff.out << diff.err);
  CHECK(diff.code == compared.code);
  // The same table and verdicts below the header (which names the files as read).
  auto below_header = [](const std::string& text) { return text.substr(text.find("\n\n")); };
  CHECK(below_header(diff.out) == below_header(compared.out));
  CHECK(diff.out.find("by_category") != std::string::npos);
  CHECK(diff.out.find("items key category → (none)") != std::string::npos);
}

TEST_CASE(
    "drift: 20 runs of an unchanged server flag nothing; an index made IGNORED flags "
    "its screen alone",
    "[db][history][drift]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("drift");
  create_items(db);
  TempDir dir("drift");
  write_text(dir / "screens/by_category.sql",
             "-- name: list\nSELECT id, title FROM items WHERE category_id = 7;\n");
  write_text(dir / "screens/by_id.sql",
             "-- name: one\nSELECT id, title FROM items WHERE id = 42;\n");
  write_text(dir / "screens/first.sql",
             "-- name: first\nSELECT id, title FROM items WHERE id < 20;\n");
  const std::vector<std::string> connection = connection_args(db.name());
  auto run = [&](const std::string& label) {
    return run_in_process(std::vector<std::string>{"run", "--scenarios", dir / "screens", "-o",
                                                   dir / (label + ".json"), "--iterations", "10",
                                                   "--label", label, "--history", dir / "history",
                                                   "--fail-on", "drift"} +
                          connection);
  };
  int flagged = 0;
  for (int i = 1; i <= 20; ++i) {
    const CliResult aa = run("aa-" + std::to_string(i));
    INFO("run " << i << ": " << aa.out << aa.err);
    REQUIRE((aa.code == 0 || aa.code == 1));
    flagged += aa.code == 1;
    if (i == 1) CHECK(aa.out.find("drift: nothing to judge against yet") != std::string::npos);
  }
  CHECK(flagged == 0);

  db.run_script("ALTER TABLE items ALTER INDEX category IGNORED");
  const CliResult changed = run("ignored");
  db.run_script("ALTER TABLE items ALTER INDEX category NOT IGNORED");
  INFO("ignored: " << changed.out << changed.err);
  CHECK(changed.code == 1);  // --fail-on drift
  CHECK(changed.out.find("drift: 1 of 3 screens drifted, against the 20 earlier runs of ") !=
        std::string::npos);
  CHECK(changed.out.find("  by_category: drifted: ") != std::string::npos);
  CHECK(changed.out.find("plan changed since ") != std::string::npos);
  CHECK(changed.out.find("by_category/list: items key category → (none), ref → ALL") !=
        std::string::npos);
  CHECK(changed.out.find("by_id: drifted") == std::string::npos);
  CHECK(changed.out.find("first: drifted") == std::string::npos);
}

TEST_CASE(
    "plan baseline: an index made IGNORED is a departure of exactly its screen, with its "
    "kind; one change accepted with its reason",
    "[db][history][baseline]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("baseline");
  create_items(db);
  TempDir dir("baseline");
  write_text(dir / "screens/by_category.sql",
             "-- name: list\nSELECT id, title FROM items WHERE category_id = 7;\n");
  write_text(dir / "screens/by_id.sql",
             "-- name: one\nSELECT id, title FROM items WHERE id = 42;\n");
  const std::vector<std::string> connection = connection_args(db.name());
  const CliResult accepted = run_in_process(
      std::vector<std::string>{"baseline", "accept", "--scenarios", dir / "screens"} + connection);
  INFO("accept: " << accepted.out << accepted.err);
  REQUIRE(accepted.code == 0);
  CHECK(accepted.out ==
        "baseline: 2 query plans accepted in " + dir / "screens" + "/plan-baseline.json\n");
  auto run = [&](const std::string& label) {
    return run_in_process(std::vector<std::string>{"run", "--scenarios", dir / "screens", "-o",
                                                   dir / (label + ".json"), "--iterations", "5",
                                                   "--fail-on", "plan"} +
                          connection);
  };
  const CliResult same = run("same");
  INFO("same: " << same.out << same.err);
  CHECK(same.code == 0);
  CHECK(same.out.find("baseline: 0 of 2 queries left their accepted plans") != std::string::npos);

  db.run_script("ALTER TABLE items ALTER INDEX category IGNORED");
  const CliResult changed = run("changed");
  db.run_script("ALTER TABLE items ALTER INDEX category NOT IGNORED");
  INFO("changed: " << changed.out << changed.err);
  CHECK(changed.code == 1);
  CHECK(changed.out.find("baseline: 1 of 2 queries left its accepted plan") != std::string::npos);
  CHECK(changed.out.find("by_category/list: plan changed from baseline: items key category → "
                         "(none), ref → ALL [full scan") != std::string::npos);
  CHECK(changed.out.find("rows examined 30 → 6.0k") != std::string::npos);
  CHECK(changed.out.find("by_id/one: plan changed") == std::string::npos);

  // Accepted deliberately, with its reason: the next run of that plan is no departure.
  const CliResult one = run_in_process(
      std::vector<std::string>{"baseline", "accept", "--scenarios", dir / "screens", "--from",
                               dir / "changed.json", "--query", "by_category/list", "--reason",
                               "category goes to the search service"} +
      connection);
  INFO("accept one: " << one.out << one.err);
  REQUIRE(one.code == 0);
  CliResult checked =
      run_in_process({"baseline", "check", dir / "changed.json", "--scenarios", dir / "screens"});
  CHECK(checked.code == 0);
  CHECK(checked.out == "baseline: 0 of 2 queries left their accepted plans\n");
  CHECK(read_text(dir / "screens/plan-baseline.json")
            .find("\"reason\": \"category goes to the search service\"") != std::string::npos);
}

TEST_CASE("check-hints: a FORCE INDEX whose index the test makes useless is no longer paying",
          "[db][history][hints]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("hints");
  // Statistics taken when every row was of one category, kept (STATS_AUTO_RECALC=0): for an IN
  // list longer than eq_range_index_dive_limit the optimizer believes them and scans the
  // table; FORCE INDEX (category) reads the 100 rows of category 7. It pays.
  db.run_script(
      "CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, category_id INT NOT NULL, "
      "title VARCHAR(40) NOT NULL, KEY category (category_id)) ENGINE=InnoDB STATS_PERSISTENT=1 "
      "STATS_AUTO_RECALC=0;"
      "SET SESSION max_recursive_iterations = 1000000;"
      "INSERT INTO items (category_id, title) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
      "i + 1 FROM n WHERE i < 20000) SELECT 7, CONCAT('item ', i) FROM n;"
      "ANALYZE TABLE items;"
      "UPDATE items SET category_id = id % 200");
  std::string in = "7";
  for (int value = 1000; value < 1200; ++value) in += ", " + std::to_string(value);
  TempDir dir("hints");
  write_text(dir / "screens/by_category.sql",
             "-- name: list\nSELECT id, title FROM items FORCE INDEX (category) WHERE category_id "
             "IN (" +
                 in + ");\n");
  const std::vector<std::string> connection = connection_args(db.name());
  auto run = [&](const std::string& label) {
    CliResult result = run_in_process(
        std::vector<std::string>{"run", "--scenarios", dir / "screens", "-o",
                                 dir / (label + ".json"), "--iterations", "5", "--label", label,
                                 "--history", dir / "history", "--check-hints"} +
        connection);
    INFO(label << ": " << result.out << result.err);
    REQUIRE(result.code == 0);
    return result;
  };
  const CliResult first = run("paying");
  CHECK(first.out.find("hints: 1 checked with and without") != std::string::npos);
  CHECK(first.out.find("FORCE INDEX (category) on by_category/list: pays ") != std::string::npos);

  // The index made useless: every row of category 7. Forced, it reads them all by the index.
  db.run_script("UPDATE items SET category_id = 7");
  const CliResult useless = run("useless");
  CHECK(useless.out.find("FORCE INDEX (category) on by_category/list: does not pay") !=
        std::string::npos);

  const CliResult shown = run_in_process({"history", "--dir", dir / "history"});
  INFO("history: " << shown.out << shown.err);
  REQUIRE(shown.code == 0);
  CHECK(shown.out.find("FORCE INDEX (category) on by_category/list no longer faster since ") !=
        std::string::npos);
  CHECK(shown.out.find("(useless): with ") != std::string::npos);
  CHECK(shown.out.find("fix, the query without the hint: SELECT id, title FROM items WHERE "
                       "category_id IN (7, 1000") != std::string::npos);
  const json document =
      json::parse(run_in_process({"history", "--dir", dir / "history", "--format", "json"}).out);
  const json& hint = document["identities"][0]["hints"][0];
  CHECK(hint["pays_now"] == false);
  CHECK(hint["points"][0]["pays"] == true);
  CHECK(hint["points"][1]["pays"] == false);
}

}  // namespace
}  // namespace sqlmeasure::testing
