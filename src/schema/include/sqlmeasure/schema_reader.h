#pragma once
// Reading a database's schema from the server (index_model.h): information_schema and the
// persistent statistics, with the columns the advisor's rules need counted or sampled.
#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/index_model.h"
#include "sqlmeasure/progress.h"

namespace sqlmeasure {

struct CollectOptions {
  std::vector<std::string> tables;  // names or globs; empty = every base table
  bool exact = false;               // --exact: count distinct values of every indexed column
  std::uint64_t exact_row_limit = 1000000;  // larger tables are sampled
  std::uint64_t sample_rows = 100000;
  // Only tables, columns, indexes and foreign keys: no sizes, counts or column profiles
  // (what a live compare needs to decide how to measure a drop).
  bool structure_only = false;
  // A table of at least `min_rows` rows has the leading column of each index with few values
  // (by its cardinality, at most max(100, 4 × `low_cardinality_max_distinct`)) profiled with
  // its most frequent values: what the advisor's low-cardinality rules judge.
  std::uint64_t min_rows = 1000;
  std::uint64_t low_cardinality_max_distinct = 16;
  ProgressSink on_progress;
  const std::atomic<bool>* interrupted = nullptr;
};

// Reads information_schema (TABLES, COLUMNS, STATISTICS, KEY_COLUMN_USAGE) and
// mysql.innodb_index_stats; profiles the columns the rules need. Read-only. An unknown name
// in `tables` is a usage error with a "did you mean".
[[nodiscard]] SchemaInfo collect_schema(Connection& connection, const std::string& database,
                                        const CollectOptions& options);

// The tables of `all` that --tables names (names or globs), or all of them when it names none.
// A name or glob that matches nothing is Error(kUsage) with a "did you mean".
[[nodiscard]] std::set<std::string> select_tables(const std::vector<std::string>& all,
                                                  const std::vector<std::string>& wanted,
                                                  const std::string& database);

// The GEE estimator (Charikar, Chaudhuri, Motwani, Narasayya 2000) of a column's distinct
// values from a uniform sample: sqrt(N/n) * f1 + (d - f1), where f1 is the number of values
// seen exactly once. Its ratio error is at most about sqrt(N/n) (docs/indexes.md).
[[nodiscard]] std::uint64_t estimate_distinct(std::uint64_t table_rows, std::uint64_t sample_rows,
                                              std::uint64_t sample_distinct,
                                              std::uint64_t sample_singletons);

}  // namespace sqlmeasure
