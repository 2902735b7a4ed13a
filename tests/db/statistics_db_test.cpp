// Production's statistics carried into a small copy, on the real MariaDB (docs/statistics.md):
// exported from the demo at scale 0.01, imported into the demo at 0.001, top/new_works moves
// from a full scan and filesort to the `created` index as in the large database; --undo
// puts every statistics row and table option back exactly; a table whose definition differs
// is skipped and named; a bad file exits 65 naming the JSON path, with nothing changed.
#include <nlohmann/json.hpp>

#include "db_test_support.h"
#include "sqlmeasure/statistics_file.h"

namespace sqlmeasure::testing {
namespace {

constexpr const char* kNewWorks =
    "EXPLAIN SELECT w.id, w.title FROM works w WHERE w.deleted = 0 AND w.status = 1 "
    "ORDER BY w.created DESC LIMIT 20";

// The key top/new_works' plan uses on `db`, "(none)" for a full scan.
std::string new_works_key(TestDatabase& db) {
  const ResultSet plan = db.admin().query(std::string(kNewWorks));
  REQUIRE(plan.rows.size() == 1);
  return plan.rows[0][static_cast<std::size_t>(plan.column("key"))].value_or("(none)");
}

// How many of `db`'s tables hold InnoDB statistics an import marked as imported.
int marked_tables(TestDatabase& db) {
  const ResultSet count = db.admin().query(
      "SELECT COUNT(DISTINCT table_name) FROM mysql.innodb_index_stats WHERE database_name = '" +
      db.name() + "' AND stat_description LIKE '%(sqlmeasure stats import)'");
  return std::stoi(count.rows.at(0).at(0).value_or("-1"));
}

std::vector<std::string> stats(const std::string& database, std::vector<std::string> args) {
  std::vector<std::string> all = {"stats"};
  all.insert(all.end(), args.begin(), args.end());
  for (const std::string& flag : {std::string("-S"), test_socket(), std::string("-u"),
                                  std::string("root"), std::string("-D"), database}) {
    all.push_back(flag);
  }
  return all;
}

TEST_CASE("stats import moves a small copy's plans to production's, --undo restores them exactly",
          "[db][statistics]") {
  SQLMEASURE_REQUIRE_SERVER();
  TempDir dir("statistics");
  ScopedEnv journals("SQLMEASURE_JOURNAL_DIR", dir.path() + "/journals");
  TestDatabase production("stats_prod");
  production.load_demo(0.01);
  TestDatabase copy("stats_copy");
  copy.load_demo(0.001);
  REQUIRE(new_works_key(production) == "created");
  REQUIRE(new_works_key(copy) == "(none)");  // a full scan and a filesort at this size

  const std::string prod_file = dir / "prod.json", own_file = dir / "own.json",
                    after_file = dir / "after.json";
  CliResult exported = run_in_process(stats(production.name(), {"export", "-o", prod_file}));
  INFO("export: " << exported.err);
  REQUIRE(exported.code == 0);
  REQUIRE(run_in_process(stats(copy.name(), {"export", "-o", own_file})).code == 0);

  CliResult imported = run_in_process(stats(copy.name(), {"import", prod_file}));
  INFO("import: " << imported.out << imported.err);
  REQUIRE(imported.code == 0);
  CHECK(imported.out.find("imported the statistics of 11 of 11 tables from " + prod_file) == 0);
  CHECK(new_works_key(copy) == "created");  // as production plans it

  // A second import would record production's statistics as the copy's own: refused.
  CliResult again = run_in_process(stats(copy.name(), {"import", prod_file}));
  CHECK(again.code == 2);
  CHECK(again.err.find("are still in place on database " + copy.name()) != std::string::npos);
  // The server marks what was imported: one with another journal directory (another machine)
  // is refused as well, naming the tables and the way back, with nothing written.
  CHECK(marked_tables(copy) == 11);
  {
    ScopedEnv elsewhere("SQLMEASURE_JOURNAL_DIR", dir.path() + "/another-machine");
    CliResult other = run_in_process(stats(copy.name(), {"import", prod_file}));
    CHECK(other.code == 2);
    CHECK(other.err.find("were imported by sqlmeasure, and no record of that import is in " +
                         dir.path() + "/another-machine") != std::string::npos);
    CHECK(other.err.find("ANALYZE TABLE `categories`, ") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "another-machine"));
  }

