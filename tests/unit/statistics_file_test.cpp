// The statistics file (docs/statistics.md, "The file"): what it holds survives a round trip
// exactly, binary values included; a bad file names the JSON path at fault (exit 65); and a
// table's definition differences are named one by one.
#include "sqlmeasure/statistics_file.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "sqlmeasure/error.h"

namespace sqlmeasure {
namespace {

TableStatistics works_table() {
  TableStatistics table;
  table.name = "works";
  table.engine = "InnoDB";
  table.columns = {{"id", "int(10) unsigned", false, ""}, {"created", "datetime", true, ""}};
  table.indexes = {{"PRIMARY", true, {"id"}, ""}, {"created", false, {"created"}, ""}};
  table.fingerprint = definition_fingerprint(table);
  table.rows = 295644;
  table.beliefs = {{"PRIMARY", {295644}}, {"created", {std::nullopt}}};
  table.stored[StatisticsTable::kInnodbTable] = {{{"n_rows", "295644"},
                                                  {"clustered_index_size", "4326"},
                                                  {"sum_of_other_index_sizes", "2054"},
                                                  {"last_update", "2026-12-07 11:29:42"}}};
  table.stored[StatisticsTable::kInnodbIndex] = {{{"index_name", "created"},
                                                  {"stat_name", "n_diff_pfx01"},
                                                  {"stat_value", "295000"},
                                                  {"sample_size", std::nullopt},
                                                  {"stat_description", "created"},
                                                  {"last_update", "2026-12-07 11:29:42"}}};
  // A binary histogram and min value: bytes that are not UTF-8 travel as hex.
  table.stored[StatisticsTable::kColumn] = {{{"column_name", "created"},
                                             {"min_value", std::string("\x00\xff\x80", 3)},
                                             {"histogram", std::string("\x01\x02\xfe", 3)},
                                             {"hist_type", "DOUBLE_PREC_HB"}}};
  return table;
}

StatisticsFile sample_file() {
  StatisticsFile file;
  file.tool_version = "0.1.0";
  file.exported_at = "2026-12-07T12:00:00Z";
  file.flavor = Flavor::kMariaDB;
  file.server_version = "10.11.19-MariaDB";
  file.endpoint = "db.internal:3306";
  file.database = "shop";
  file.settings = {{"eq_range_index_dive_limit", "200"}};
  file.tables = {works_table()};
  return file;
}

std::string failure_of(const std::string& text) {
  try {
    (void)statistics_from_text(text, "prod.json");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kBadInput);
    return error.what();
  }
  return "(no error)";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("a statistics file reads back as it was written, binary values included",
          "[unit][statistics]") {
  const StatisticsFile file = sample_file();
  const std::string text = statistics_to_text(file);
  CHECK(text.find("\"hex\": \"00FF80\"") != std::string::npos);
  CHECK(text.rfind("{\n  \"sqlmeasure_statistics\": 1,", 0) == 0);  // what it is, first
  const StatisticsFile back = statistics_from_text(text, "prod.json");
  CHECK(back.tables == file.tables);
  CHECK(back.settings == file.settings);
  CHECK(back.database == "shop");
  CHECK(back.flavor == Flavor::kMariaDB);
}

TEST_CASE("a bad statistics file names the JSON path at fault, exit 65", "[unit][statistics]") {
  const std::string good = statistics_to_text(sample_file());
  CHECK(failure_of("{\"tables\": []}").find("prod.json: $: not a statistics file") == 0);
  CHECK(failure_of("not json").find("prod.json: not JSON") == 0);
  CHECK(failure_of(replaced(good, "\"sqlmeasure_statistics\": 1", "\"sqlmeasure_statistics\": 9"))
            .find("format version 9 is newer") != std::string::npos);
  CHECK(failure_of(replaced(good, "\"stat_value\": \"295000\"", "\"stat_valu\": \"295000\"")) ==
        "prod.json: $.tables[0].innodb_index_stats[0].stat_valu: not a column of "
        "mysql.innodb_index_stats (expected one of: index_name, last_update, stat_name, "
        "stat_value, sample_size, stat_description)");
  CHECK(failure_of(replaced(good, "\"rows\": 295644", "\"rows\": -1")) ==
        "prod.json: $.tables[0].rows: expected a whole number ≥ 0");
  CHECK(failure_of(replaced(good, "\"hex\": \"00FF80\"", "\"hex\": \"0FF80\"")) ==
        "prod.json: $.tables[0].column_stats[0].min_value.hex: expected an even number of hex "
        "digits");
  // A definition edited by hand no longer matches its fingerprint: the import would check
  // the wrong thing.
  CHECK(failure_of(replaced(good, "\"datetime\"", "\"timestamp\"")) ==
        "prod.json: $.tables[0].definition.fingerprint: does not match the columns and indexes "
        "beside it (the file was edited)");
}

TEST_CASE("a table's definition differences are named one by one", "[unit][statistics]") {
  const TableStatistics file = works_table();
  TableStatistics here = file;
  CHECK(definition_differences(here, file).empty());
  here.columns[1].type = "timestamp";
  here.columns.push_back({"note", "text", true, ""});
  here.indexes.pop_back();
  here.fingerprint = definition_fingerprint(here);
  const std::vector<std::string> expected = {
      "column created: timestamp NULL here, datetime NULL in the file", "column note only here",
      "index created (created) only in the file"};
  CHECK(definition_differences(here, file) == expected);
  TableStatistics reordered = file;
  std::swap(reordered.columns[0], reordered.columns[1]);
  reordered.fingerprint = definition_fingerprint(reordered);
  CHECK(definition_differences(reordered, file) ==
        std::vector<std::string>{"the columns' or indexes' order differs"});
}

TEST_CASE("a column's collation and an index's type are part of the definition, where known",
          "[unit][statistics]") {
  TableStatistics file = works_table();
  file.columns.push_back({"title", "varchar(255)", false, "utf8mb4_general_ci"});
  file.indexes.push_back({"title", false, {"title"}, "FULLTEXT"});
  file.indexes[0].type = file.indexes[1].type = "BTREE";
  file.fingerprint = definition_fingerprint(file);
  TableStatistics here = file;
  here.columns[2].collation = "utf8mb4_bin";  // other values are equal: other distinct counts
  here.indexes[2].type = "BTREE";
  here.fingerprint = definition_fingerprint(here);
  CHECK(definition_differences(here, file) ==
        std::vector<std::string>{
            "column title: varchar(255) NOT NULL COLLATE utf8mb4_bin here, varchar(255) NOT NULL "
            "COLLATE utf8mb4_general_ci in the file",
            "index title: (title) USING BTREE here, FULLTEXT (title) in the file"});

  // A file written before they were kept knows neither: it still reads (its fingerprint holds)
  // and still matches a table that has them.
  TableStatistics older = file;
  for (DefinedColumn& column : older.columns) column.collation.clear();
  for (DefinedIndex& index : older.indexes) index.type.clear();
  older.fingerprint = definition_fingerprint(older);
  StatisticsFile written = sample_file();
  written.tables = {older};
  nlohmann::ordered_json document = nlohmann::ordered_json::parse(statistics_to_text(written));
  for (auto& index : document["tables"][0]["definition"]["indexes"]) {
    CHECK(index["type"] == "");
    index.erase("type");  // as an older sqlmeasure wrote it
  }
  CHECK(document.dump().find("\"collation\"") == std::string::npos);
  const StatisticsFile back = statistics_from_text(document.dump(), "prod.json");
  CHECK(definition_differences(file, back.tables[0]).empty());
}

TEST_CASE("an index production lacks gets statistics derived from production's",
          "[unit][statistics]") {
  // Production: 300,000 rows, an index on user_id; the copy, 600 rows, adds (user_id, deleted).
  TableStatistics production = works_table();
  production.indexes.push_back({"user_id", false, {"user_id"}, ""});
  production.stored[StatisticsTable::kInnodbTable] = {{{"n_rows", "300000"}}};
  production.stored[StatisticsTable::kInnodbIndex] = {{{"index_name", "user_id"},
                                                       {"stat_name", "n_diff_pfx01"},
                                                       {"stat_value", "29000"},
                                                       {"stat_description", "user_id"}}};
  TableStatistics copy = production;
  copy.stored[StatisticsTable::kInnodbTable] = {{{"n_rows", "600"}}};
  const auto index_row = [](const char* stat, const char* value, const char* description) {
    return StatisticsRow{{"index_name", "user_deleted"},
                         {"stat_name", stat},
                         {"stat_value", value},
                         {"stat_description", description}};
  };
  copy.stored[StatisticsTable::kInnodbIndex] = {
      index_row("n_diff_pfx01", "300", "user_id"),
      index_row("n_diff_pfx02", "400", "user_id,deleted"),
      index_row("n_diff_pfx03", "600", "user_id,deleted,id"),
      index_row("n_leaf_pages", "2", "Number of leaf pages in the index")};
  std::string said;
  const std::vector<StatisticsRow> rows =
      derived_index_statistics(production, copy, "user_deleted", said);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].at("stat_value") == "29000");   // production's index user_id
  CHECK(rows[1].at("stat_value") == "200000");  // 400 × 300,000 / 600: scaled
  CHECK(rows[2].at("stat_value") == "300000");  // the whole primary key: every row
  CHECK(rows[3].at("stat_value") == "1000");    // pages scaled
  CHECK(said ==
        "n_diff_pfx01 production's index user_id, n_diff_pfx02 scaled from the copy's, "
        "n_diff_pfx03 production's rows (the whole primary key), n_leaf_pages scaled from the "
        "copy's");
  // A column of few values keeps the copy's count: two values stay two.
  copy.stored[StatisticsTable::kInnodbIndex] = {index_row("n_diff_pfx01", "2", "deleted")};
  const std::vector<StatisticsRow> few =
      derived_index_statistics(production, copy, "user_deleted", said);
  REQUIRE(few.size() == 1);
  CHECK(few[0].at("stat_value") == "2");
  CHECK(said == "n_diff_pfx01 the copy's (few values)");

