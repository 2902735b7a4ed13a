#pragma once
// A screen's budget: the most a view of it may take after the change, as its median and p95
// in ms (docs/verdicts.md, "Budgets"). Declared in the screen file ([budget]) or in
// sqlmeasure.toml ([[budget]]); a run records the screen file's in its results file.
#include <optional>
#include <string>

namespace sqlmeasure {

struct Budget {
  std::optional<double> median_ms, p95_ms;  // at least one is set
  std::string source;                       // where it was declared: "screens/home.toml:7:1"
  bool operator==(const Budget&) const = default;
};

// A view's figures against a budget.
struct BudgetCheck {
  Budget budget;
  double median_ms = 0, p95_ms = 0;  // the figures held to it, per view
  bool median_over = false, p95_over = false;
  [[nodiscard]] bool over() const { return median_over || p95_over; }
  // "over budget: median 61.20 > 50.00 ms (screens/home.toml:7:1)", or "within budget:
  // median 12.10 ≤ 50.00 ms, p95 20.30 ≤ 80.00 ms (sqlmeasure.toml:12:1)".
  [[nodiscard]] std::string describe() const;
};
[[nodiscard]] BudgetCheck check_budget(const Budget& budget, double median_ms, double p95_ms);

}  // namespace sqlmeasure
