#pragma once
// Before/after EXPLAIN plans, reduced to the changes a reviewer must see. Private to
// src/compare/.
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"

namespace sqlmeasure {

// Rows are matched by (id, table) in order; a table on one side only is a change too.
// Only key, access type and filesort/temporary count: the rows estimate and the rest of
// Extra move with statistics and server versions, not with the plan.
[[nodiscard]] std::vector<PlanChange> diff_plans(const std::vector<PlanRow>& before,
                                                 const std::vector<PlanRow>& after);

// A plan row's key or access type, "(none)" when EXPLAIN printed NULL or nothing.
[[nodiscard]] std::string or_none(const std::string& field);
[[nodiscard]] bool uses_filesort(const PlanRow& row);
[[nodiscard]] bool uses_temporary(const PlanRow& row);

// Names what kind of change each of `query`'s plan changes is (PlanChange::causes), from the
// queries' SQL (hints, the values they look up) and what each run recorded of the indexes its
// plans use.
void classify_plan_changes(QueryComparison& query, const QueryResult& before,
                           const QueryResult& after, const RunResult& before_run,
                           const RunResult& after_run);

}  // namespace sqlmeasure
