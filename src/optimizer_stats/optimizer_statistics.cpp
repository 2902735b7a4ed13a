// The statistics tables a file carries, and what a table's definition is.
#include "sqlmeasure/optimizer_statistics.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sqlmeasure/hash.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

const char* statistics_table_name(StatisticsTable table) {
  switch (table) {
    case StatisticsTable::kInnodbTable:
      return "innodb_table_stats";
    case StatisticsTable::kInnodbIndex:
      return "innodb_index_stats";
    case StatisticsTable::kTable:
      return "table_stats";
    case StatisticsTable::kColumn:
      return "column_stats";
    case StatisticsTable::kIndex:
      return "index_stats";
  }
  return "";
}

std::optional<StatisticsTable> statistics_table_named(std::string_view name) {
  for (StatisticsTable table : kStatisticsTables) {
    if (name == statistics_table_name(table)) return table;
  }
  return std::nullopt;
}

std::pair<const char*, const char*> statistics_key_columns(StatisticsTable table) {
  const bool innodb =
      table == StatisticsTable::kInnodbTable || table == StatisticsTable::kInnodbIndex;
  return {innodb ? "database_name" : "db_name", "table_name"};
}

// The columns of MySQL 8.0 / 8.4 and MariaDB 10.x / 11.x (their mysql_system_tables.sql).
const std::vector<std::string>& statistics_value_columns(StatisticsTable table) {
  static const std::vector<std::string> kInnodbTable = {
      "last_update", "n_rows", "clustered_index_size", "sum_of_other_index_sizes"};
  static const std::vector<std::string> kInnodbIndex = {
      "index_name", "last_update", "stat_name", "stat_value", "sample_size", "stat_description"};
  static const std::vector<std::string> kTable = {"cardinality"};
  static const std::vector<std::string> kColumn = {"column_name", "min_value",  "max_value",
                                                   "nulls_ratio", "avg_length", "avg_frequency",
                                                   "hist_size",   "hist_type",  "histogram"};
  static const std::vector<std::string> kIndex = {"index_name", "prefix_arity", "avg_frequency"};
  switch (table) {
    case StatisticsTable::kInnodbTable:
      return kInnodbTable;
    case StatisticsTable::kInnodbIndex:
      return kInnodbIndex;
    case StatisticsTable::kTable:
      return kTable;
    case StatisticsTable::kColumn:
      return kColumn;
    case StatisticsTable::kIndex:
      return kIndex;
  }
  return kTable;
}

bool holds_data_values(StatisticsTable table, std::string_view column) {
  return table == StatisticsTable::kColumn &&
         (column == "min_value" || column == "max_value" || column == "histogram");
}

const TableStatistics* StatisticsFile::table(std::string_view name) const {
  for (const TableStatistics& candidate : tables) {
    if (iequals(candidate.name, name)) return &candidate;
  }
  return nullptr;
}

TableStatistics restricted_to_definition(const TableStatistics& statistics,
                                         const TableStatistics& definition) {
  TableStatistics out = statistics;
  const auto has_index = [&](const std::string& name) {
    return iequals(name, "GEN_CLUST_INDEX") ||
           std::any_of(definition.indexes.begin(), definition.indexes.end(),
                       [&](const DefinedIndex& index) { return iequals(index.name, name); });
  };
  const auto has_column = [&](const std::string& name) {
    return std::any_of(definition.columns.begin(), definition.columns.end(),
                       [&](const DefinedColumn& column) { return iequals(column.name, name); });
  };
  std::erase_if(out.indexes, [&](const DefinedIndex& index) { return !has_index(index.name); });
  std::erase_if(out.columns, [&](const DefinedColumn& column) { return !has_column(column.name); });
  for (auto& [table, rows] : out.stored) {
    const StatisticsTable which = table;  // a structured binding no lambda may capture (clang)
    if (which != StatisticsTable::kColumn && which != StatisticsTable::kInnodbIndex &&
        which != StatisticsTable::kIndex) {
      continue;
    }
    const bool by_column = which == StatisticsTable::kColumn;
    std::erase_if(rows, [&](const StatisticsRow& row) {
      const auto value = row.find(by_column ? "column_name" : "index_name");
      if (value == row.end() || !value->second) return false;
      return by_column ? !has_column(*value->second) : !has_index(*value->second);
    });
  }
  return out;
}

