// A column with few values (from counted values or sound statistics), and a creation time.
#include "column_traits.h"

#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {

std::optional<LowCardinality> low_cardinality(const TableInfo& table, const std::string& column,
                                              const AdvisorThresholds& limits) {
  const ColumnProfile* profile = table.profile(column);
  // Without counted values, trust SHOW INDEX only when the statistics look sound.
  if (profile == nullptr && table.statistics_look_stale()) return std::nullopt;
  if (profile != nullptr && profile->distinct_capped) return std::nullopt;
  const std::optional<std::uint64_t> distinct = table.distinct(column);
  if (!distinct || *distinct == 0 || *distinct > limits.low_cardinality_max_distinct) {
    return std::nullopt;
  }
  LowCardinality low;
  low.distinct = *distinct;
  low.profile = profile;
  if (profile != nullptr && !profile->top.empty() && profile->rows_read > 0) {
    low.dominant_share =
        static_cast<double>(profile->top.front().count) / static_cast<double>(profile->rows_read);
  }
  // Ten evenly spread values still make a useful index; two, or one value owning most rows,
  // do not.
  if (low.distinct <= limits.few_values_max_distinct ||
      low.dominant_share >= limits.dominant_value_share) {
    return low;
  }
  return std::nullopt;
}

std::vector<LowCardinalityLead> low_cardinality_leads(const SchemaInfo& schema,
                                                      const AdvisorThresholds& limits) {
  std::vector<LowCardinalityLead> leads;
  for (const TableInfo& table : schema.tables) {
    if (table.rows() < limits.min_rows) continue;
    for (const IndexInfo& index : table.indexes) {
      if (index.primary() || !index.btree() || index.columns.empty() ||
          index.columns[0].column.empty()) {
        continue;
      }
      if (std::optional<LowCardinality> low =
              low_cardinality(table, index.columns[0].column, limits)) {
        leads.push_back({&table, &index, *low});
      }
    }
  }
  return leads;
}

bool creation_time(const ColumnInfo& column) {
  if (column.data_type != "datetime" && column.data_type != "timestamp" &&
      column.data_type != "date") {
    return false;
  }
  const std::string name = ascii_lower(column.name);
  if (name.find("creat") != std::string::npos || name.find("insert") != std::string::npos) {
    return true;
  }
  const std::string fallback = column.default_value ? ascii_lower(*column.default_value) : "";
  return fallback.find("current_timestamp") != std::string::npos &&
         ascii_lower(column.extra).find("on update") == std::string::npos;
}

}  // namespace sqlmeasure::advisor