  // A column no index of production's leads with: its engine-independent statistics (MariaDB)
  // or its histogram (MySQL 8) count its distinct values.
  copy.stored[StatisticsTable::kInnodbIndex] = {index_row("n_diff_pfx01", "500", "created")};
  TableStatistics mariadb = production;
  mariadb.stored[StatisticsTable::kColumn] = {
      {{"column_name", "created"}, {"avg_frequency", "1.5000"}}};
  const std::vector<StatisticsRow> from_column =
      derived_index_statistics(mariadb, copy, "user_deleted", said);
  REQUIRE(from_column.size() == 1);
  CHECK(from_column[0].at("stat_value") == "200000");  // 300,000 rows / 1.5 a value
  CHECK(said == "n_diff_pfx01 production's engine-independent statistics of created");
  TableStatistics mysql = production;
  mysql.histograms = {
      {"created",
       R"({"buckets": [["2026-01-01", "2026-03-01", 0.5, 40000], ["2026-03-02", "2026-06-01",
          1.0, 50000]], "histogram-type": "equi-height", "sampling-rate": 1.0})"}};
  const std::vector<StatisticsRow> from_histogram =
      derived_index_statistics(mysql, copy, "user_deleted", said);
  REQUIRE(from_histogram.size() == 1);
  CHECK(from_histogram[0].at("stat_value") == "90000");
  CHECK(said == "n_diff_pfx01 production's histogram of created");
  mysql.histograms = {{"created", R"({"buckets": [[1, 0.3], [2, 1.0]], "histogram-type":
      "singleton"})"}};
  (void)derived_index_statistics(mysql, copy, "user_deleted", said);
  CHECK(said == "n_diff_pfx01 production's histogram of created");
}

}  // namespace
}  // namespace sqlmeasure
