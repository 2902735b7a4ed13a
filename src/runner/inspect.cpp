// What is recorded once per query outside the timed samples: rows examined from the
// server's own counters, and the EXPLAIN plan.
#include <fmt/format.h>

#include <cstdlib>
#include <set>

#include "sqlmeasure/error.h"
#include "sqlmeasure/number_parse.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {
namespace {

// Handler_read_* count every row the storage engine handed to the server: index reads,
// scans, temporary tables. They exist on MariaDB and MySQL alike and are exact per session,
// but they also count the failed read that ends every scan (a full scan of N rows is N + 1).
std::uint64_t handler_reads(Connection& connection) {
  ResultSet status = connection.query("SHOW SESSION STATUS LIKE 'Handler_read%'");
  std::uint64_t total = 0;
  for (const auto& row : status.rows) {
    if (row.size() < 2 || !row[0] || !row[1]) continue;
    const std::string& name = *row[0];
    if (name == "Handler_read_retry" || name == "Handler_read_rnd_deleted") continue;
    total += read_unsigned(*row[1], "SHOW SESSION STATUS " + name);
  }
  return total;
}

// MariaDB's Rows_read counts only the rows a base table actually returned: N for a full
// scan of N rows, 1 for a primary-key lookup, and nothing for SHOW STATUS itself.
std::uint64_t rows_read(Connection& connection) {
  ResultSet status = connection.query("SHOW SESSION STATUS LIKE 'Rows_read'");
  if (status.rows.empty() || status.rows[0].size() < 2 || !status.rows[0][1]) {
    fail(ExitCode::kRuntime, "the server has no Rows_read status variable");
  }
  return read_unsigned(*status.rows[0][1], "SHOW SESSION STATUS Rows_read");
}

std::string cell(const ResultSet& set, const std::vector<std::optional<std::string>>& row,
                 std::string_view column) {
  int index = set.column(column);
  if (index < 0 || !row[static_cast<size_t>(index)]) return "";
  return *row[static_cast<size_t>(index)];
}

}  // namespace

void read_warnings(Connection& connection, bool from_explain, std::vector<ServerWarning>& into) {
  constexpr unsigned kRewrittenQueryNote = 1003;  // MySQL's EXPLAIN: the query as optimized
  const ResultSet set = connection.query("SHOW WARNINGS");
  for (const auto& row : set.rows) {
    ServerWarning warning;
    warning.level = cell(set, row, "Level");
    warning.code =
        static_cast<unsigned>(read_unsigned(cell(set, row, "Code"), "SHOW WARNINGS Code"));
    warning.message = cell(set, row, "Message");
    warning.from_explain = from_explain;
    if (from_explain && warning.code == kRewrittenQueryNote) continue;
    add_warning(into, warning);
  }
}

// The method is recorded in the results file by runner.cpp (rows_examined_method). Warnings
// are read before the status counters: the next statement that reads a table clears them.
Inspection inspect_execution(Connection& connection, std::string_view sql) {
  Inspection inspection;
  if (connection.server().flavor == Flavor::kMariaDB) {
    std::uint64_t before = rows_read(connection);
    inspection.execution = connection.execute_timed(sql, true);
    if (inspection.execution.warnings > 0) read_warnings(connection, false, inspection.warnings);
    inspection.rows_examined = rows_read(connection) - before;
    return inspection;
  }
  // SHOW STATUS reads rows itself; measure that cost right before and subtract it.
  std::uint64_t first = handler_reads(connection);
  std::uint64_t second = handler_reads(connection);
  std::uint64_t own_cost = second - first;
  inspection.execution = connection.execute_timed(sql, true);
  if (inspection.execution.warnings > 0) read_warnings(connection, false, inspection.warnings);
  std::uint64_t delta = handler_reads(connection) - second;
  inspection.rows_examined = delta > own_cost ? delta - own_cost : 0;
  return inspection;
}

std::uint64_t rows_examined(Connection& connection, std::string_view sql) {
  return inspect_execution(connection, sql).rows_examined;
}

std::vector<PlanRow> explain(Connection& connection, std::string_view sql,
                             std::vector<ServerWarning>* notes) {
  static const std::set<std::string> kExplainable = {"SELECT", "WITH",   "TABLE",  "VALUES",
                                                     "INSERT", "UPDATE", "DELETE", "REPLACE"};
  if (kExplainable.count(first_keyword(sql)) == 0) return {};  // SHOW and friends have no plan
  ResultSet set = connection.query("EXPLAIN " + std::string(sql));
  if (notes != nullptr && set.warnings > 0) read_warnings(connection, true, *notes);
  std::vector<PlanRow> plan;
  for (const auto& row : set.rows) {
    plan.push_back({cell(set, row, "id"), cell(set, row, "select_type"), cell(set, row, "table"),
                    cell(set, row, "type"), cell(set, row, "possible_keys"), cell(set, row, "key"),
                    cell(set, row, "key_len"), cell(set, row, "ref"), cell(set, row, "rows"),
                    cell(set, row, "Extra")});
  }
  return plan;
}

}  // namespace sqlmeasure
