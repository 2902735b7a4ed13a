#pragma once
// An EXPLAIN plan as JSON, the same in the results file and in every JSON report. Shared by
// src/results/ and src/report/, the two users of nlohmann_json.
#include <nlohmann/json.hpp>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

[[nodiscard]] nlohmann::json plan_to_json(const std::vector<PlanRow>& plan);

}  // namespace sqlmeasure
