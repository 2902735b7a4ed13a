// Before/after comparison of two runs: screens matched by name, queries by name within a
// screen, each judged by the verdict rule, regressions listed first.
#include "sqlmeasure/compare.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "evidence.h"
#include "plan_diff.h"
#include "sqlmeasure/stats.h"
#include "warnings.h"

namespace sqlmeasure {
namespace {

// The p95 of a side's per-view samples, for a budget; 0 without samples.
double p95_ms(const std::vector<std::int64_t>& samples_ns) {
  if (samples_ns.empty()) return 0;
  std::vector<double> ms = to_ms(samples_ns);
  return summarize_in_place(ms).p95;
}

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

// The two runs a screen's queries come from: what they recorded of the indexes their plans
// use names the causes of plan changes.
struct Runs {
  const RunResult& before;
  const RunResult& after;
};

QueryComparison compare_query(const QueryResult& before, const QueryResult& after,
                              const VerdictRule& rule, const ChangeRecord* change,
                              const Runs& runs) {
  QueryComparison query = compare_deterministic(before, after, rule);
  classify_plan_changes(query, before, after, runs.before, runs.after);
  query.touched = change == nullptr || reads_a_table_of(before, after, *change);
  // A side that always failed gives no time: the samples before a timeout are not its
  // figure, and a query that never ran is not 0 ms.
  const std::vector<std::int64_t> none;
  const bool before_ran = !query.failed_before.always(), after_ran = !query.failed_after.always();
  query.time = time_evidence(before_ran ? before.samples_ns : none,
                             after_ran ? after.samples_ns : none, rule);
  if (query.outcome != QueryOutcome::kCompared) query.time.change = Change::kUnchanged;
  return query;
}

// The queries of one side that count towards the screen's figures: all but those some side
// of which always failed (their outcome is the finding; their missing samples are not 0 ms).
std::vector<QueryResult> comparable(const std::vector<QueryResult>& queries,
                                    const std::vector<QueryComparison>& compared) {
  std::vector<QueryResult> kept;
  for (const QueryResult& query : queries) {
    const bool excluded =
        std::any_of(compared.begin(), compared.end(), [&](const QueryComparison& q) {
          return q.name == query.name && q.outcome != QueryOutcome::kCompared;
        });
    if (!excluded) kept.push_back(query);
  }
  return kept;
}

ScreenComparison compare_screen(const ScreenResult& before, const ScreenResult& after,
                                const VerdictRule& rule, const ChangeRecord* change,
                                const Runs& runs, std::vector<Warning>& warnings) {
  ScreenComparison screen;
  screen.name = before.name;
  std::vector<bool> taken(after.queries.size(), false);
  for (const QueryResult& old_query : before.queries) {
    const int match = take_by_name(after.queries, old_query.name, taken);
    if (match < 0) {
      screen.queries_only_before.push_back(old_query.name);
      continue;
    }
    const QueryResult& new_query = after.queries[static_cast<std::size_t>(match)];
    screen.queries.push_back(compare_query(old_query, new_query, rule, change, runs));
    for (Warning& warning : query_warnings(screen.name, old_query, new_query)) {
      warnings.push_back(std::move(warning));
    }
  }
  for (std::size_t i = 0; i < after.queries.size(); ++i) {
    if (!taken[i]) screen.queries_only_after.push_back(after.queries[i].name);
  }
  const bool all_compared =
      std::all_of(screen.queries.begin(), screen.queries.end(),
                  [](const QueryComparison& q) { return q.outcome == QueryOutcome::kCompared; });
  if (all_compared) {
    screen.time = time_evidence(before.view_samples(), after.view_samples(), rule);
    screen.rows = rows_evidence(before.rows_examined, after.rows_examined, rule);
  } else {
    // The screen without the queries that failed on a side: what the rest of it costs.
    const std::vector<QueryResult> kept_before = comparable(before.queries, screen.queries);
    const std::vector<QueryResult> kept_after = comparable(after.queries, screen.queries);
    screen.time = time_evidence(per_view_samples(kept_before), per_view_samples(kept_after), rule);
    screen.rows = rows_evidence(rows_examined_per_view(kept_before),
                                rows_examined_per_view(kept_after), rule);
  }
  screen.after_p95_ms =
      p95_ms(all_compared ? after.view_samples()
                          : per_view_samples(comparable(after.queries, screen.queries)));
  screen.declared_budget = after.budget;
  screen.sampling_before = before.sampling;
  screen.sampling_after = after.sampling;
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
  if (!before) {
    screen.after_p95_ms = p95_ms(only.view_samples());
    screen.declared_budget = only.budget;
  }
  return screen;
}

// Gated errors first (a page that breaks matters more than one that slows), then the other
// screens failing the gate, then the accepted ones and regressions the rule does not gate,
// then improvements, then the rest.
int rank(const ScreenComparison& screen, const VerdictRule& rule) {
  const Verdict verdict = screen.verdict();
  if (screen.fails_gate(rule)) return verdict == Verdict::kError ? 0 : 1;
  if (screen.gated(rule)) return 2;
  switch (verdict) {
    case Verdict::kError:
    case Verdict::kRegressed:
    case Verdict::kOverBudget:
      return 2;
    case Verdict::kImproved:
    case Verdict::kFixed:
      return 3;
    default:
      return 4;
  }
}

void order_screens(std::vector<ScreenComparison>& screens, const VerdictRule& rule) {
  std::stable_sort(screens.begin(), screens.end(),
                   [&rule](const ScreenComparison& x, const ScreenComparison& y) {
                     const int rank_x = rank(x, rule), rank_y = rank(y, rule);
                     return rank_x != rank_y ? rank_x < rank_y : x.name < y.name;
                   });
}

Comparison compare_aligned(const RunResult& before, const RunResult& after,
                           const VerdictRule& rule) {
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
      comparison.screens.push_back(
          compare_screen(old_screen, after.screens[static_cast<std::size_t>(match)], rule, change,
                         {before, after}, comparison.warnings));
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

}  // namespace

void Comparison::resort() { order_screens(screens, rule); }

Comparison compare_runs(const RunResult& before, const RunResult& after, const VerdictRule& rule) {
  // Rows and checksums compare on the variants both sides inspected (align_inspections):
  // copies, only when the two were inspected to different depths.
  if (inspected_alike(before, after)) return compare_aligned(before, after, rule);
  RunResult aligned_before = before, aligned_after = after;
  align_inspections(aligned_before, aligned_after);
  return compare_aligned(aligned_before, aligned_after, rule);
}

}  // namespace sqlmeasure
