#pragma once
// Parts of a run that are the same JSON in the results file and in every JSON report: a
// query's server warnings and what a live compare changed (its hint problems included).
// Shared by src/results/ and src/report/, the two users of nlohmann_json.
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

[[nodiscard]] nlohmann::json warnings_to_json(const std::vector<ServerWarning>& warnings);
[[nodiscard]] nlohmann::json hint_problems_to_json(const std::vector<HintProblem>& problems);
[[nodiscard]] nlohmann::json change_to_json(const std::optional<ChangeRecord>& change);

}  // namespace sqlmeasure
