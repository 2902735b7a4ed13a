// What is recorded once per query outside the timed samples: rows examined from the
// server's own counters, and the EXPLAIN plan.
#include <fmt/format.h>

#include "sqlmeasure/error.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/sql_text.h"

namespace sqlmeasure {
namespace {

// Handler_read_* count every row the storage engine handed to the server: index reads,
// scans, temporary tables. They exist on MariaDB and MySQL alike and are exact per session.
std::uint64_t handler_reads(Connection& connection) {
  ResultSet status = connection.query("SHOW SESSION STATUS LIKE 'Handler_read%'");
  std::uint64_t total = 0;
  for (const auto& row : status.rows) {
    if (row.size() < 2 || !row[0] || !row[1]) continue;
    const std::string& name = *row[0];
    if (name == "Handler_read_retry" || name == "Handler_read_rnd_deleted") continue;
    total += std::stoull(*row[1]);
  }
  return total;
}

std::string cell(const ResultSet& set, const std::vector<std::optional<std::string>>& row,
                 std::string_view column) {
  int index = set.column(column);
  if (index < 0 || !row[static_cast<size_t>(index)]) return "";
  return *row[static_cast<size_t>(index)];
}

}  // namespace

std::uint64_t rows_examined(Connection& connection, std::string_view sql) {
  // SHOW STATUS reads rows itself; measure that cost right before and subtract it.
  std::uint64_t first = handler_reads(connection);
  std::uint64_t second = handler_reads(connection);
  std::uint64_t own_cost = second - first;
  (void)connection.execute_timed(sql, false);
  std::uint64_t after = handler_reads(connection);
  std::uint64_t delta = after - second;
  return delta > own_cost ? delta - own_cost : 0;
}

std::vector<PlanRow> explain(Connection& connection, std::string_view sql) {
  std::string keyword = first_keyword(sql);
  if (keyword != "SELECT" && keyword != "WITH" && keyword != "TABLE" && keyword != "VALUES") {
    return {};  // SHOW and friends have no plan
  }
  ResultSet set = connection.query("EXPLAIN " + std::string(sql));
  std::vector<PlanRow> plan;
  for (const auto& row : set.rows) {
    plan.push_back({cell(set, row, "id"), cell(set, row, "select_type"), cell(set, row, "table"),
                    cell(set, row, "type"), cell(set, row, "possible_keys"),
                    cell(set, row, "key"), cell(set, row, "key_len"), cell(set, row, "ref"),
                    cell(set, row, "rows"), cell(set, row, "Extra")});
  }
  return plan;
}

}  // namespace sqlmeasure
