// Before/after comparison of two runs: screens matched by name, queries by name within a
// screen, each judged by the verdict rule, regressions listed first.
#include "sqlmeasure/compare.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "evidence.h"
#include "warnings.h"

namespace sqlmeasure {
namespace {

// Index of the first element named `name` not yet taken, or -1; marks it taken.
template <typename T>
int take_by_name(const std::vector<T>& items, const std::string& name, std::vector<bool>& taken) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!taken[i] && items[i].name == name) {
      taken[i] = true;
      return static_cast<int>(i);
    }
  }
  return -1;
}

QueryComparison compare_query(const QueryResult& before, const QueryResult& after,
                              const VerdictRule& rule, const ChangeRecord* change) {
  QueryComparison query = compare_deterministic(before, after, rule);
  query.touched = change == nullptr || reads_a_table_of(before, after, *change);
  query.time = time_evidence(before.samples_ns, after.samples_ns, rule);
  if (after.error && !before.error) {
    // It used to finish and now fails or times out: slower by any measure, whatever the
    // samples taken before the failure say.
    query.time.change = Change::kRegressed;
  }
  return query;
}

ScreenComparison compare_screen(const ScreenResult& before, const ScreenResult& after,
                                const VerdictRule& rule, const ChangeRecord* change,
                                std::vector<Warning>& warnings) {
  ScreenComparison screen;
  screen.name = before.name;
  screen.time = time_evidence(before.view_samples(), after.view_samples(), rule);
  screen.rows = rows_evidence(before.rows_examined, after.rows_examined, rule);
  std::vector<bool> taken(after.queries.size(), false);
  for (const QueryResult& old_query : before.queries) {
    const int match = take_by_name(after.queries, old_query.name, taken);
    if (match < 0) {
      screen.queries_only_before.push_back(old_query.name);
      continue;
    }
    const QueryResult& new_query = after.queries[static_cast<std::size_t>(match)];
    screen.queries.push_back(compare_query(old_query, new_query, rule, change));
    for (Warning& warning : query_warnings(screen.name, old_query, new_query)) {
      warnings.push_back(std::move(warning));
    }
  }
  for (std::size_t i = 0; i < after.queries.size(); ++i) {
    if (!taken[i]) screen.queries_only_after.push_back(after.queries[i].name);
  }
  return screen;
}

ScreenComparison one_sided_screen(const ScreenResult& only, Presence presence,
                                  const VerdictRule& rule) {
  const bool before = presence == Presence::kOnlyBefore;
  const std::vector<std::int64_t> none;
  ScreenComparison screen;
  screen.name = only.name;
  screen.presence = presence;
  screen.time = before ? time_evidence(only.view_samples(), none, rule)
                       : time_evidence(none, only.view_samples(), rule);
  screen.rows.before = before ? only.rows_examined : 0;
  screen.rows.after = before ? 0 : only.rows_examined;
  for (const QueryResult& query : only.queries) {
    (before ? screen.queries_only_before : screen.queries_only_after).push_back(query.name);
  }
  return screen;
}

// Gated regressions first, then regressions the rule does not gate, then improvements,
// then everything else.
int rank(const ScreenComparison& screen, const VerdictRule& rule) {
  if (screen.regressed(rule)) return 0;
  switch (screen.verdict()) {
    case Verdict::kRegressed:
      return 1;
    case Verdict::kImproved:
      return 2;
    default:
      return 3;
  }
}

void order_screens(std::vector<ScreenComparison>& screens, const VerdictRule& rule) {
  std::stable_sort(screens.begin(), screens.end(),
                   [&rule](const ScreenComparison& x, const ScreenComparison& y) {
                     const int rank_x = rank(x, rule), rank_y = rank(y, rule);
                     return rank_x != rank_y ? rank_x < rank_y : x.name < y.name;
                   });
}

}  // namespace

void Comparison::resort() { order_screens(screens, rule); }

Comparison compare_runs(const RunResult& before, const RunResult& after, const VerdictRule& rule) {
  Comparison comparison;
  comparison.before_label = before.label;
  comparison.after_label = after.label;
  comparison.rule = rule;
  comparison.change = after.change;
  comparison.warnings = run_warnings(before, after);
  // A change whose tables are all known lets time changes be attributed (attribution.cpp).
  const ChangeRecord* change =
      after.change && after.change->tables_known ? &*after.change : nullptr;

  std::vector<bool> taken(after.screens.size(), false);
  for (const ScreenResult& old_screen : before.screens) {
    const int match = take_by_name(after.screens, old_screen.name, taken);
    if (match < 0) {
      comparison.screens.push_back(one_sided_screen(old_screen, Presence::kOnlyBefore, rule));
    } else {
      comparison.screens.push_back(compare_screen(old_screen,
                                                  after.screens[static_cast<std::size_t>(match)],
                                                  rule, change, comparison.warnings));
    }
  }
  for (std::size_t i = 0; i < after.screens.size(); ++i) {
    if (!taken[i]) {
      comparison.screens.push_back(one_sided_screen(after.screens[i], Presence::kOnlyAfter, rule));
    }
  }
  if (change != nullptr) attribute_time_changes(comparison);
  order_screens(comparison.screens, rule);
  return comparison;
}

}  // namespace sqlmeasure
