// Budgets and accepted regressions applied to a comparison (docs/verdicts.md).
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sqlmeasure/compare.h"

namespace sqlmeasure {
namespace {

// Only the after side is held to a budget: it is what ships. A side with no complete view has
// no figure to hold.
std::optional<BudgetCheck> check_budget(const ScreenComparison& screen, const GatePolicy& policy) {
  const std::optional<Budget> budget =
      screen.declared_budget ? screen.declared_budget : budget_for(screen.name, policy);
  if (!budget || screen.presence == Presence::kOnlyBefore || screen.time.n_after == 0) {
    return std::nullopt;
  }
  return check_budget(*budget, screen.time.after_ms, screen.after_p95_ms);
}

// Whether `entries` (the unexpired ones naming this screen) accept everything that gates it:
// a screen-wide entry accepts it all; entries naming queries accept it when every query of it
// that fires a gate is named and nothing else (its budget, a screen total no query of it
// explains) gates it.
const Acceptance* accepting(const ScreenComparison& screen, const VerdictRule& rule,
                            const std::vector<const Acceptance*>& entries) {
  for (const Acceptance* entry : entries) {
    if (!entry->query) return entry;
  }
  if (entries.empty() || (screen.over_budget() && rule.fail_on.contains(Gate::kBudget))) {
    return nullptr;
  }
  const Acceptance* first = nullptr;
  for (const QueryComparison& query : screen.queries) {
    if (!query.gated(rule)) continue;
    const auto named = std::find_if(entries.begin(), entries.end(),
                                    [&](const Acceptance* e) { return *e->query == query.name; });
    if (named == entries.end()) return nullptr;
    if (first == nullptr) first = *named;
  }
  return first;  // null when no query of it fires a gate: its total alone does
}

std::string entry_name(const Acceptance& entry) {
  return entry.query ? entry.screen + "/" + *entry.query : entry.screen;
}

}  // namespace

void finish_comparison(Comparison& comparison, const GatePolicy& policy,
                       std::chrono::year_month_day today) {
  // Finishing twice says the same as once: its own warnings are replaced, not repeated.
  std::erase_if(comparison.warnings, [](const Warning& warning) {
    return warning.kind == WarningKind::kAcceptExpired ||
           warning.kind == WarningKind::kAcceptUnused;
  });
  std::vector<bool> used(policy.accepted.size(), false);
  for (ScreenComparison& screen : comparison.screens) {
    screen.budget = check_budget(screen, policy);
    screen.accepted.reset();
    if (!screen.gated(comparison.rule)) continue;
    std::vector<const Acceptance*> entries;
    for (const Acceptance& entry : policy.accepted) {
      if (entry.screen == screen.name && entry.expires >= today) entries.push_back(&entry);
    }
    if (const Acceptance* entry = accepting(screen, comparison.rule, entries)) {
      screen.accepted = *entry;
      for (const Acceptance* e : entries) {
        used[static_cast<std::size_t>(e - policy.accepted.data())] = true;
      }
    }
  }
  for (std::size_t i = 0; i < policy.accepted.size(); ++i) {
    const Acceptance& entry = policy.accepted[i];
    if (entry.expires < today) {
      comparison.warnings.push_back(
          {WarningKind::kAcceptExpired,
           fmt::format("accept expired: {} ({}) expired on {}", entry_name(entry), entry.source,
                       date_text(entry.expires)),
           "what it accepted fails the gate again; fix it, or renew the entry with a new date "
           "and reason"});
    } else if (!used[i]) {
      comparison.warnings.push_back(
          {WarningKind::kAcceptUnused,
           fmt::format("accept unused: {} ({}) accepts nothing in this comparison",
                       entry_name(entry), entry.source),
           "it no longer fails, was not measured, or its screen also fails for another reason; "
           "remove it once it is fixed"});
    }
  }
  comparison.resort();
}

}  // namespace sqlmeasure
