#pragma once
// The optimizer's statistics of a database's tables, as `stats export` reads them from one
// server (production) and `stats import` writes them into another (the CI copy): what the
// optimizer believes of each table (rows, each index's cardinality), the rows of the server's
// statistics tables it believes it from, and what each table is (its definition), so that
// statistics go only onto a table of the same definition. docs/statistics.md.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"

namespace sqlmeasure {

// Version 1: the first.
inline constexpr int kStatisticsFormatVersion = 1;

// The server tables statistics are kept in, in the `mysql` database: InnoDB's persistent
// statistics (MySQL and MariaDB) and MariaDB's engine-independent statistics.
enum class StatisticsTable {
  kInnodbTable,  // mysql.innodb_table_stats: n_rows, clustered_index_size, ...
  kInnodbIndex,  // mysql.innodb_index_stats: n_diff_pfxNN per index, size, n_leaf_pages
  kTable,        // mysql.table_stats (MariaDB): cardinality
  kColumn,       // mysql.column_stats (MariaDB): min/max, nulls, avg_frequency, histogram
  kIndex,        // mysql.index_stats (MariaDB): avg_frequency per index prefix
};
inline constexpr StatisticsTable kStatisticsTables[] = {
    StatisticsTable::kInnodbTable, StatisticsTable::kInnodbIndex, StatisticsTable::kTable,
    StatisticsTable::kColumn, StatisticsTable::kIndex};
// "innodb_table_stats", ...: the server's name of it, and the file's.
[[nodiscard]] const char* statistics_table_name(StatisticsTable table);
[[nodiscard]] std::optional<StatisticsTable> statistics_table_named(std::string_view name);
// The columns that say which table a row is of ("database_name", "table_name" for InnoDB's,
// "db_name", "table_name" for MariaDB's): rewritten to the target's on import.
[[nodiscard]] std::pair<const char*, const char*> statistics_key_columns(StatisticsTable table);
// The other columns a row may hold: what an import writes, and nothing else.
[[nodiscard]] const std::vector<std::string>& statistics_value_columns(StatisticsTable table);
// Whether a column holds values of the user's data (a column's min and max, a histogram):
// what --no-histograms leaves out.
[[nodiscard]] bool holds_data_values(StatisticsTable table, std::string_view column);

// One row of a statistics table, without its key columns: column → value (bytes as the
// server stored them; nullopt for NULL).
using StatisticsRow = std::map<std::string, std::optional<std::string>>;

struct DefinedColumn {
  std::string name, type;  // COLUMN_TYPE: int(10) unsigned, varchar(255)
  bool nullable = false;
  // COLLATION_NAME of a text column ("" for others, and in files written before it was kept):
  // it decides which values are equal, so the distinct counts.
  std::string collation;
  bool operator==(const DefinedColumn&) const = default;
};

struct DefinedIndex {
  std::string name;
  bool unique = false;
  std::vector<std::string> columns;  // in order, "title(10)" for a prefix
  // INDEX_TYPE: BTREE, FULLTEXT, SPATIAL, HASH ("" in files written before it was kept).
  std::string type;
  bool operator==(const DefinedIndex&) const = default;
};

// What the optimizer believes of one index: information_schema.STATISTICS' cardinality of
// each of its prefixes (one per column; nullopt where the server has none).
struct IndexBelief {
  std::string index;
  std::vector<std::optional<std::uint64_t>> cardinality;
  bool operator==(const IndexBelief&) const = default;
};

// MySQL 8's histogram of a column (information_schema.COLUMN_STATISTICS): its JSON, as
// ANALYZE TABLE … UPDATE HISTOGRAM … USING DATA loads it again (8.0.31 on).
struct ColumnHistogram {
  std::string column;
  std::string histogram;  // JSON text
  bool operator==(const ColumnHistogram&) const = default;
};

struct TableStatistics {
  std::string name;
  std::string engine;
  // The definition statistics are valid for: its columns and indexes, and a fingerprint of both
  // (definition_fingerprint) to compare quickly.
  std::vector<DefinedColumn> columns;
  std::vector<DefinedIndex> indexes;
  // Partitioned tables keep InnoDB's statistics per partition (t#P#p0): not carried (yet),
  // so such a table is skipped by name.
  bool partitioned = false;
  std::string fingerprint;
  // What the optimizer believes (information_schema.TABLES and STATISTICS).
  std::uint64_t rows = 0;
  std::uint64_t avg_row_length = 0, data_length = 0, index_length = 0;
  std::vector<IndexBelief> beliefs;
  // The rows of each statistics table for this table (absent: the server has none).
  std::map<StatisticsTable, std::vector<StatisticsRow>> stored;
  std::vector<ColumnHistogram> histograms;
  // The table's STATS_AUTO_RECALC option ("0", "1", or "" for the default): recorded in a
  // copy's own statistics, which an undo puts back.
  std::string auto_recalc;
  bool operator==(const TableStatistics&) const = default;
};

struct StatisticsFile {
  int format_version = kStatisticsFormatVersion;
  std::string tool_version;
  std::string exported_at;  // ISO 8601 UTC
  Flavor flavor = Flavor::kUnknown;
  std::string server_version;
  std::string endpoint;  // never credentials
  std::string database;
  // The server's settings that move plans (optimizer_switch, use_stat_tables, ...).
  std::map<std::string, std::string> settings;
  // False with --no-histograms: no histogram and no column's min or max is in the file.
  bool data_values = true;
  std::vector<TableStatistics> tables;

  [[nodiscard]] const TableStatistics* table(std::string_view name) const;
};

// `statistics` limited to the indexes and columns `definition` has (the table as it is now):
// what may be written back after a migration dropped an index or a column since.
[[nodiscard]] TableStatistics restricted_to_definition(const TableStatistics& statistics,
                                                       const TableStatistics& definition);

// InnoDB's statistics rows for `index`, an index of the copy that production does not have (a
// migration adds it), derived from production's: the copy's own rows for it (the DDL computed
// them) with each prefix's distinct count taken, in this order, from a prefix of the same
// columns in one of production's indexes; from production's row count, for a prefix holding the
// whole primary key; from the leading column's engine-independent statistics; else the copy's
// count as it is when it is a tenth of the copy's rows or less (a column of few values), or
// scaled by production's rows over the copy's. Its pages are scaled so too. `said` gets a
// phrase of where the counts came from ("n_diff_pfx01 from production's index user_id, ...").
[[nodiscard]] std::vector<StatisticsRow> derived_index_statistics(const TableStatistics& production,
                                                                  const TableStatistics& copy,
                                                                  const std::string& index,
                                                                  std::string& said);

// The definition's fingerprint: a hash of the engine, columns and indexes, in order.
[[nodiscard]] std::string definition_fingerprint(const TableStatistics& table);

// What differs between two definitions of a table, one phrase each ("column price:
// int(11) here, bigint(20) in the file"; "index idx_x only in the file"); empty when alike.
[[nodiscard]] std::vector<std::string> definition_differences(const TableStatistics& here,
                                                              const TableStatistics& file);

}  // namespace sqlmeasure
