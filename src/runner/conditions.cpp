// The conditions of a run (results.h, RunConditions): what besides the schema decides plans
// and times, read once per endpoint before the inspection.
#include <fmt/format.h>

#include <set>
#include <string>

#include "sqlmeasure/number_parse.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// The variables both MariaDB and MySQL have that move plans or times; a server without one
// just does not list it.
constexpr const char* kSettings[] = {
    "optimizer_switch",         "optimizer_search_depth",  "sql_mode",
    "innodb_buffer_pool_size",  "innodb_stats_persistent", "innodb_stats_persistent_sample_pages",
    "innodb_stats_auto_recalc", "join_buffer_size",        "sort_buffer_size",
    "tmp_table_size",           "max_heap_table_size",     "eq_range_index_dive_limit"};

// A table over this many estimated rows is not counted: COUNT(*) would scan it.
constexpr std::uint64_t kExactUpTo = 1'000'000;

// NULL is 0 (a table the server has no estimate for); anything but a number is an error.
std::uint64_t number(const std::optional<std::string>& cell, std::string_view what) {
  return cell ? read_unsigned(*cell, what) : 0;
}

}  // namespace

RunConditions read_conditions(Connection& connection, const std::vector<Screen>& screens) {
  RunConditions conditions;
  std::string names;
  for (const char* name : kSettings)
    names += (names.empty() ? "'" : ", '") + std::string(name) + "'";
  const ResultSet settings =
      connection.query("SHOW SESSION VARIABLES WHERE Variable_name IN (" + names + ")");
  for (const auto& row : settings.rows) {
    if (row.size() >= 2 && row[0]) conditions.settings[ascii_lower(*row[0])] = row[1].value_or("");
  }
  // Tables the screens name without another database's qualifier.
  std::set<std::string> tables;
  for (const Screen& screen : screens) {
    for (const Query& query : screen.queries) {
      for (const TableReference& reference : read_query_shape(query.sql).tables) {
        if (reference.database.empty()) tables.insert(ascii_lower(reference.table));
      }
    }
  }
  if (tables.empty()) return conditions;
  std::string list;
  for (const std::string& table : tables)
    list += (list.empty() ? "" : ", ") + connection.quote(table);
  const ResultSet estimates = connection.query(
      "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
      "DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND LOWER(TABLE_NAME) IN (" +
      list + ")");
  for (const auto& row : estimates.rows) {
    if (row.size() < 2 || !row[0]) continue;
    TableRows rows{number(row[1], "information_schema.TABLES.TABLE_ROWS of " + *row[0]), false};
    if (rows.rows <= kExactUpTo) {
      const ResultSet count = connection.query("SELECT COUNT(*) FROM " + quote_identifier(*row[0]));
      if (!count.rows.empty() && !count.rows[0].empty()) {
        rows = {number(count.rows[0][0], "COUNT(*) of " + *row[0]), true};
      }
    }
    conditions.table_rows[ascii_lower(*row[0])] = rows;
  }
  return conditions;
}

}  // namespace sqlmeasure