namespace {

std::optional<double> number_in(const StatisticsRow& row, const char* column) {
  const auto value = row.find(column);
  if (value == row.end() || !value->second) return std::nullopt;
  try {
    return std::stod(*value->second);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string text_in(const StatisticsRow& row, const char* column) {
  const auto value = row.find(column);
  return value == row.end() || !value->second ? "" : *value->second;
}

// The distinct values a MySQL 8 histogram counted, scaled to every row that is not NULL: a
// singleton histogram has a bucket per value, an equi-height one says each bucket's
// (its fourth element). Its counts come from a sample (sampling-rate), so they are a floor.
std::optional<double> histogram_distinct(const std::string& text) {
  const nlohmann::json histogram = nlohmann::json::parse(text, nullptr, false);
  if (!histogram.is_object() || !histogram.contains("buckets") ||
      !histogram["buckets"].is_array() || histogram["buckets"].empty()) {
    return std::nullopt;
  }
  const std::string type = histogram.value("histogram-type", "");
  const nlohmann::json& buckets = histogram["buckets"];
  if (type == "singleton") return static_cast<double>(buckets.size());
  if (type != "equi-height") return std::nullopt;
  double distinct = 0;
  for (const nlohmann::json& bucket : buckets) {
    if (!bucket.is_array() || bucket.size() < 4 || !bucket[3].is_number()) return std::nullopt;
    distinct += bucket[3].get<double>();
  }
  return distinct;
}

// InnoDB's n_rows of a table's statistics, or its information_schema rows.
double table_rows(const TableStatistics& table) {
  const auto rows = table.stored.find(StatisticsTable::kInnodbTable);
  if (rows != table.stored.end() && !rows->second.empty()) {
    if (const auto n = number_in(rows->second.front(), "n_rows")) return *n;
  }
  return static_cast<double>(table.rows);
}

}  // namespace

std::vector<StatisticsRow> derived_index_statistics(const TableStatistics& production,
                                                    const TableStatistics& copy,
                                                    const std::string& index, std::string& said) {
  const double production_rows = table_rows(production);
  const double scale = production_rows / std::max(1.0, table_rows(copy));
  std::vector<std::string> primary;
  for (const DefinedIndex& candidate : production.indexes) {
    if (iequals(candidate.name, "PRIMARY")) primary = candidate.columns;
  }
  const auto production_index_rows = production.stored.find(StatisticsTable::kInnodbIndex);
  const auto copy_index_rows = copy.stored.find(StatisticsTable::kInnodbIndex);
  std::vector<StatisticsRow> out;
  std::vector<std::string> sources;
  if (copy_index_rows == copy.stored.end()) return out;
  for (StatisticsRow row : copy_index_rows->second) {
    if (!iequals(text_in(row, "index_name"), index)) continue;
    const std::string stat = text_in(row, "stat_name");
    const std::optional<double> own = number_in(row, "stat_value");
    if (!own) continue;
    double value = *own * scale;
    std::string source = "scaled from the copy's";
    if (stat.starts_with("n_diff_pfx") && *own * 10 <= table_rows(copy)) {
      // A column of few values has as few in production: a count does not grow with the rows.
      value = *own;
      source = "the copy's (few values)";
    }
    if (stat.starts_with("n_diff_pfx")) {
      const std::string columns = text_in(row, "stat_description");
      const std::vector<std::string> prefix = split_list(columns);
      bool found = false;
      if (production_index_rows != production.stored.end()) {
        for (const StatisticsRow& theirs : production_index_rows->second) {
          if (text_in(theirs, "stat_name").starts_with("n_diff_pfx") &&
              iequals(text_in(theirs, "stat_description"), columns)) {
            if (const auto count = number_in(theirs, "stat_value")) {
              value = *count;
              source = "production's index " + text_in(theirs, "index_name");
              found = true;
              break;
            }
          }
        }
      }
      const bool whole_key =
          !primary.empty() && std::all_of(primary.begin(), primary.end(), [&](const auto& column) {
            return std::any_of(prefix.begin(), prefix.end(),
                               [&](const auto& part) { return iequals(part, column); });
          });
      if (!found && whole_key) {
        value = production_rows;
        source = "production's rows (the whole primary key)";
        found = true;
      }
      const auto columns_stats = production.stored.find(StatisticsTable::kColumn);
      if (!found && prefix.size() == 1 && columns_stats != production.stored.end()) {
        for (const StatisticsRow& theirs : columns_stats->second) {
          const auto frequency = number_in(theirs, "avg_frequency");
          if (iequals(text_in(theirs, "column_name"), prefix.front()) && frequency &&
              *frequency > 0) {
            value = production_rows / *frequency;
            source = "production's engine-independent statistics of " + prefix.front();
            found = true;
            break;
          }
        }
      }
      for (const ColumnHistogram& histogram : production.histograms) {
        if (found || prefix.size() != 1 || !iequals(histogram.column, prefix.front())) continue;
        if (const auto distinct = histogram_distinct(histogram.histogram); distinct) {
          value = *distinct;
          source = "production's histogram of " + prefix.front();
          found = true;
        }
      }
    }
    value = std::max(1.0, std::min(value, std::max(production_rows, 1.0)));
    if (stat == "size" || stat == "n_leaf_pages") value = std::max(1.0, *own * scale);
    row["stat_value"] = fmt::format("{:.0f}", value);
    out.push_back(std::move(row));
    sources.push_back(stat + " " + source);
  }
  said = join(sources, ", ");
  return out;
}

std::string definition_fingerprint(const TableStatistics& table) {
  std::string text =
      "engine " + ascii_lower(table.engine) + (table.partitioned ? " partitioned" : "") + "\n";
  // A collation or an index type only where known, so that a file written before they were
  // kept still matches its own fingerprint.
  for (const DefinedColumn& column : table.columns) {
    text +=
        fmt::format("column {} {} {}{}\n", ascii_lower(column.name), ascii_lower(column.type),
                    column.nullable ? "null" : "not null",
                    column.collation.empty() ? "" : " collate " + ascii_lower(column.collation));
  }
  for (const DefinedIndex& index : table.indexes) {
    text += fmt::format("index {} {} ({}){}\n", ascii_lower(index.name),
                        index.unique ? "unique" : "", ascii_lower(join(index.columns, ",")),
                        index.type.empty() ? "" : " using " + ascii_lower(index.type));
  }
  return fmt::format("{:016x}", mix64(stable_hash(text)));
}

namespace {

template <typename T>
const T* named(const std::vector<T>& items, const std::string& name) {
  const auto it = std::find_if(items.begin(), items.end(),
                               [&](const T& item) { return iequals(item.name, name); });
  return it == items.end() ? nullptr : &*it;
}

// The collation and the index type are compared only when both sides know them (a file
// written before they were kept knows neither).
std::string column_text(const DefinedColumn& column, bool with_collation) {
  return column.type + (column.nullable ? " NULL" : " NOT NULL") +
         (with_collation && !column.collation.empty() ? " COLLATE " + column.collation : "");
}

std::string index_text(const DefinedIndex& index, bool with_type) {
  const bool typed = with_type && !index.type.empty();
  const bool fulltext = iequals(index.type, "FULLTEXT") || iequals(index.type, "SPATIAL");
  return fmt::format("{}{}({}){}", index.unique ? "UNIQUE " : "",
                     typed && fulltext ? ascii_upper(index.type) + " " : "",
                     join(index.columns, ", "),
                     typed && !fulltext ? " USING " + ascii_upper(index.type) : "");
}

}  // namespace

std::vector<std::string> definition_differences(const TableStatistics& here,
                                                const TableStatistics& file) {
  std::vector<std::string> out;
  if (here.partitioned != file.partitioned) {
    out.push_back(fmt::format("partitioned {}, not in {}",
                              here.partitioned ? "here" : "in the file",
                              here.partitioned ? "the file" : "here"));
  }
  if (!iequals(here.engine, file.engine)) {
    out.push_back(fmt::format("engine {} here, {} in the file", here.engine, file.engine));
  }
  for (const DefinedColumn& column : file.columns) {
    const DefinedColumn* mine = named(here.columns, column.name);
    if (mine == nullptr) {
      out.push_back(fmt::format("column {} only in the file", column.name));
    } else if (const bool both = !mine->collation.empty() && !column.collation.empty();
               !iequals(column_text(*mine, both), column_text(column, both))) {
      out.push_back(fmt::format("column {}: {} here, {} in the file", column.name,
                                column_text(*mine, both), column_text(column, both)));
    }
  }
  for (const DefinedColumn& column : here.columns) {
    if (named(file.columns, column.name) == nullptr) {
      out.push_back(fmt::format("column {} only here", column.name));
    }
  }
  for (const DefinedIndex& index : file.indexes) {
    const DefinedIndex* mine = named(here.indexes, index.name);
    if (mine == nullptr) {
      out.push_back(
          fmt::format("index {} {} only in the file", index.name, index_text(index, true)));
    } else if (const bool both = !mine->type.empty() && !index.type.empty();
               !iequals(index_text(*mine, both), index_text(index, both))) {
      out.push_back(fmt::format("index {}: {} here, {} in the file", index.name,
                                index_text(*mine, both), index_text(index, both)));
    }
  }
  for (const DefinedIndex& index : here.indexes) {
    if (named(file.indexes, index.name) == nullptr) {
      out.push_back(fmt::format("index {} {} only here", index.name, index_text(index, true)));
    }
  }
  auto names = [](const auto& items) {
    std::vector<std::string> lower;
    for (const auto& item : items) lower.push_back(ascii_lower(item.name));
    return lower;
  };
  if (out.empty() &&
      (names(here.columns) != names(file.columns) || names(here.indexes) != names(file.indexes))) {
    out.push_back("the columns' or indexes' order differs");
  }
  return out;
}

}  // namespace sqlmeasure
