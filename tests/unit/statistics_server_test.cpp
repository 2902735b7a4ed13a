// Statistics on servers this machine cannot run, through recorded shapes (the fake
// connection): MySQL 8's export (histograms from information_schema.COLUMN_STATISTICS, no
// engine-independent statistics) and import (histograms loaded USING DATA, FLUSH TABLE
// re-reading InnoDB's statistics, no RENAME); and an import refused on a server that writes a
// binary log, before anything is written.
#include <catch2/catch.hpp>
#include <string>

#include "sqlmeasure/error.h"
#include "sqlmeasure/statistics_export.h"
#include "sqlmeasure/statistics_import.h"
#include "sqlmeasure/statistics_writer.h"
#include "support/fake_connection.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"

namespace sqlmeasure {
namespace {

using testing::Call;
using testing::FakeConnection;

ResultSet rows_of(std::vector<std::string> columns,
                  std::vector<std::vector<std::optional<std::string>>> rows) {
  ResultSet set;
  set.numeric.assign(columns.size(), false);
  set.columns = std::move(columns);
  set.rows = std::move(rows);
  return set;
}

bool starts(std::string_view sql, std::string_view prefix) { return sql.starts_with(prefix); }

// Every other statement succeeds and returns nothing (scripted last: the first match wins).
void accept_the_rest(FakeConnection& fake) {
  fake.on_match([](std::string_view) { return true; });
}

// A MySQL 8.0.36 server with one table, shop.works, as its information_schema and mysql.*
// tables answer.
void script_mysql8(FakeConnection& fake) {
  fake.set_server({Flavor::kMySQL, "8.0.36", 8, 0, 36, "db:3306", "shop", ""});
  fake.on_match([](std::string_view sql) { return starts(sql, "SELECT TABLE_NAME, ENGINE"); })
      .returns(rows_of({"TABLE_NAME", "ENGINE", "TABLE_ROWS", "AVG_ROW_LENGTH", "DATA_LENGTH",
                        "INDEX_LENGTH", "CREATE_OPTIONS"},
                       {{"works", "InnoDB", "1000", "100", "163840", "32768", ""}}));
  fake.on_match([](std::string_view sql) {
        return starts(sql, "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE");
      })
      .returns(
          rows_of({"TABLE_NAME", "COLUMN_NAME", "COLUMN_TYPE", "IS_NULLABLE", "COLLATION_NAME"},
                  {{"works", "id", "int", "NO", std::nullopt},
                   {"works", "status", "tinyint", "NO", std::nullopt}}));
  fake.on_match([](std::string_view sql) {
        return starts(sql, "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE");
      })
      .returns(rows_of({"TABLE_NAME", "INDEX_NAME", "NON_UNIQUE", "COLUMN_NAME", "SUB_PART",
                        "CARDINALITY", "INDEX_TYPE"},
                       {{"works", "PRIMARY", "0", "id", std::nullopt, "1000", "BTREE"},
                        {"works", "status", "1", "status", std::nullopt, "3", "BTREE"}}));
  fake.on_match([](std::string_view sql) {
        return starts(sql,
                      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                      "TABLE_SCHEMA = 'mysql'");
      })
      .returns(rows_of({"TABLE_NAME"}, {{"innodb_index_stats"}, {"innodb_table_stats"}}));
  fake.on("SELECT * FROM mysql.innodb_table_stats WHERE database_name = 'shop'")
      .returns(rows_of({"database_name", "table_name", "last_update", "n_rows",
                        "clustered_index_size", "sum_of_other_index_sizes"},
                       {{"shop", "works", "2026-12-01 10:00:00", "1000", "10", "2"}}));
  fake.on("SELECT * FROM mysql.innodb_index_stats WHERE database_name = 'shop'")
      .returns(rows_of({"database_name", "table_name", "index_name", "last_update", "stat_name",
                        "stat_value", "sample_size", "stat_description"},
                       {{"shop", "works", "status", "2026-12-01 10:00:00", "n_diff_pfx01", "3",
                         "10", "status"}}));
  fake.on_match([](std::string_view sql) {
        return starts(sql,
                      "SELECT TABLE_NAME, COLUMN_NAME, HISTOGRAM FROM "
                      "information_schema.COLUMN_STATISTICS");
      })
      .returns(rows_of({"TABLE_NAME", "COLUMN_NAME", "HISTOGRAM"},
                       {{"works", "status",
                         R"({"buckets": [[1, 0.5], [2, 1.0]], "histogram-type": "singleton"})"}}));
  accept_the_rest(fake);
}

std::vector<std::string> executed(const FakeConnection& fake) {
  std::vector<std::string> out;
  for (const Call& call : fake.log()) {
    if (call.kind == Call::Kind::kExecute) out.push_back(call.sql);
  }
  return out;
}

TEST_CASE("MySQL 8: export reads histograms and InnoDB's statistics, no engine-independent ones",
          "[unit][statistics]") {
  FakeConnection fake;
  script_mysql8(fake);
  const StatisticsFile file = export_statistics(fake, "shop", {});
  REQUIRE(file.tables.size() == 1);
  const TableStatistics& works = file.tables.front();
  CHECK(works.stored.size() == 2);
  CHECK(works.stored.at(StatisticsTable::kInnodbIndex).front().at("stat_value") == "3");
  REQUIRE(works.histograms.size() == 1);
  CHECK(works.histograms.front().column == "status");
  CHECK(works.beliefs.back().cardinality == std::vector<std::optional<std::uint64_t>>{3});
  for (const Call& call : fake.log())
    CHECK(call.sql.find("FROM mysql.column_stats") == std::string::npos);

  SECTION("--no-histograms leaves every data value out") {
    const StatisticsFile without = export_statistics(fake, "shop", {{}, false});
    CHECK(without.tables.front().histograms.empty());
    CHECK_FALSE(without.data_values);
  }

  SECTION("import writes InnoDB's rows, loads the histogram USING DATA, FLUSH TABLE re-reads") {
    FakeConnection target;
    target.set_server({Flavor::kMySQL, "8.0.36", 8, 0, 36, "ci:3306", "ci", ""});
    accept_the_rest(target);
    const std::vector<std::string> ran =
        write_table_statistics(target, "ci", "works", works,
                               {StatisticsTable::kInnodbTable, StatisticsTable::kInnodbIndex},
                               StatisticsOrigin::kImported);
    reload_table_statistics(target, "ci", "works");
    const std::vector<std::string> all = executed(target);
    CHECK(std::find(all.begin(), all.end(),
                    "DELETE FROM mysql.innodb_index_stats WHERE database_name = 'ci' AND "
                    "table_name = 'works' AND index_name IN ('GEN_CLUST_INDEX', 'PRIMARY', "
                    "'status')") != all.end());
    CHECK(std::find(all.begin(), all.end(),
                    "INSERT INTO mysql.innodb_index_stats (database_name, table_name, index_name, "
                    "last_update, sample_size, stat_description, stat_name, stat_value) VALUES "
                    "('ci', 'works', 'status', '2026-12-01 10:00:00', '10', 'status (sqlmeasure "
                    "stats import)', 'n_diff_pfx01', '3')") != all.end());
    std::vector<std::string> queried;
    for (const Call& call : target.log()) queried.push_back(call.sql);
    CHECK(std::any_of(queried.begin(), queried.end(), [](const std::string& sql) {
      return sql.starts_with(
                 "ANALYZE TABLE `ci`.`works` UPDATE HISTOGRAM ON `status` USING DATA "
                 "'{") &&
             sql.find("buckets") != std::string::npos;
    }));
    CHECK(all.back() == "FLUSH TABLES `ci`.`works`");

    // Before 8.0.31 no histogram can be loaded: none is dropped either.
    FakeConnection older;
    older.set_server({Flavor::kMySQL, "8.0.30", 8, 0, 30, "ci:3306", "ci", ""});
    accept_the_rest(older);
    (void)write_table_statistics(older, "ci", "works", works,
                                 {StatisticsTable::kInnodbTable, StatisticsTable::kInnodbIndex},
                                 StatisticsOrigin::kOwn);
    for (const Call& call : older.log()) CHECK_FALSE(call.sql.starts_with("ANALYZE"));
    CHECK(std::none_of(all.begin(), all.end(),
                       [](const std::string& sql) { return sql.starts_with("RENAME"); }));
  }
}

TEST_CASE("MariaDB: statistics are re-read by a RENAME to a name aside and back, then FLUSH",
          "[unit][statistics]") {
  FakeConnection target;
  target.set_server({Flavor::kMariaDB, "10.11.19-MariaDB", 10, 11, 19, "ci", "ci", ""});
  accept_the_rest(target);
  reload_table_statistics(target, "ci", "works");
  const std::vector<std::string> all = executed(target);
  REQUIRE(all.size() == 2);
  CHECK(all[0].starts_with("RENAME TABLE `ci`.`works` TO `ci`.`sqlmeasure_reload_"));
  CHECK(all[1] == "FLUSH TABLES `ci`.`works`");
}

TEST_CASE("stats import on a server that writes a binary log is refused before any write",
          "[unit][statistics]") {
  testing::TempDir journals("statistics-journal");
  testing::ScopedEnv journal_dir("SQLMEASURE_JOURNAL_DIR", journals.path());
  FakeConnection fake;
  fake.set_server({Flavor::kMariaDB, "10.11.19-MariaDB", 10, 11, 19, "ci", "ci", ""});
  fake.on("SELECT @@log_bin").returns(rows_of({"@@log_bin"}, {{"1"}}));
  fake.on("SHOW REPLICA HOSTS").returns(rows_of({"Host", "Port"}, {{"replica-1", "3306"}}));
  accept_the_rest(fake);
  StatisticsFile file;
  try {
    (void)import_statistics(fake, file, "prod.json", {});
    FAIL("not refused");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kUsage);
    CHECK(std::string(error.what()) ==
          "this server writes a binary log (@@log_bin = ON) and 1 replica is connected: "
          "replica-1:3306: every statistics row it writes (and puts back) would be written to it "
          "and replayed on every replica. Run stats import on a clone or a staging server; or "
          "pass --no-binlog (SET SESSION sql_log_bin = 0 for the change), or "
          "--allow-replicated-ddl to let it replicate");
  }
  for (const Call& call : fake.log()) {
    CHECK_FALSE(call.sql.starts_with("INSERT"));
    CHECK_FALSE(call.sql.starts_with("DELETE"));
    CHECK_FALSE(call.sql.starts_with("ALTER"));
  }
  CHECK(std::filesystem::is_empty(journals.path()));  // nothing recorded: nothing to undo
}

}  // namespace
}  // namespace sqlmeasure
