// Budgets by screen name, and the dates [[accept]] entries expire on (docs/verdicts.md).
#include "sqlmeasure/gate_policy.h"

#include <fmt/format.h>
#include <fnmatch.h>

namespace sqlmeasure {

std::optional<Budget> budget_for(const std::string& screen, const GatePolicy& policy) {
  for (const BudgetRule& rule : policy.budgets) {
    for (const std::string& glob : rule.screens) {
      if (fnmatch(glob.c_str(), screen.c_str(), 0) == 0) return rule.budget;
    }
  }
  return std::nullopt;
}

std::string date_text(std::chrono::year_month_day date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

std::chrono::year_month_day utc_today() {
  return std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

}  // namespace sqlmeasure
