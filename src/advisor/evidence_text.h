#pragma once
// How findings write what they saw: shares, values, indexes, SQL on one line, plans.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/index_model.h"
#include "sqlmeasure/scenario_evidence.h"

namespace sqlmeasure::advisor {

// 98.5 %, 0.02 %
[[nodiscard]] std::string share_text(double share);
// 'text', 17 or NULL, for a value in the evidence.
[[nodiscard]] std::string value_text(const std::optional<std::string>& value);
// "0 → 98.5 %, 1 → 1.5 %"
[[nodiscard]] std::string top_values_text(const ColumnProfile& profile);
// "`deleted` (deleted)" style: the index and its columns.
[[nodiscard]] std::string index_text(const IndexInfo& index);
// "works: ref on category_id (rows 120; Using where)" for each plan row, joined by " | ".
[[nodiscard]] std::string plan_text(const std::vector<PlanRow>& plan);
[[nodiscard]] bool plan_has_filesort(const std::vector<PlanRow>& plan);

}  // namespace sqlmeasure::advisor
