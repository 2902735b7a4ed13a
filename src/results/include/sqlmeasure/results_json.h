#pragma once
// The parts of a run that read the same as JSON in the results file and in every JSON report:
// an EXPLAIN plan, a query's server warnings, and what a live compare changed (its hint
// problems included). For src/results/ and src/report/, two of the three nlohmann_json users.
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

[[nodiscard]] nlohmann::json plan_to_json(const std::vector<PlanRow>& plan);
[[nodiscard]] nlohmann::json warnings_to_json(const std::vector<ServerWarning>& warnings);
[[nodiscard]] nlohmann::json hint_problems_to_json(const std::vector<HintProblem>& problems);
[[nodiscard]] nlohmann::json change_to_json(const std::optional<ChangeRecord>& change);

}  // namespace sqlmeasure