  // `recover` finds the open record and does what `stats import --undo` does.
  CliResult undone =
      run_in_process({"recover", "-S", test_socket(), "-u", "root", "-D", copy.name()});
  INFO("recover: " << undone.out << undone.err);
  REQUIRE(undone.code == 0);
  CHECK(undone.out.find("restored exactly") != std::string::npos);
  CHECK(marked_tables(copy) == 0);
  CHECK(new_works_key(copy) == "(none)");
  REQUIRE(run_in_process(stats(copy.name(), {"export", "-o", after_file})).code == 0);
  const StatisticsFile own = read_statistics_file(own_file);
  const StatisticsFile after = read_statistics_file(after_file);
  REQUIRE(own.tables.size() == after.tables.size());
  for (std::size_t i = 0; i < own.tables.size(); ++i) {
    INFO(own.tables[i].name);
    CHECK(own.tables[i].stored == after.tables[i].stored);  // every row, timestamps too
    CHECK(own.tables[i].auto_recalc == after.tables[i].auto_recalc);
  }
  CliResult nothing = run_in_process(stats(copy.name(), {"import", "--undo"}));
  CHECK(nothing.code == 0);
  CHECK(nothing.out.find("nothing to undo") == 0);

  // --stats: production's statistics for the length of one command, the copy's own after.
  CliResult explained =
      run_in_process({"explain", "--scenarios", demo_dir(), "--screens", "top", "--stats",
                      prod_file, "-S", test_socket(), "-u", "root", "-D", copy.name()});
  INFO("explain --stats: " << explained.err);
  REQUIRE(explained.code == 0);
  CHECK(explained.err.find("statistics: production's of 11 of 11 tables in place") == 0);
  CHECK(explained.err.find("statistics: the copy's own of 11 tables are back") !=
        std::string::npos);
  const std::size_t new_works = explained.out.find("top/new_works");
  REQUIRE(new_works != std::string::npos);
  CHECK(explained.out.substr(new_works, 300).find(" created ") != std::string::npos);
  CHECK(new_works_key(copy) == "(none)");
  CHECK(run_in_process(stats(copy.name(), {"import", "--undo"})).out.find("nothing to undo") == 0);
}

TEST_CASE("stats import skips a table whose definition differs; a bad file changes nothing",
          "[db][statistics]") {
  SQLMEASURE_REQUIRE_SERVER();
  TempDir dir("statistics");
  ScopedEnv journals("SQLMEASURE_JOURNAL_DIR", dir.path() + "/journals");
  TestDatabase production("stats_prod");
  production.load_demo(0.001);
  TestDatabase copy("stats_copy");
  copy.load_demo(0.001);
  copy.admin().execute("ALTER TABLE helps ADD COLUMN note INT NULL");
  // A name that reads as a glob is a name all the same.
  for (TestDatabase* db : {&production, &copy}) {
    db->run_script(
        "CREATE TABLE `q[1]` (id INT PRIMARY KEY, v INT, KEY v (v)) ENGINE=InnoDB;"
        "INSERT INTO `q[1]` VALUES (1, 1), (2, 1), (3, 2);"
        "ANALYZE TABLE `q[1]`");
  }
  const std::string prod_file = dir / "prod.json";
  REQUIRE(run_in_process(stats(production.name(), {"export", "-o", prod_file})).code == 0);

  // The JSON path at fault, exit 65, and no statistics written (nothing to undo).
  nlohmann::json broken = nlohmann::json::parse(read_text(prod_file));
  broken["tables"][2]["innodb_table_stats"][0]["n_rows"] = 12;
  const std::string bad_file = dir / "bad.json";
  write_text(bad_file, broken.dump());
  CliResult bad = run_in_process(stats(copy.name(), {"import", bad_file}));
  CHECK(bad.code == 65);
  CHECK(bad.err == "sqlmeasure: error: " + bad_file +
                       ": $.tables[2].innodb_table_stats[0].n_rows: expected a string, null or "
                       "{\"hex\": \"...\"}\n");
  CHECK(run_in_process(stats(copy.name(), {"import", "--undo"})).out.find("nothing to undo") == 0);

  CliResult imported = run_in_process(stats(copy.name(), {"import", prod_file}));
  INFO("import: " << imported.out << imported.err);
  REQUIRE(imported.code == 0);
  CHECK(imported.out.find("imported the statistics of 11 of 12 tables") == 0);
  CHECK(imported.out.find("skipped helps: its definition differs: column note only here") !=
        std::string::npos);
  CliResult undone = run_in_process(stats(copy.name(), {"import", "--undo"}));
  CHECK(undone.code == 0);
  CHECK(undone.out.find("restored exactly") != std::string::npos);
  CHECK(marked_tables(copy) == 0);
}

}  // namespace
}  // namespace sqlmeasure::testing
