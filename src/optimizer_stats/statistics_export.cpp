// `stats export`: what a server's optimizer believes of a database's tables, and the rows of
// its statistics tables it believes it from.
#include "sqlmeasure/statistics_export.h"

#include <fmt/format.h>

#include <algorithm>

#include "sqlmeasure/error.h"
#include "sqlmeasure/number_parse.h"
#include "sqlmeasure/schema_reader.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/statistics_writer.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

// The settings that move plans, MariaDB's and MySQL's: a server without one does not list it.
constexpr const char* kPlanSettings[] = {
    "optimizer_switch",
    "optimizer_search_depth",
    "optimizer_prune_level",
    "optimizer_use_condition_selectivity",
    "use_stat_tables",
    "eq_range_index_dive_limit",
    "range_optimizer_max_mem_size",
    "max_seeks_for_key",
    "histogram_size",
    "histogram_type",
    "innodb_stats_persistent",
    "innodb_stats_persistent_sample_pages",
    "innodb_stats_transient_sample_pages",
    "innodb_stats_auto_recalc",
    "innodb_stats_method",
    "innodb_stats_include_delete_marked",
    "join_buffer_size",
    "sort_buffer_size",
    "sql_mode",
};

std::uint64_t number_or_zero(const std::optional<std::string>& cell, std::string_view what) {
  return cell ? read_unsigned(*cell, what) : 0;
}

std::string cell(const std::vector<std::optional<std::string>>& row, int column) {
  return column >= 0 && static_cast<std::size_t>(column) < row.size()
             ? row[static_cast<std::size_t>(column)].value_or("")
             : "";
}

// The table's STATS_AUTO_RECALC option as CREATE_OPTIONS lists it ("stats_auto_recalc=0").
std::string auto_recalc_option(const std::string& create_options) {
  const std::string lower = ascii_lower(create_options);
  const std::string key = "stats_auto_recalc=";
  const std::size_t at = lower.find(key);
  if (at == std::string::npos) return "";
  const std::size_t start = at + key.size();
  std::size_t end = start;
  while (end < lower.size() && lower[end] != ' ') ++end;
  std::string value = lower.substr(start, end - start);
  return value == "default" ? "" : value;
}

class Exporter {
 public:
  Exporter(Connection& connection, std::string database, const ExportOptions& options)
      : connection_(connection), database_(std::move(database)), options_(options) {}

  StatisticsFile run() {
    if (database_.empty()) {
      fail(ExitCode::kUsage,
           "-D/--database is required: the database whose statistics to read (or set "
           "[connection] database in sqlmeasure.toml)");
    }
    // Timestamps (last_update) read in UTC are written back in UTC: the same instant, exactly.
    connection_.execute("SET SESSION time_zone = '+00:00'");
    if (connection_.server().flavor != Flavor::kMariaDB && connection_.server().major >= 8) {
      // MySQL 8 caches TABLE_ROWS and CARDINALITY for a day by default: the current ones.
      connection_.execute("SET SESSION information_schema_stats_expiry = 0");
    }
    file_.exported_at = utc_now(TimestampFormat::kIso8601);
    file_.flavor = connection_.server().flavor;
    file_.server_version = connection_.server().version;
    file_.endpoint = connection_.server().endpoint;
    file_.database = database_;
    file_.data_values = options_.data_values;
    read_settings();
    read_tables();
    if (file_.tables.empty()) return file_;
    read_columns();
    read_indexes();
    for (StatisticsTable table : server_statistics_tables(connection_)) read_statistics_rows(table);
    read_histograms();
    for (TableStatistics& table : file_.tables) {
      table.fingerprint = definition_fingerprint(table);
      // In one order whatever the server's (a non-InnoDB statistics table returns rows in the
      // order they were last written): files and checks compare like for like.
      for (auto& [which, rows] : table.stored) std::sort(rows.begin(), rows.end());
    }
    return file_;
  }

 private:
  std::string quoted_database() { return connection_.quote(database_); }

  TableStatistics* chosen(const std::optional<std::string>& name) {
    if (!name) return nullptr;
    const auto it = index_.find(ascii_lower(*name));
    return it == index_.end() ? nullptr : &file_.tables[it->second];
  }

  void read_settings() {
    std::string names;
    for (const char* name : kPlanSettings)
      names += (names.empty() ? "'" : ", '") + std::string(name) + "'";
    const ResultSet set =
        connection_.query("SHOW SESSION VARIABLES WHERE Variable_name IN (" + names + ")");
    for (const auto& row : set.rows) {
      if (row.size() >= 2 && row[0]) file_.settings[ascii_lower(*row[0])] = row[1].value_or("");
    }
  }

  void read_tables() {
    const ResultSet set = connection_.query(
        "SELECT TABLE_NAME, ENGINE, TABLE_ROWS, AVG_ROW_LENGTH, DATA_LENGTH, INDEX_LENGTH, "
        "CREATE_OPTIONS FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
        quoted_database() +
        " AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME");
    std::vector<std::string> names;
    for (const auto& row : set.rows) names.push_back(row[0].value_or(""));
    if (names.empty()) {
      const ResultSet exists = connection_.query(
          "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " +
          quoted_database());
      if (!exists.rows.empty() && exists.rows[0][0].value_or("0") == "0") {
        fail(ExitCode::kUsage,
             fmt::format("-D/--database: no database {} on {}", quote_identifier(database_),
                         connection_.server().endpoint));
      }
    }
    const std::set<std::string> wanted =
        options_.exact_names ? std::set<std::string>(options_.tables.begin(), options_.tables.end())
                             : select_tables(names, options_.tables, database_);
    for (const auto& row : set.rows) {
      const std::string name = row[0].value_or("");
      if (!wanted.contains(name)) continue;
      TableStatistics table;
      table.name = name;
      table.engine = row[1].value_or("");
      const std::string what = "information_schema.TABLES of " + name;
      table.rows = number_or_zero(row[2], what);
      table.avg_row_length = number_or_zero(row[3], what);
      table.data_length = number_or_zero(row[4], what);
      table.index_length = number_or_zero(row[5], what);
      table.auto_recalc = auto_recalc_option(row[6].value_or(""));
      table.partitioned = ascii_lower(row[6].value_or("")).find("partitioned") != std::string::npos;
      index_[ascii_lower(name)] = file_.tables.size();
      file_.tables.push_back(std::move(table));
    }
  }

