// Plan fidelity against the real MariaDB (issue 33, item 1): production's plans recorded by
// `run` and by `explain --format json`, then this database made unlike production — an index
// dropped, the looked-up row deleted, most rows gone — and `explain --against` names each
// query that plans otherwise and why.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db/db_test_support.h"
#include "support/results_json.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;

const json* fidelity_entry(const json& fidelity, const std::string& query) {
  for (const json& entry : fidelity["queries"]) {
    if (entry["query"] == query) return &entry;
  }
  return nullptr;
}

bool has_reason(const json& entry, const std::string& reason) {
  for (const json& cause : entry["causes"]) {
    if (cause["reason"] == reason) return true;
  }
  return false;
}

TEST_CASE("explain --against names the queries that plan unlike production, and why",
          "[db][explain][fidelity]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("fidelity");
  create_items(db);
  TempDir dir("fidelity");
  write_text(dir / "screens/items.sql",
             "-- name: by_category\nSELECT id, title FROM items WHERE category_id = 7;\n"
             "-- name: by_id\nSELECT id, title FROM items WHERE id = 42;\n"
             "-- name: first\nSELECT id, title FROM items WHERE id < 20;\n");
  const std::vector<std::string> connection = connection_args(db.name());

  // "Production": a run's results file, and explain's JSON.
  CliResult run = run_in_process(std::vector<std::string>{"run", "--scenarios", dir / "screens",
                                                          "-o", dir / "prod-run.json",
                                                          "--iterations", "3", "--warmup", "0"} +
                                 connection);
  INFO("run stderr: " << run.err);
  REQUIRE(run.code == 0);
  CliResult recorded = run_in_process(
      std::vector<std::string>{"explain", "--scenarios", dir / "screens", "--format", "json"} +
      connection);
  REQUIRE(recorded.code == 0);
  write_text(dir / "prod-explain.json", recorded.out);

  // Against itself, nothing differs.
  CliResult same =
      run_in_process(std::vector<std::string>{"explain", "--scenarios", dir / "screens",
                                              "--against", dir / "prod-run.json"} +
                     connection);
  INFO("same: " << same.out << same.err);
  REQUIRE(same.code == 0);
  CHECK(same.out.find("plans: 3 of 3 queries plan as production (0 differ)") != std::string::npos);

  // The copy made unlike production: the index gone, the row looked up gone, 99 of 6,000 rows.
  db.run_script(
      "ALTER TABLE items DROP INDEX category;"
      "DELETE FROM items WHERE id > 100 OR id = 42;"
      "ANALYZE TABLE items");

  CliResult table =
      run_in_process(std::vector<std::string>{"explain", "--scenarios", dir / "screens",
                                              "--against", dir / "prod-run.json"} +
                     connection);
  INFO("table: " << table.out << table.err);
  REQUIRE(table.code == 0);
  CHECK(table.out.find("plans: 1 of 3 queries plan as production (2 differ)") != std::string::npos);
  CHECK(table.out.find("items/by_category (production → here): items key category → (none), "
                       "ref → ALL") != std::string::npos);
  CHECK(table.out.find("index category of items, which production's plan uses, is not among "
                       "the possible keys here") != std::string::npos);
  CHECK(table.out.find("items holds 99 rows here, 6,000 in production") != std::string::npos);
  CHECK(table.out.find("the literal matches no row here") != std::string::npos);

  // The same from explain's JSON (which records the tables' rows beside the plans), as JSON.
  CliResult as_json = run_in_process(
      std::vector<std::string>{"explain", "--scenarios", dir / "screens", "--against",
                               dir / "prod-explain.json", "--format", "json"} +
      connection);
  INFO("json: " << as_json.out << as_json.err);
  REQUIRE(as_json.code == 0);
  const json document = json::parse(as_json.out);
  CHECK(document["plans"].size() == 1);
  const json& fidelity = document["fidelity"];
  CHECK(fidelity["compared"] == 3);
  CHECK(fidelity["differ"] == 2);
  const json* by_category = fidelity_entry(fidelity, "by_category");
  REQUIRE(by_category);
  CHECK((*by_category)["status"] == "differs");
  CHECK(has_reason(*by_category, "index-missing"));
  CHECK(has_reason(*by_category, "table-rows"));
  const json* by_id = fidelity_entry(fidelity, "by_id");
  REQUIRE(by_id);
  CHECK(has_reason(*by_id, "no-matching-row"));
  const json* first = fidelity_entry(fidelity, "first");
  REQUIRE(first);
  CHECK((*first)["status"] == "same");

  // run --plans-from prints the same after its table.
  CliResult run_here =
      run_in_process(std::vector<std::string>{"run", "--scenarios", dir / "screens", "-o",
                                              dir / "ci-run.json", "--iterations", "3", "--warmup",
                                              "0", "--plans-from", dir / "prod-run.json"} +
                     connection);
  INFO("run here: " << run_here.out << run_here.err);
  REQUIRE(run_here.code == 0);
  CHECK(run_here.out.find("plans: 1 of 3 queries plan as production (2 differ)") !=
        std::string::npos);
  CHECK(run_here.out.find("items holds 99 rows here, 6,000 in production") != std::string::npos);
}

}  // namespace
}  // namespace sqlmeasure::testing
