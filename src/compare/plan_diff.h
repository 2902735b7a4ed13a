#pragma once
// Before/after EXPLAIN plans, reduced to the changes a reviewer must see. Private to
// src/compare/.
#include <vector>

#include "sqlmeasure/compare.h"

namespace sqlmeasure {

// Rows are matched by (id, table) in order; a table on one side only is a change too.
// Only key, access type and filesort/temporary count: the rows estimate and the rest of
// Extra move with statistics and server versions, not with the plan.
[[nodiscard]] std::vector<PlanChange> diff_plans(const std::vector<PlanRow>& before,
                                                 const std::vector<PlanRow>& after);

}  // namespace sqlmeasure
