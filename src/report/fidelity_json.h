#pragma once
// The JSON of a plan-fidelity check (docs/verdicts.md, "Plans unlike production's"), as
// `explain --against --format json` and the comparison JSON both write it. Private to
// src/report/.
#include <nlohmann/json.hpp>

#include "sqlmeasure/plan_fidelity.h"

namespace sqlmeasure {

[[nodiscard]] nlohmann::json fidelity_json(const PlanFidelity& fidelity);

}  // namespace sqlmeasure
