#pragma once
// What a CI gate needs beyond before/after (docs/verdicts.md, "Budgets" and "Accepted
// regressions"): each screen's budget, checked on the after side, and the reviewed list of
// regressions a team accepts until a date. Both come from sqlmeasure.toml (and budgets from
// screen files too). Plain data and lookups: compare judges a comparison by them
// (finish_comparison in compare.h).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/budget.h"
#include "sqlmeasure/error.h"

namespace sqlmeasure {

// [[budget]] in sqlmeasure.toml: the budget of every screen matching one of `screens` (globs)
// that declares none in its own file. The first matching entry wins.
struct BudgetRule {
  std::vector<std::string> screens;
  Budget budget;
};

// [[accept]]: a regression the team has reviewed and accepts until `expires` (inclusive, UTC).
// Without `query` it accepts whatever fails the screen, its budget included; with `query` only
// that query's own failures (a screen failing for another reason still fails).
struct Acceptance {
  std::string screen;
  std::optional<std::string> query;
  std::string reason;
  std::chrono::year_month_day expires;
  std::string source;  // "sqlmeasure.toml:21:1"
};

struct GatePolicy {
  std::vector<BudgetRule> budgets;
  std::vector<Acceptance> accepted;
};

// The budget of the first [[budget]] whose globs match `screen`. Screens loaded for a run get
// it when their file declares none (so the results file records it); compare asks it for
// screens whose after run recorded none.
[[nodiscard]] std::optional<Budget> budget_for(const std::string& screen, const GatePolicy& policy);

// "2027-01-31".
[[nodiscard]] std::string date_text(std::chrono::year_month_day date);
// Today's date in UTC.
[[nodiscard]] std::chrono::year_month_day utc_today();

}  // namespace sqlmeasure
