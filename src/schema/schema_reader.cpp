// Index metadata: what the server says about tables, columns, indexes and foreign keys
// (information_schema, mysql.innodb_index_stats), plus counted or sampled column profiles
// where the statistics are not enough. Read-only, portable across MariaDB 10.11 and MySQL 8.
#include "sqlmeasure/schema_reader.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sqlmeasure/error.h"
#include "sqlmeasure/number_parse.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

std::uint64_t estimate_distinct(std::uint64_t table_rows, std::uint64_t sample_rows,
                                std::uint64_t sample_distinct, std::uint64_t sample_singletons) {
  if (sample_rows == 0) return 0;
  if (table_rows <= sample_rows) return sample_distinct;
  const double scale =
      std::sqrt(static_cast<double>(table_rows) / static_cast<double>(sample_rows));
  const double estimate = scale * static_cast<double>(sample_singletons) +
                          static_cast<double>(sample_distinct - sample_singletons);
  const double bounded =
      std::clamp(estimate, static_cast<double>(sample_distinct), static_cast<double>(table_rows));
  return static_cast<std::uint64_t>(std::llround(bounded));
}

// ---------------------------------------------------------------- collecting

namespace {

// Named access to one row of a result set.
class Row {
 public:
  Row(const ResultSet& set, const std::vector<std::optional<std::string>>& row)
      : set_(set), row_(row) {}
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const {
    const int index = set_.column(name);
    if (index < 0 || static_cast<size_t>(index) >= row_.size()) return std::nullopt;
    return row_[static_cast<size_t>(index)];
  }
  [[nodiscard]] bool has(std::string_view name) const { return set_.column(name) >= 0; }
  [[nodiscard]] std::string text(std::string_view name) const { return get(name).value_or(""); }
  // NULL (or nothing) is nullopt; anything but a number is an error naming the column.
  [[nodiscard]] std::optional<std::uint64_t> number(std::string_view name) const {
    std::optional<std::string> value = get(name);
    if (!value || value->empty()) return std::nullopt;
    return read_unsigned(*value, fmt::format("the server's {}", name));
  }

 private:
  const ResultSet& set_;
  const std::vector<std::optional<std::string>>& row_;
};

// The first row's `column` (0 when there is no row or it is NULL); anything but a number is
// an error naming `what` was asked.
std::uint64_t first_number(const ResultSet& set, std::string_view what, size_t column = 0) {
  if (set.rows.empty() || set.rows[0].size() <= column || !set.rows[0][column]) return 0;
  return read_unsigned(*set.rows[0][column], what);
}

// A key's MIN or MAX (0 when the table is empty: NULL).
double key_bound(const ResultSet& set, size_t column, std::string_view what) {
  if (set.rows.empty() || set.rows[0].size() <= column || !set.rows[0][column]) return 0;
  return read_decimal(*set.rows[0][column], what);
}

bool is_glob(const std::string& text) { return text.find_first_of("*?[") != std::string::npos; }

}  // namespace

std::set<std::string> select_tables(const std::vector<std::string>& all,
                                    const std::vector<std::string>& wanted,
                                    const std::string& database) {
  std::set<std::string> chosen;
  if (wanted.empty()) return {all.begin(), all.end()};
  for (const std::string& pattern : wanted) {
    bool matched = false;
    for (const std::string& name : all) {
      bool hit = is_glob(pattern) ? fnmatch(pattern.c_str(), name.c_str(), 0) == 0
                                  : iequals(pattern, name);
      if (hit) {
        chosen.insert(name);
        matched = true;
      }
    }
    if (!matched) {
      fail(ExitCode::kUsage, fmt::format("--tables: no table '{}' in database {}{}", pattern,
                                         database, did_you_mean_hint(pattern, all)));
    }
  }
  return chosen;
}

namespace {

void report(const CollectOptions& options, const std::string& phase, size_t done, size_t total) {
  if (options.on_progress) options.on_progress(Progress{phase, done, total});
}

void check_interrupted(const CollectOptions& options) {
  if (options.interrupted != nullptr && options.interrupted->load()) {
    fail(ExitCode::kRuntime, "interrupted while reading index metadata; nothing was changed");
  }
}

class Collector {
 public:
  Collector(Connection& connection, const std::string& database, const CollectOptions& options)
      : connection_(connection), database_(database), options_(options) {}

