// --against / --plans-from: production's plans, for compare/'s plan-fidelity check.
#include "plans_from_flag.h"

#include "sqlmeasure/results_file.h"

namespace sqlmeasure {

void PlansFromFlag::add_to(CLI::App& app) {
  app.add_option(name_, path_,
                 "PROD.json: production's plans (a results file, or explain's JSON, recorded "
                 "there): says which queries plan otherwise here, and why");
}

void PlansFromFlag::read() {
  if (path_) production_ = read_plans_file(*path_);
}

std::optional<PlanFidelity> PlansFromFlag::check(const RunResult& here) const {
  if (!production_) return std::nullopt;
  return check_plan_fidelity(here, *production_, *path_);
}

Comparison PlansFromFlag::noted(const Comparison& comparison,
                                const std::vector<const RunResult*>& before) const {
  Comparison noted = comparison;
  if (!before.empty()) {
    if (std::optional<PlanFidelity> fidelity = check(*before.front())) {
      note_plan_fidelity(noted, std::move(*fidelity));
    }
  }
  return noted;
}

}  // namespace sqlmeasure
