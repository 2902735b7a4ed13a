// The index model's own questions: column lists, lookups by name, and stale statistics.
#include "sqlmeasure/index_model.h"

#include <fmt/format.h>

#include <algorithm>

#include "sqlmeasure/number_text.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

std::string key_part_sql(const IndexColumn& column) {
  std::string text =
      column.column.empty() ? "(" + column.expression + ")" : quote_ident(column.column);
  if (column.sub_part) text += fmt::format("({})", *column.sub_part);
  if (column.descending) text += " DESC";
  return text;
}

std::vector<std::string> IndexInfo::column_names() const {
  std::vector<std::string> names;
  for (const IndexColumn& column : columns) {
    names.push_back(column.column.empty() ? column.expression : column.column);
  }
  return names;
}

std::string IndexInfo::column_list() const {
  std::string text = "(";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) text += ", ";
    text += key_part_sql(columns[i]);
  }
  return text + ")";
}

const IndexInfo* TableInfo::index(const std::string& index_name) const {
  for (const IndexInfo& candidate : indexes) {
    if (iequals(candidate.name, index_name)) return &candidate;
  }
  return nullptr;
}

const ColumnInfo* TableInfo::column(const std::string& column_name) const {
  for (const ColumnInfo& candidate : columns) {
    if (iequals(candidate.name, column_name)) return &candidate;
  }
  return nullptr;
}

const ColumnProfile* TableInfo::profile(const std::string& column_name) const {
  for (const auto& [profiled, counted] : profiles) {
    if (iequals(profiled, column_name)) return &counted;
  }
  return nullptr;
}

const IndexInfo* TableInfo::clustered_index() const {
  if (!iequals(engine, "InnoDB")) return nullptr;
  for (const IndexInfo& candidate : indexes) {
    if (candidate.primary()) return &candidate;
  }
  // Without a PRIMARY KEY, InnoDB clusters on the first UNIQUE key of NOT NULL columns.
  for (const IndexInfo& candidate : indexes) {
    if (!candidate.unique || !candidate.btree()) continue;
    bool not_null = std::none_of(candidate.columns.begin(), candidate.columns.end(),
                                 [](const IndexColumn& c) { return c.nullable; });
    if (not_null) return &candidate;
  }
  return nullptr;
}

std::string TableInfo::auto_increment_key() const {
  for (const IndexInfo& candidate : indexes) {
    if (!candidate.primary() || candidate.columns.size() != 1) continue;
    const ColumnInfo* info = column(candidate.columns[0].column);
    if (info != nullptr && ascii_lower(info->extra).find("auto_increment") != std::string::npos) {
      return info->name;
    }
  }
  return "";
}

std::optional<std::uint64_t> TableInfo::distinct(const std::string& column_name) const {
  if (const ColumnProfile* counted = profile(column_name)) return counted->distinct;
  std::optional<std::uint64_t> best;
  for (const IndexInfo& candidate : indexes) {
    if (!candidate.btree() || candidate.columns.empty() ||
        !iequals(candidate.columns[0].column, column_name) || candidate.columns[0].sub_part) {
      continue;
    }
    if (candidate.unique && candidate.columns.size() == 1 && rows() > 0) return rows();
    const std::optional<std::uint64_t>& cardinality = candidate.columns[0].cardinality;
    if (cardinality && *cardinality > 0) best = std::max(best.value_or(0), *cardinality);
  }
  return best;
}

std::string TableInfo::rows_text() const {
  if (!rows_counted) return "~" + format_thousands(rows_estimate);
  return (rows_counted_is_lower_bound ? "at least " : "") + format_thousands(*rows_counted);
}

std::vector<std::string> TableInfo::stale_statistics_evidence() const {
  std::vector<std::string> reasons;
  const std::uint64_t count = rows();
  if (count == 0) return reasons;  // empty, or not known to be non-empty
  const std::string rows_text = this->rows_text();
  if (rows_estimate == 0) {
    reasons.push_back(fmt::format("TABLE_ROWS says 0, but the table has {} rows", rows_text));
  }
  std::string zero;
  for (const IndexInfo& candidate : indexes) {
    if (!candidate.btree() || candidate.type == "HASH") continue;
    for (const IndexColumn& column : candidate.columns) {
      if (!column.cardinality || *column.cardinality == 0) {
        zero += fmt::format("{}{}.{} {}", zero.empty() ? "" : ", ", candidate.name, column.column,
                            column.cardinality ? "0" : "NULL");
      }
    }
  }
  if (!zero.empty()) {
    reasons.push_back(
        fmt::format("SHOW INDEX cardinality {} on a table with {} rows", zero, rows_text));
  }
  // A UNIQUE key of NOT NULL whole columns has one value per row: its cardinality is the rows.
  constexpr std::uint64_t kMinRows = 50;
  if (zero.empty() && count >= kMinRows) {
    for (const IndexInfo& candidate : indexes) {
      if (!candidate.unique || !candidate.btree() || candidate.columns.empty()) continue;
      const bool whole = std::none_of(
          candidate.columns.begin(), candidate.columns.end(),
          [](const IndexColumn& c) { return c.nullable || c.sub_part || c.column.empty(); });
      const std::optional<std::uint64_t>& cardinality = candidate.columns.back().cardinality;
      if (whole && cardinality && *cardinality * 2 < count) {
        reasons.push_back(fmt::format("UNIQUE {} {} has cardinality {}, but the table has {} rows",
                                      candidate.name, candidate.column_list(),
                                      format_thousands(*cardinality), rows_text));
        break;
      }
    }
  }
  if (stats_rows && count >= kMinRows && *stats_rows * 2 < count) {
    reasons.push_back(fmt::format(
        "the persistent statistics (mysql.innodb_table_stats) were "
        "computed on {} rows{}",
        format_thousands(*stats_rows), stats_updated.empty() ? "" : " at " + stats_updated));
  }
  return reasons;
}

const TableInfo* SchemaInfo::table(const std::string& name) const {
  for (const TableInfo& candidate : tables) {
    if (candidate.name == name) return &candidate;
  }
  for (const TableInfo& candidate : tables) {
    if (iequals(candidate.name, name)) return &candidate;
  }
  return nullptr;
}

}  // namespace sqlmeasure
