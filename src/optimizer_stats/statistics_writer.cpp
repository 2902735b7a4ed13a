// Writing statistics rows into a server's statistics tables, and having them read again.
#include "sqlmeasure/statistics_writer.h"

#include <fmt/format.h>

#include "sqlmeasure/error.h"
#include "sqlmeasure/hash.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::string qualified(const std::string& database, const std::string& table) {
  return quote_identifier(database) + "." + quote_identifier(table);
}

// A value as a SQL literal: text quoted by the client library, bytes that are not UTF-8 as
// a hex literal (exactly those bytes, in a binary column).
std::string literal(Connection& connection, const std::optional<std::string>& value) {
  if (!value) return "NULL";
  if (is_utf8(*value)) return connection.quote(*value);
  return "X'" + hex_of(*value) + "'";
}

// The column is VARCHAR(1024) on MariaDB and MySQL alike; InnoDB's own descriptions (the
// index's column names) are far shorter.
constexpr std::size_t kDescriptionLength = 1024;

std::string marked_description(const std::string& description) {
  std::string text = without_imported_marker(description);
  const std::size_t room = kDescriptionLength - kImportedMarker.size();
  if (text.size() > room) text.resize(room);
  return text + std::string(kImportedMarker);
}

}  // namespace

std::string without_imported_marker(std::string description) {
  if (description.ends_with(kImportedMarker)) {
    description.resize(description.size() - kImportedMarker.size());
  }
  return description;
}

std::vector<std::string> tables_with_imported_statistics(Connection& connection,
                                                         const std::string& database) {
  const ResultSet set = connection.query(
      "SELECT DISTINCT table_name FROM mysql.innodb_index_stats WHERE database_name = " +
      connection.quote(database) + " AND stat_description LIKE " +
      connection.quote("%" + std::string(kImportedMarker)) + " ORDER BY table_name");
  std::vector<std::string> tables;
  for (const auto& row : set.rows) {
    if (!row.empty() && row[0]) tables.push_back(*row[0]);
  }
  return tables;
}

std::vector<std::string> write_table_statistics(Connection& connection, const std::string& database,
                                                const std::string& table,
                                                const TableStatistics& statistics,
                                                const std::set<StatisticsTable>& tables,
                                                StatisticsOrigin origin) {
  std::vector<std::string> ran;
  auto run = [&](const std::string& sql) {
    connection.execute(sql);
    ran.push_back(sql);
  };
  for (StatisticsTable which : tables) {
    const auto [database_column, table_column] = statistics_key_columns(which);
    const std::string name = fmt::format("mysql.{}", statistics_table_name(which));
    const std::string key =
        fmt::format("{} = {} AND {} = {}", database_column, connection.quote(database),
                    table_column, connection.quote(table));
    // Only the rows of the indexes and columns the definition has: an index a migration added
    // since keeps the statistics its DDL computed (reapplying after a migration).
    std::string only;
    if (which == StatisticsTable::kInnodbIndex || which == StatisticsTable::kIndex) {
      std::vector<std::string> names = {connection.quote("GEN_CLUST_INDEX")};
      for (const DefinedIndex& index : statistics.indexes)
        names.push_back(connection.quote(index.name));
      only = fmt::format(" AND index_name IN ({})", join(names, ", "));
    } else if (which == StatisticsTable::kColumn && !statistics.columns.empty()) {
      std::vector<std::string> names;
      for (const DefinedColumn& column : statistics.columns)
        names.push_back(connection.quote(column.name));
      only = fmt::format(" AND column_name IN ({})", join(names, ", "));
    }
    run(fmt::format("DELETE FROM {} WHERE {}{}", name, key, only));
    const auto rows = statistics.stored.find(which);
    if (rows == statistics.stored.end()) continue;
    for (const StatisticsRow& row : rows->second) {
      std::string columns = fmt::format("{}, {}", database_column, table_column);
      std::string values =
          fmt::format("{}, {}", connection.quote(database), connection.quote(table));
      for (const auto& [column, value] : row) {
        columns += ", " + column;  // one of statistics_value_columns(): the reader checked
        const bool marked = origin == StatisticsOrigin::kImported &&
                            which == StatisticsTable::kInnodbIndex &&
                            column == "stat_description" && value;
        values += ", " + literal(connection, marked ? marked_description(*value) : value);
      }
      run(fmt::format("INSERT INTO {} ({}) VALUES ({})", name, columns, values));
    }
  }
  const ServerInfo& server = connection.server();
  const bool loads_histograms =  // USING DATA: MySQL 8.0.31 on
      server.flavor != Flavor::kMariaDB &&
      (server.major > 8 || (server.major == 8 && (server.minor > 0 || server.patch >= 31)));
  // ANALYZE TABLE reports a failure as a result row, not as an error.
  auto analyze = [&](const std::string& sql) {
    const ResultSet set = connection.query(sql);
    ran.push_back(sql);
    const int type = set.column("Msg_type"), text = set.column("Msg_text");
    for (const auto& row : set.rows) {
      if (type >= 0 && iequals(row[static_cast<std::size_t>(type)].value_or(""), "error")) {
        fail(ExitCode::kRuntime,
             fmt::format("{}: {}", sql.substr(0, 120),
                         text >= 0 ? row[static_cast<std::size_t>(text)].value_or("") : "error"));
      }
    }
  };
  if (loads_histograms) {
    // MySQL 8's histograms: the table's replaced by the file's (8.0.31 loads them USING DATA).
    const ResultSet existing = connection.query(
        "SELECT COLUMN_NAME FROM information_schema.COLUMN_STATISTICS WHERE SCHEMA_NAME = " +
        connection.quote(database) + " AND TABLE_NAME = " + connection.quote(table));
    std::vector<std::string> drop;
    for (const auto& row : existing.rows) drop.push_back(quote_identifier(row[0].value_or("")));
    if (!drop.empty()) {
      analyze(fmt::format("ANALYZE TABLE {} DROP HISTOGRAM ON {}", qualified(database, table),
                          join(drop, ", ")));
    }
    for (const ColumnHistogram& histogram : statistics.histograms) {
      analyze(fmt::format("ANALYZE TABLE {} UPDATE HISTOGRAM ON {} USING DATA {}",
                          qualified(database, table), quote_identifier(histogram.column),
                          connection.quote(histogram.histogram)));
    }
  }
  return ran;
}

void set_auto_recalc(Connection& connection, const std::string& database, const std::string& table,
                     const std::string& value) {
  connection.execute(fmt::format("ALTER TABLE {} STATS_AUTO_RECALC = {}",
                                 qualified(database, table), value.empty() ? "DEFAULT" : value));
}

void reload_table_statistics(Connection& connection, const std::string& database,
                             const std::string& table) {
  if (connection.server().flavor == Flavor::kMariaDB) {
    // A name no application uses, within the 64 characters a table name may have.
    const std::string aside =
        fmt::format("sqlmeasure_reload_{:016x}", mix64(stable_hash(database + "." + table)));
    connection.execute(fmt::format("RENAME TABLE {} TO {}, {} TO {}", qualified(database, table),
                                   qualified(database, aside), qualified(database, aside),
                                   qualified(database, table)));
  }
  connection.execute(fmt::format("FLUSH TABLES {}", qualified(database, table)));
}

}  // namespace sqlmeasure
