#pragma once
// What the server says of a database's tables and indexes (docs/indexes.md): plain data,
// read by schema_reader.h, judged by the advisor, compared by live compares.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure {

struct IndexColumn {
  std::string column;      // empty for a functional key part (MySQL 8)
  std::string expression;  // the functional key part's expression
  int seq = 1;
  // SHOW INDEX Cardinality: an estimate of the distinct values of the *prefix* 1..seq,
  // not of this column alone. Missing when the server reports NULL.
  std::optional<std::uint64_t> cardinality;
  std::optional<std::uint64_t> sub_part;  // prefix length: KEY (name(10))
  bool descending = false;
  bool nullable = false;
};

struct IndexInfo {
  std::string name;
  bool unique = false;
  std::string type = "BTREE";  // BTREE, FULLTEXT, SPATIAL, HASH, RTREE
  bool visible = true;         // false: MariaDB IGNORED, MySQL INVISIBLE
  std::optional<std::uint64_t> size_bytes;
  std::vector<IndexColumn> columns;

  [[nodiscard]] bool primary() const { return name == "PRIMARY"; }
  [[nodiscard]] bool btree() const { return type != "FULLTEXT" && type != "SPATIAL"; }
  [[nodiscard]] std::vector<std::string> column_names() const;
  // `(a, b(10), c DESC)`, as in CREATE TABLE.
  [[nodiscard]] std::string column_list() const;
};

// One key part as CREATE TABLE writes it: name(10) DESC, or (expression) for a functional one.
[[nodiscard]] std::string key_part_sql(const IndexColumn& column);

struct ColumnInfo {
  std::string name;
  std::string data_type;    // int, datetime, varchar, ...
  std::string column_type;  // int(10) unsigned, ...
  std::string extra;        // auto_increment, on update current_timestamp(), ...
  std::optional<std::string> default_value;
  bool nullable = false;
};

struct ForeignKeyInfo {
  std::string name;
  std::string table;  // the child (declaring) table
  std::vector<std::string> columns;
  std::string referenced_table;
  std::vector<std::string> referenced_columns;
  // information_schema.REFERENTIAL_CONSTRAINTS: RESTRICT, CASCADE, SET NULL, NO ACTION...
  std::string on_update = "RESTRICT", on_delete = "RESTRICT";
  std::string referenced_database;  // empty: the database under test
};

// One column's values, counted beyond what SHOW INDEX estimates: exactly, or in a sample.
struct ColumnProfile {
  std::uint64_t distinct = 0;    // exact, or the estimate when sampled
  bool distinct_capped = false;  // more distinct values than were grouped: a lower bound
  bool sampled = false;
  std::uint64_t rows_read = 0;  // rows counted: the table, or the sample
  std::vector<ValueCount> top;  // most frequent first (only for few distinct values)
  std::string method;           // how it was counted, for the evidence
};

struct TableInfo {
  std::string name;
  std::string engine;
  std::uint64_t rows_estimate = 0;            // information_schema.TABLES.TABLE_ROWS
  std::optional<std::uint64_t> rows_counted;  // COUNT(*), when we counted
  bool rows_counted_is_lower_bound = false;   // counted up to a limit
  std::optional<std::uint64_t> data_bytes, index_bytes;
  // InnoDB persistent statistics (mysql.innodb_table_stats): the rows they were computed on.
  std::optional<std::uint64_t> stats_rows;
  std::string stats_updated;
  std::vector<ColumnInfo> columns;
  std::vector<IndexInfo> indexes;                 // in the server's key order: PRIMARY first
  std::vector<ForeignKeyInfo> foreign_keys;       // declared on this table
  std::vector<ForeignKeyInfo> referenced_by;      // other tables' foreign keys to this one
  std::map<std::string, ColumnProfile> profiles;  // by column name

  // Counted rows when we have them, else the server's estimate.
  [[nodiscard]] std::uint64_t rows() const { return rows_counted.value_or(rows_estimate); }
  // rows() for a reader: "12,345" counted, "at least 1,000,000" counted up to a limit,
  // "~12,345" the server's estimate.
  [[nodiscard]] std::string rows_text() const;
  [[nodiscard]] const IndexInfo* index(const std::string& name) const;  // case-insensitive
  [[nodiscard]] const ColumnInfo* column(const std::string& name) const;
  [[nodiscard]] const ColumnProfile* profile(const std::string& column) const;
  // The clustered index of an InnoDB table: PRIMARY, else the first UNIQUE index on NOT NULL
  // columns; null for other engines or when InnoDB uses its hidden row id.
  [[nodiscard]] const IndexInfo* clustered_index() const;
  // The column of a single-column AUTO_INCREMENT primary key, or empty.
  [[nodiscard]] std::string auto_increment_key() const;
  // Best known distinct count of one column: a profile, else SHOW INDEX when the column
  // leads an index. Missing when nothing says.
  [[nodiscard]] std::optional<std::uint64_t> distinct(const std::string& column) const;
  // Why the index statistics of this non-empty table look stale, or nothing: TABLE_ROWS 0; a
  // B-tree index with cardinality NULL or 0; a UNIQUE index (NOT NULL, whole columns) whose
  // cardinality is under half the rows; persistent statistics computed on under half the rows.
  [[nodiscard]] std::vector<std::string> stale_statistics_evidence() const;
  [[nodiscard]] bool statistics_look_stale() const { return !stale_statistics_evidence().empty(); }
};

// Foreign keys (declared on `table` or pointing to it) whose columns are a left prefix of
// `index`: the ones it can back.
[[nodiscard]] std::vector<const ForeignKeyInfo*> foreign_keys_served(const TableInfo& table,
                                                                     const IndexInfo& index);
// The foreign key that needs `index`: no other index of the table backs it (a real DROP of
// `index` fails with 1553). Null when there is none.
[[nodiscard]] const ForeignKeyInfo* foreign_key_needing(const TableInfo& table,
                                                        const IndexInfo& index);

struct SchemaInfo {
  std::string database;
  ServerInfo server;
  bool exact = false;  // --exact: columns counted
  std::vector<TableInfo> tables;
  std::vector<std::string> notes;  // what could not be read, and why

  [[nodiscard]] const TableInfo* table(const std::string& name) const;
};

}  // namespace sqlmeasure
