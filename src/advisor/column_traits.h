#pragma once
// What a column's values and type say about it: few values, or a creation time.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/advisor.h"

namespace sqlmeasure::advisor {

// A column with few values, as the low-cardinality and composite-order rules define it.
struct LowCardinality {
  std::uint64_t distinct = 0;
  const ColumnProfile* profile = nullptr;  // counted values, when there are
  double dominant_share = 0;               // of the most frequent value, when counted
};
[[nodiscard]] std::optional<LowCardinality> low_cardinality(const TableInfo& table,
                                                            const std::string& column,
                                                            const AdvisorThresholds& limits);

// A B-tree secondary index, on a table large enough to be judged on selectivity (min_rows),
// whose leading key part is a column with few values.
struct LowCardinalityLead {
  const TableInfo* table = nullptr;
  const IndexInfo* index = nullptr;
  LowCardinality low;
};
// Every such index, in schema order: what the low-cardinality and composite-order rules judge.
[[nodiscard]] std::vector<LowCardinalityLead> low_cardinality_leads(
    const SchemaInfo& schema, const AdvisorThresholds& limits);

// A DATETIME/TIMESTAMP/DATE column that records when the row was created: by name (creat...,
// insert...), or by a CURRENT_TIMESTAMP default that no update changes.
[[nodiscard]] bool creation_time(const ColumnInfo& column);

}  // namespace sqlmeasure::advisor