  SchemaInfo run() {
    if (database_.empty()) {
      fail(ExitCode::kUsage,
           "-D/--database is required: the database whose indexes to report (or set "
           "[connection] database in sqlmeasure.toml)");
    }
    schema_.database = database_;
    schema_.server = connection_.server();
    schema_.exact = options_.exact;
    if (schema_.server.flavor == Flavor::kMySQL || schema_.server.flavor == Flavor::kAurora) {
      // MySQL 8 caches information_schema statistics for a day by default.
      connection_.execute("SET SESSION information_schema_stats_expiry = 0");
    }
    read_tables();
    read_columns();
    read_indexes();
    read_foreign_keys();
    if (options_.structure_only) return std::move(schema_);
    read_index_sizes();
    count_rows();
    profile_columns();
    return std::move(schema_);
  }

 private:
  std::string literal(const std::string& text) { return connection_.quote(text); }

  TableInfo* table(const std::string& name) {
    for (TableInfo& candidate : schema_.tables) {
      if (candidate.name == name) return &candidate;
    }
    return nullptr;
  }

  // Runs `sql` and calls visit(table, row) for each row whose `table_column` names a collected
  // table; other rows are skipped. With `partitions`, a partition's row counts for its table
  // (InnoDB stores them as t#P#p0 on MariaDB, t#p#p0 on MySQL 8).
  template <typename Visit>
  void for_each_table_row(const std::string& sql, std::string_view table_column, Visit visit,
                          bool partitions = false) {
    ResultSet set = connection_.query(sql);
    for (const auto& raw : set.rows) {
      Row row(set, raw);
      std::string name = row.text(table_column);
      if (partitions) name = name.substr(0, ascii_lower(name).find("#p#"));
      if (TableInfo* info = table(name)) visit(*info, row);
    }
  }

