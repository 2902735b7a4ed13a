// A drop-only migration on a real MariaDB: measured with the index IGNORED unless --apply-ddl
// or a reason to run the real DDL (docs/measurement.md, "Drop-index migrations"), and a hint
// naming the dropped index failing the same way both ways.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db/db_test_support.h"
#include "sqlmeasure/results_file.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;

// t (id, v, w) with KEY k_v (v) and KEY k_v_w (v, w) when `sibling`; the migration drops k_v.
void write_world(TestDatabase& db, TempDir& dir, bool sibling, const std::string& screen_sql) {
  db.run_script(std::string("CREATE TABLE t (id INT PRIMARY KEY, v INT, w INT, KEY k_v (v)") +
                (sibling ? ", KEY k_v_w (v, w)" : "") +
                ");"
                "INSERT INTO t VALUES (1, 10, 1), (2, 20, 2), (3, 30, 3);");
  dir.write("screens/lookup.sql", "-- name: lookup\n" + screen_sql + ";\n");
  dir.write("up.sql", "ALTER TABLE t DROP INDEX k_v;\n");
  dir.write("down.sql", "ALTER TABLE t ADD INDEX k_v (v);\n");
  dir.write("empty.toml", "");
}

CliResult compare(const TestDatabase& db, const TempDir& dir, std::vector<std::string> extra) {
  return run_in_process(scratch_migration(dir, {.database = db.name(),
                                                .iterations = "3",
                                                .warmup = "0",
                                                .alternations = "1",
                                                .format = "json",
                                                .extra = std::move(extra)})
                            .build());
}

// The error the after phase recorded for the screen's one query, or empty.
std::string after_error(const TempDir& dir) {
  const RunResult after = read_results_file(dir / "out/after-1.json");
  REQUIRE(after.screens.size() == 1);
  REQUIRE(after.screens[0].queries.size() == 1);
  return after.screens[0].queries[0].error.value_or("");
}

TEST_CASE("drop-only migration: measured with the index IGNORED, nothing rebuilt",
          "[db][live][ignored]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("ignored_drop");
  TempDir dir("ignored-drop");
  write_world(db, dir, false, "SELECT id FROM t WHERE v = 20");
  const std::string original = db.schema_fingerprint();
  CliResult result = compare(db, dir, {});
  INFO("stderr: " << result.err);
  CHECK((result.code == 0 || result.code == 1));
  CHECK(result.err.find("the after phases measure with t.k_v IGNORED instead of dropping and "
                        "rebuilding it") != std::string::npos);
  CHECK(result.err.find("ALTER INDEX") == std::string::npos);  // the user's words, not ours
  const RunResult after = read_results_file(dir / "out/after.json");
  REQUIRE(after.change);
  CHECK_FALSE(after.change->ddl_measured);
  CHECK(after.change->description.find("(t.k_v IGNORED, not dropped)") != std::string::npos);
  CHECK(db.schema_fingerprint() == original);
  // The table summary says why the DDL has no timing.
  CliResult table = run_in_process({"compare", dir / "out"});
  CHECK(table.out.find("DDL: not measured (indexes ignored, not dropped; a migration with "
                       "--apply-ddl times the real DDL)") != std::string::npos);
}

TEST_CASE("drop-only migration: a hint on the dropped index fails the same way both ways (1176)",
          "[db][live][ignored]") {
  SQLMEASURE_REQUIRE_SERVER();
  const bool apply_ddl = GENERATE(false, true);
  INFO((apply_ddl ? "--apply-ddl" : "ignored"));
  TestDatabase db("ignored_hint");
  TempDir dir("ignored-hint");
  write_world(db, dir, false, "SELECT id FROM t FORCE INDEX (k_v) WHERE v = 20");
  CliResult result = compare(
      db, dir, apply_ddl ? std::vector<std::string>{"--apply-ddl"} : std::vector<std::string>{});
  INFO("stderr: " << result.err);
  const std::string error = after_error(dir);
  CHECK(error.find("[1176]") != std::string::npos);
  CHECK(error.find("Key 'k_v' doesn't exist in table 't'") != std::string::npos);
}

TEST_CASE("drop-only migration: the real DDL runs where ignoring would differ, and says why",
          "[db][live][ignored]") {
  SQLMEASURE_REQUIRE_SERVER();
  SECTION("a hint a real drop resolves to another index by prefix") {
    TestDatabase db("ignored_prefix");
    TempDir dir("ignored-prefix");
    write_world(db, dir, true, "SELECT id FROM t FORCE INDEX (k_v) WHERE v = 20");
    CliResult result = compare(db, dir, {});
    INFO("stderr: " << result.err);
    CHECK(result.err.find("the migration only drops indexes, but the real DDL runs: "
                          "lookup/lookup") != std::string::npos);
    CHECK(result.err.find("resolves k_v to k_v_w") != std::string::npos);
    // Really dropped: the server took k_v as a prefix of k_v_w, and the query ran.
    CHECK(after_error(dir).empty());
    const RunResult after = read_results_file(dir / "out/after.json");
    REQUIRE(after.change);
    CHECK(after.change->ddl_measured);
  }
  SECTION("a foreign key that needs the index: the real DROP fails with 1553") {
    TestDatabase db("ignored_fk");
    TempDir dir("ignored-fk");
    db.run_script(
        "CREATE TABLE parent (id INT PRIMARY KEY);"
        "CREATE TABLE t (id INT PRIMARY KEY, v INT, w INT, KEY k_v (v),"
        " CONSTRAINT fk_v FOREIGN KEY (v) REFERENCES parent (id));"
        "INSERT INTO parent VALUES (10), (20);"
        "INSERT INTO t VALUES (1, 10, 1), (2, 20, 2);");
    dir.write("screens/lookup.sql", "-- name: lookup\nSELECT id FROM t WHERE v = 20;\n");
    dir.write("up.sql", "ALTER TABLE t DROP INDEX k_v;\n");
    dir.write("down.sql", "ALTER TABLE t ADD INDEX k_v (v);\n");
    dir.write("empty.toml", "");
    const std::string original = db.schema_fingerprint();
    CliResult result = compare(db, dir, {});
    INFO("stderr: " << result.err);
    CHECK(result.err.find("foreign key fk_v (t) needs t.k_v: the real DROP fails (error 1553)") !=
          std::string::npos);
    CHECK(result.code == 2);
    CHECK(result.err.find("1553") != std::string::npos);
    CHECK(db.schema_fingerprint() == original);
  }
}

}  // namespace
}  // namespace sqlmeasure::testing
