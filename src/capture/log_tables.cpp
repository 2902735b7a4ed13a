// The logs as tables: mysql.general_log and mysql.slow_log, where a server with
// log_output = TABLE (the RDS and Aurora default) keeps them (docs/capture.md, "Sources").
// Read-only and unbuffered: rows become events one at a time, in the order the server wrote
// them (no ORDER BY: the CSV tables have no index, a sort would hold the whole log).
#include <fmt/format.h>

#include <cmath>

#include "sqlmeasure/capture.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/number_parse.h"

namespace sqlmeasure {
namespace {

// A value the server sent for a column of the log table: NULL is `otherwise`, anything but a
// number an error naming the table and column.
std::int64_t microseconds(std::optional<std::string_view> text, const std::string& source) {
  if (!text) return -1;
  // UNIX_TIMESTAMP(x) * 1000000: a decimal with the fraction's digits after the point.
  return std::llround(read_decimal(*text, source + " UNIX_TIMESTAMP(time) * 1000000"));
}

std::uint64_t thread_id(std::optional<std::string_view> text, const std::string& source) {
  return text ? read_unsigned(*text, source + " thread_id") : 0;
}

std::string text(std::optional<std::string_view> value) {
  return value ? std::string(*value) : std::string();
}

}  // namespace

const char* log_table_name(LogTable table) {
  return table == LogTable::kGeneral ? "mysql.general_log" : "mysql.slow_log";
}

std::uint64_t read_log_table(Connection& connection, LogTable table, const EventSink& sink) {
  // Our own SELECT is logged too (general_log ON): it is no application's.
  const std::uint64_t own = connection.session_id();
  const std::string source = log_table_name(table);
  std::uint64_t rows = 0;
  const std::string sql =
      table == LogTable::kGeneral
          ? "SELECT UNIX_TIMESTAMP(event_time) * 1000000, thread_id, command_type, argument "
            "FROM mysql.general_log"
          : "SELECT UNIX_TIMESTAMP(start_time) * 1000000, thread_id, db, sql_text "
            "FROM mysql.slow_log";
  std::uint64_t read = 0;
  connection.query_rows(sql, [&](const std::vector<std::optional<std::string_view>>& row) {
    ++read;
    LogEvent event;
    event.time_us = microseconds(row.at(0), source);
    event.thread = thread_id(row.at(1), source);
    if (own != 0 && event.thread == own) return;
    ++rows;
    if (table == LogTable::kGeneral) {
      event.command = text(row.at(2));
      event.text = text(row.at(3));
    } else {
      event.command = "Query";
      event.database = text(row.at(2));
      event.text = text(row.at(3));
    }
    event.where = {source, static_cast<int>(std::min<std::uint64_t>(read, 2'000'000'000)), 1};
    sink(std::move(event));
  });
  return rows;
}

}  // namespace sqlmeasure