  void read_tables() {
    ResultSet schemata = connection_.query(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME");
    std::vector<std::string> databases;
    bool exists = false;
    for (const auto& row : schemata.rows) {
      if (!row.empty() && row[0]) {
        databases.push_back(*row[0]);
        exists = exists || *row[0] == database_;
      }
    }
    if (!exists) {
      fail(ExitCode::kUsage,
           fmt::format("-D/--database: no database '{}' on {}{}", database_,
                       schema_.server.endpoint, did_you_mean_hint(database_, databases)));
    }
    ResultSet set = connection_.query(
        "SELECT TABLE_NAME, ENGINE, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH "
        "FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
        literal(database_) + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
    std::vector<std::string> names;
    for (const auto& raw : set.rows) names.push_back(Row(set, raw).text("TABLE_NAME"));
    std::set<std::string> chosen = select_tables(names, options_.tables, database_);
    for (const auto& raw : set.rows) {
      Row row(set, raw);
      TableInfo info;
      info.name = row.text("TABLE_NAME");
      if (!chosen.count(info.name)) continue;
      info.engine = row.text("ENGINE");
      info.rows_estimate = row.number("TABLE_ROWS").value_or(0);
      info.data_bytes = row.number("DATA_LENGTH");
      info.index_bytes = row.number("INDEX_LENGTH");
      schema_.tables.push_back(std::move(info));
    }
  }

  void read_columns() {
    const std::string sql =
        "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, EXTRA, COLUMN_DEFAULT, "
        "IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
        literal(database_) + " ORDER BY TABLE_NAME, ORDINAL_POSITION";
    for_each_table_row(sql, "TABLE_NAME", [](TableInfo& info, const Row& row) {
      ColumnInfo column;
      column.name = row.text("COLUMN_NAME");
      column.data_type = ascii_lower(row.text("DATA_TYPE"));
      column.column_type = row.text("COLUMN_TYPE");
      column.extra = row.text("EXTRA");
      column.default_value = row.get("COLUMN_DEFAULT");
      column.nullable = row.text("IS_NULLABLE") == "YES";
      info.columns.push_back(std::move(column));
    });
  }

  void read_indexes() {
    // SELECT *: the visibility column is IGNORED on MariaDB and IS_VISIBLE on MySQL 8, and
    // EXPRESSION exists only on MySQL 8. Rows come in the server's key order.
    const std::string sql =
        "SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " + literal(database_);
    for_each_table_row(sql, "TABLE_NAME", [](TableInfo& info, const Row& row) {
      const std::string name = row.text("INDEX_NAME");
      auto found = std::find_if(info.indexes.begin(), info.indexes.end(),
                                [&](const IndexInfo& i) { return i.name == name; });
      if (found == info.indexes.end()) {
        IndexInfo index;
        index.name = name;
        index.unique = row.text("NON_UNIQUE") == "0";
        index.type = row.text("INDEX_TYPE");
        if (row.has("IGNORED")) index.visible = row.text("IGNORED") != "YES";
        if (row.has("IS_VISIBLE")) index.visible = row.text("IS_VISIBLE") != "NO";
        info.indexes.push_back(std::move(index));
        found = info.indexes.end() - 1;
      }
      IndexColumn column;
      column.column = row.text("COLUMN_NAME");
      column.expression = row.text("EXPRESSION");
      column.seq = static_cast<int>(row.number("SEQ_IN_INDEX").value_or(1));
      column.cardinality = row.number("CARDINALITY");
      column.sub_part = row.number("SUB_PART");
      column.descending = row.text("COLLATION") == "D";
      column.nullable = row.text("NULLABLE") == "YES";
      found->columns.push_back(std::move(column));
    });
    for (TableInfo& info : schema_.tables) {
      for (IndexInfo& index : info.indexes) {
        std::stable_sort(index.columns.begin(), index.columns.end(),
                         [](const IndexColumn& a, const IndexColumn& b) { return a.seq < b.seq; });
      }
      // PRIMARY first, whatever order the server listed.
      std::stable_partition(info.indexes.begin(), info.indexes.end(),
                            [](const IndexInfo& i) { return i.primary(); });
    }
  }

  void read_foreign_keys() {
    const std::string db = literal(database_);
    ResultSet set = connection_.query(
        "SELECT CONSTRAINT_NAME, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, "
        "REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE REFERENCED_TABLE_NAME IS NOT NULL AND (TABLE_SCHEMA = " +
        db + " OR REFERENCED_TABLE_SCHEMA = " + db +
        ") ORDER BY TABLE_SCHEMA, TABLE_NAME, "
        "CONSTRAINT_NAME, ORDINAL_POSITION");
    std::vector<ForeignKeyInfo> keys;
    std::vector<std::pair<std::string, std::string>> schemas;  // (child, parent) schema
    for (const auto& raw : set.rows) {
      Row row(set, raw);
      const std::string child_schema = row.text("TABLE_SCHEMA");
      const std::string name = row.text("CONSTRAINT_NAME");
      const std::string child = row.text("TABLE_NAME");
      if (keys.empty() || keys.back().name != name || keys.back().table != child ||
          schemas.back().first != child_schema) {
        ForeignKeyInfo key;
        key.name = name;
        key.table = child;
        key.referenced_table = row.text("REFERENCED_TABLE_NAME");
        keys.push_back(std::move(key));
        schemas.emplace_back(child_schema, row.text("REFERENCED_TABLE_SCHEMA"));
      }
      keys.back().columns.push_back(row.text("COLUMN_NAME"));
      keys.back().referenced_columns.push_back(row.text("REFERENCED_COLUMN_NAME"));
    }
    read_referential_actions(keys, schemas);
    for (size_t i = 0; i < keys.size(); ++i) {
      if (schemas[i].second != database_) keys[i].referenced_database = schemas[i].second;
      if (schemas[i].first == database_) {
        if (TableInfo* child = table(keys[i].table)) child->foreign_keys.push_back(keys[i]);
      }
      if (schemas[i].second == database_) {
        if (TableInfo* parent = table(keys[i].referenced_table)) {
          parent->referenced_by.push_back(keys[i]);
        }
      }
    }
  }

  // ON UPDATE / ON DELETE of each foreign key: two constraints are duplicates only when
  // they act alike.
  void read_referential_actions(std::vector<ForeignKeyInfo>& keys,
                                const std::vector<std::pair<std::string, std::string>>& schemas) {
    const std::string db = literal(database_);
    ResultSet set = connection_.query(
        "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE FROM "
        "information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
        db + " OR UNIQUE_CONSTRAINT_SCHEMA = " + db);
    for (const auto& raw : set.rows) {
      Row row(set, raw);
      for (size_t i = 0; i < keys.size(); ++i) {
        if (keys[i].name == row.text("CONSTRAINT_NAME") &&
            keys[i].table == row.text("TABLE_NAME") &&
            schemas[i].first == row.text("CONSTRAINT_SCHEMA")) {
          keys[i].on_update = row.text("UPDATE_RULE");
          keys[i].on_delete = row.text("DELETE_RULE");
        }
      }
    }
  }

  // Index sizes from InnoDB's persistent statistics (pages x page size). They need SELECT on
  // mysql.innodb_index_stats; without it the sizes are left out and the report says why.
  void read_index_sizes() {
    try {
      const std::uint64_t page_size =
          first_number(connection_.query("SELECT @@innodb_page_size"), "@@innodb_page_size");
      const std::string sizes =
          "SELECT table_name, index_name, stat_value FROM mysql.innodb_index_stats "
          "WHERE database_name = " +
          literal(database_) + " AND stat_name = 'size'";
      // A partitioned table's index is the sum of its partitions' indexes.
      for_each_table_row(
          sizes, "table_name",
          [&](TableInfo& info, const Row& row) {
            IndexInfo* index = nullptr;
            for (IndexInfo& candidate : info.indexes) {
              if (candidate.name == row.text("index_name")) index = &candidate;
            }
            if (index == nullptr) return;
            index->size_bytes =
                index->size_bytes.value_or(0) + row.number("stat_value").value_or(0) * page_size;
          },
          /*partitions=*/true);
      const std::string stats =
          "SELECT table_name, n_rows, last_update FROM mysql.innodb_table_stats "
          "WHERE database_name = " +
          literal(database_);
      // Partitions are not judged: a partitioned table has no row of its own here.
      for_each_table_row(stats, "table_name", [](TableInfo& info, const Row& row) {
        info.stats_rows = row.number("n_rows");
        info.stats_updated = row.text("last_update");
      });
    } catch (const DatabaseError& error) {
      if (error.connection_lost()) throw;
      schema_.notes.push_back(
          fmt::format("index sizes and statistics dates unavailable: mysql.innodb_index_stats / "
                      "innodb_table_stats could not be read ({})",
                      error.what()));
    }
  }

  // Rows are counted (not estimated) with --exact, and where the estimate cannot be trusted:
  // a table the statistics call empty, or whose statistics look stale.
  void count_rows() {
    constexpr std::uint64_t kCountLimit = 1000000;
    size_t done = 0;
    for (TableInfo& info : schema_.tables) {
      check_interrupted(options_);
      report(options_, "counting rows", done++, schema_.tables.size());
      // Judged on the estimate first; counting tells whether the table is really non-empty
      // and how big.
      bool suspicious = info.rows_estimate == 0 || info.statistics_look_stale();
      const std::string name = quote_identifier(database_) + "." + quote_identifier(info.name);
      if (options_.exact) {
        info.rows_counted =
            first_number(connection_.query("SELECT COUNT(*) FROM " + name), "COUNT(*) of " + name);
      } else if (suspicious) {
        info.rows_counted = first_number(
            connection_.query(fmt::format(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT {}) AS counted", name, kCountLimit)),
            "COUNT(*) of " + name);
        info.rows_counted_is_lower_bound = *info.rows_counted >= kCountLimit;
      }
    }
    report(options_, "counting rows", done, schema_.tables.size());
  }

  // Which columns to count: with --exact, every indexed column; otherwise the leading
  // column of each B-tree index whose statistics say it has few values (or say nothing),
  // and the later columns of such composite indexes, which the composite-order rule compares.
  std::vector<std::pair<std::string, bool>> profile_targets(const TableInfo& info) const {
    std::vector<std::pair<std::string, bool>> targets;  // (column, with top values)
    auto add = [&](const std::string& column, bool top) {
      if (column.empty()) return;
      for (auto& [existing, wants_top] : targets) {
        if (iequals(existing, column)) {
          wants_top = wants_top || top;
          return;
        }
      }
      targets.emplace_back(column, top);
    };
    const std::uint64_t few =
        std::max<std::uint64_t>(100, 4 * options_.low_cardinality_max_distinct);
    for (const IndexInfo& index : info.indexes) {
      if (!index.btree() || index.columns.empty()) continue;
      const IndexColumn& leading = index.columns[0];
      const bool low = !leading.cardinality || *leading.cardinality <= few;
      const bool judged = info.rows() >= options_.min_rows;
      if (options_.exact) {
        for (const IndexColumn& column : index.columns) add(column.column, false);
      }
      if (!judged || !low || (index.unique && index.columns.size() == 1)) continue;
      add(leading.column, true);
      for (size_t i = 1; i < index.columns.size(); ++i) add(index.columns[i].column, false);
    }
    return targets;
  }

  // The rows to count: the whole table, or a sample of evenly spaced primary-key blocks.
  struct Source {
    std::string from;  // FROM clause body
    bool sampled = false;
    std::string method;
  };

  Source source_for(const TableInfo& info, const std::vector<std::string>& columns) {
    const std::string name = quote_identifier(database_) + "." + quote_identifier(info.name);
    Source source;
    if (info.rows() <= options_.exact_row_limit) {
      source.from = name;
      source.method = "counted";
      return source;
    }
    source.sampled = true;
    std::string list;
    for (const std::string& column : columns)
      list += (list.empty() ? "" : ", ") + quote_identifier(column);
    const IndexInfo* primary = info.index("PRIMARY");
    const ColumnInfo* key = primary != nullptr && primary->columns.size() == 1
                                ? info.column(primary->columns[0].column)
                                : nullptr;
    const bool integer_key =
        key != nullptr && ascii_lower(key->data_type).find("int") != std::string::npos;
    if (integer_key) {
      constexpr int kBlocks = 10;
      const std::string id = quote_identifier(key->name);
      ResultSet bounds =
          connection_.query(fmt::format("SELECT MIN({0}), MAX({0}) FROM {1}", id, name));
      // A signed key may be negative: the bounds are read as decimals.
      const double low = key_bound(bounds, 0, "MIN(" + id + ") of " + name);
      const double high = key_bound(bounds, 1, "MAX(" + id + ") of " + name);
      const std::uint64_t per_block = std::max<std::uint64_t>(1, options_.sample_rows / kBlocks);
      std::string parts;
      for (int block = 0; block < kBlocks; ++block) {
        const double start = std::round(low + (high - low + 1) * block / kBlocks);
        parts +=
            fmt::format("{}(SELECT {} FROM {} WHERE {} >= {:.0f} ORDER BY {} LIMIT {})",
                        parts.empty() ? "" : " UNION ALL ", list, name, id, start, id, per_block);
      }
      source.from = "(" + parts + ") AS sampled";
      source.method = fmt::format("sampled: {} rows in {} evenly spaced {} blocks",
                                  format_thousands(per_block * kBlocks), kBlocks, key->name);
    } else {
      source.from =
          fmt::format("(SELECT {} FROM {} LIMIT {}) AS sampled", list, name, options_.sample_rows);
      source.method = fmt::format("sampled: the first {} rows in clustered-key order",
                                  format_thousands(options_.sample_rows));
    }
    return source;
  }

  ColumnProfile profile_column(const TableInfo& info, const std::string& column, bool top) {
    constexpr std::uint64_t kTopValues = 5;
    Source source = source_for(info, {column});
    const std::string quoted = quote_identifier(column);
    ColumnProfile profile;
    profile.sampled = source.sampled;
    ResultSet counts = connection_.query(fmt::format(
        "SELECT COUNT(*), SUM(n = 1), SUM(n) FROM (SELECT COUNT(*) AS n FROM {} GROUP BY {}) "
        "AS grouped",
        source.from, quoted));
    const std::string counted = "the counts of " + quoted + " in " + info.name;
    const std::uint64_t distinct = first_number(counts, counted, 0);
    const std::uint64_t singletons = first_number(counts, counted, 1);
    profile.rows_read = first_number(counts, counted, 2);
    if (source.sampled) {
      profile.distinct = estimate_distinct(info.rows(), profile.rows_read, distinct, singletons);
      const double bound =
          std::sqrt(static_cast<double>(info.rows()) /
                    static_cast<double>(std::max<std::uint64_t>(1, profile.rows_read)));
      profile.method = fmt::format(
          "{}; distinct values estimated (GEE){}", source.method,
          singletons == 0 ? ", exact for the values seen (every one seen at least twice)"
                          : fmt::format(", within a factor of about {:.0f}", bound));
    } else {
      profile.distinct = distinct;
      profile.method = fmt::format("counted over {} rows", format_thousands(profile.rows_read));
    }
    if (top && distinct <= 1000) {
      ResultSet values = connection_.query(
          fmt::format("SELECT {0}, COUNT(*) AS n FROM {1} GROUP BY {0} ORDER BY n DESC LIMIT {2}",
                      quoted, source.from, kTopValues));
      for (const auto& row : values.rows) {
        if (row.size() < 2) continue;
        ValueCount value;
        value.value = row[0];
        value.count = row[1] ? read_unsigned(*row[1], "COUNT(*) of " + quoted) : 0;
        profile.top.push_back(std::move(value));
      }
    }
    return profile;
  }

  void profile_columns() {
    std::vector<std::pair<TableInfo*, std::pair<std::string, bool>>> work;
    for (TableInfo& info : schema_.tables) {
      for (const auto& target : profile_targets(info)) work.emplace_back(&info, target);
    }
    size_t done = 0;
    for (auto& [info, target] : work) {
      check_interrupted(options_);
      report(options_, "counting values", done++, work.size());
      if (info->column(target.first) == nullptr) continue;  // functional key part
      info->profiles[target.first] = profile_column(*info, target.first, target.second);
    }
    report(options_, "counting values", done, work.size());
  }

  Connection& connection_;
  std::string database_;
  const CollectOptions& options_;
  SchemaInfo schema_;
};

}  // namespace

SchemaInfo collect_schema(Connection& connection, const std::string& database,
                          const CollectOptions& options) {
  return Collector(connection, database, options).run();
}

}  // namespace sqlmeasure
