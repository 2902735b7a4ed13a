// A view's figures against its budget (docs/verdicts.md, "Budgets").
#include "sqlmeasure/budget.h"

#include <fmt/format.h>

#include "sqlmeasure/number_text.h"

namespace sqlmeasure {

BudgetCheck check_budget(const Budget& budget, double median_ms, double p95_ms) {
  BudgetCheck check{budget, median_ms, p95_ms};
  check.median_over = budget.median_ms && median_ms > *budget.median_ms;
  check.p95_over = budget.p95_ms && p95_ms > *budget.p95_ms;
  return check;
}

std::string BudgetCheck::describe() const {
  std::string over, within;
  const auto add = [](std::string& text, const std::string& part) {
    text += (text.empty() ? "" : ", ") + part;
  };
  if (budget.median_ms) {
    add(median_over ? over : within,
        fmt::format("median {} {} {} ms", format_ms(median_ms), median_over ? ">" : "≤",
                    format_ms(*budget.median_ms)));
  }
  if (budget.p95_ms) {
    add(p95_over ? over : within, fmt::format("p95 {} {} {} ms", format_ms(p95_ms),
                                              p95_over ? ">" : "≤", format_ms(*budget.p95_ms)));
  }
  if (!over.empty()) return fmt::format("over budget: {} ({})", over, budget.source);
  return fmt::format("within budget: {} ({})", within, budget.source);
}

}  // namespace sqlmeasure