  void read_columns() {
    const ResultSet set = connection_.query(
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLLATION_NAME FROM "
        "information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = " +
        quoted_database() + " ORDER BY TABLE_NAME, ORDINAL_POSITION");
    for (const auto& row : set.rows) {
      if (TableStatistics* table = chosen(row[0])) {
        table->columns.push_back({row[1].value_or(""), row[2].value_or(""),
                                  row[3].value_or("") == "YES", row[4].value_or("")});
      }
    }
  }

  void read_indexes() {
    const ResultSet set = connection_.query(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, CARDINALITY, "
        "INDEX_TYPE "
        "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " +
        quoted_database() + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX");
    for (const auto& row : set.rows) {
      TableStatistics* table = chosen(row[0]);
      if (table == nullptr) continue;
      const std::string index = row[1].value_or("");
      if (table->indexes.empty() || table->indexes.back().name != index) {
        table->indexes.push_back({index, row[2].value_or("1") == "0", {}, row[6].value_or("")});
        table->beliefs.push_back({index, {}});
      }
      std::string column = row[3].value_or("(expression)");
      if (row[4]) column += "(" + *row[4] + ")";
      table->indexes.back().columns.push_back(column);
      table->beliefs.back().cardinality.push_back(
          row[5] ? std::optional<std::uint64_t>(
                       read_unsigned(*row[5], "information_schema.STATISTICS.CARDINALITY"))
                 : std::nullopt);
    }
  }

  void read_statistics_rows(StatisticsTable which) {
    const auto [database_column, table_column] = statistics_key_columns(which);
    ResultSet set;
    try {
      set = connection_.query(fmt::format("SELECT * FROM mysql.{} WHERE {} = {}",
                                          statistics_table_name(which), database_column,
                                          quoted_database()));
    } catch (const DatabaseError& error) {
      if (error.connection_lost()) throw;
      fail(ExitCode::kRuntime,
           fmt::format("cannot read mysql.{}: {}. stats export reads the server's statistics "
                       "tables: GRANT SELECT ON mysql.{} TO the user",
                       statistics_table_name(which), error.what(), statistics_table_name(which)));
    }
    const int table_at = set.column(table_column);
    std::vector<std::pair<std::string, int>> columns;
    for (const std::string& name : statistics_value_columns(which)) {
      if (!options_.data_values && which == StatisticsTable::kColumn &&
          (holds_data_values(which, name) || name == "hist_size" || name == "hist_type")) {
        continue;  // --no-histograms: no value of the user's data in the file
      }
      if (const int at = set.column(name); at >= 0) columns.emplace_back(name, at);
    }
    for (const auto& row : set.rows) {
      TableStatistics* table = chosen(row[static_cast<std::size_t>(table_at)]);
      if (table == nullptr) continue;  // another table's, or a partition's (t#P#p0)
      StatisticsRow values;
      for (const auto& [name, at] : columns) values[name] = row[static_cast<std::size_t>(at)];
      // A copy's imported rows read back as what they were (an export from that copy).
      if (auto found = values.find("stat_description");
          which == StatisticsTable::kInnodbIndex && found != values.end() && found->second) {
        found->second = without_imported_marker(*found->second);
      }
      table->stored[which].push_back(std::move(values));
    }
  }

  // MySQL 8's histograms (information_schema.COLUMN_STATISTICS); MariaDB keeps its own in
  // mysql.column_stats.
  void read_histograms() {
    if (!options_.data_values || connection_.server().flavor == Flavor::kMariaDB ||
        connection_.server().major < 8) {
      return;
    }
    const ResultSet set = connection_.query(
        "SELECT TABLE_NAME, COLUMN_NAME, HISTOGRAM FROM information_schema.COLUMN_STATISTICS "
        "WHERE SCHEMA_NAME = " +
        quoted_database() + " ORDER BY TABLE_NAME, COLUMN_NAME");
    for (const auto& row : set.rows) {
      if (TableStatistics* table = chosen(row[0])) {
        table->histograms.push_back({cell(row, 1), cell(row, 2)});
      }
    }
  }

  Connection& connection_;
  std::string database_;
  const ExportOptions& options_;
  StatisticsFile file_;
  std::map<std::string, std::size_t> index_;  // lower-case name → its place in file_.tables
};

}  // namespace

std::set<StatisticsTable> server_statistics_tables(Connection& connection) {
  const ResultSet set = connection.query(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql' AND "
      "TABLE_NAME IN ('innodb_table_stats', 'innodb_index_stats', 'table_stats', "
      "'column_stats', 'index_stats')");
  std::set<StatisticsTable> out;
  for (const auto& row : set.rows) {
    if (const auto which = statistics_table_named(ascii_lower(row[0].value_or("")))) {
      out.insert(*which);
    }
  }
  return out;
}

StatisticsFile export_statistics(Connection& connection, const std::string& database,
                                 const ExportOptions& options) {
  return Exporter(connection, database, options).run();
}

}  // namespace sqlmeasure
