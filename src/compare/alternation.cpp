// Alternation (docs/verdicts.md, "Drift and alternation"). The phases of a live compare run
// one after another, so load that comes and goes between them would read as a change. The
// verdict pools every phase of each side; a time verdict then stands only if every pair
// of a before and an after phase shows the same effect on its own: the change must stand
// out from all the variation the unchanged schema showed between its phases.
#include "sqlmeasure/alternation.h"

#include <fmt/format.h>

#include <algorithm>

#include "sqlmeasure/number_text.h"

namespace sqlmeasure {
namespace {

const QueryComparison* find_query(const ScreenComparison& screen, const std::string& name) {
  for (const QueryComparison& query : screen.queries) {
    if (query.name == name) return &query;
  }
  return nullptr;
}

const ScreenComparison* find_screen(const Comparison& comparison, const std::string& name) {
  for (const ScreenComparison& screen : comparison.screens) {
    if (screen.name == name) return &screen;
  }
  return nullptr;
}

// A pair of phases has too few samples for significance on its own, but its medians must
// show the effect in the pooled verdict's direction.
bool shows(Change change, const TimeEvidence& pair, const VerdictRule& rule) {
  return effect(pair.ratio, pair.delta_ms, rule) == change;
}

// Returns the first pair that does not show `time`'s verdict, or nullptr.
const PhasePair* unconfirmed(const TimeEvidence& time, const std::vector<PhasePair>& pairs,
                             const std::string& screen, const std::string* query,
                             const VerdictRule& rule) {
  for (const PhasePair& pair : pairs) {
    const ScreenComparison* other = find_screen(pair.comparison, screen);
    // Not measured in both phases of the pair (--iterations auto stopped measuring it).
    if (other == nullptr || other->presence != Presence::kBoth) continue;
    const TimeEvidence* evidence = &other->time;
    if (query != nullptr) {
      const QueryComparison* other_query = find_query(*other, *query);
      if (other_query == nullptr) continue;
      evidence = &other_query->time;
    }
    if (!shows(time.change, *evidence, rule)) return &pair;
  }
  return nullptr;
}

}  // namespace

std::vector<PhasePair> phase_pairs(const std::vector<RunResult>& before_phases,
                                   const std::vector<RunResult>& after_phases,
                                   const VerdictRule& rule) {
  std::vector<PhasePair> pairs;
  for (std::size_t a = 0; a < after_phases.size(); ++a) {
    for (std::size_t b = 0; b < before_phases.size(); ++b) {
      pairs.push_back({fmt::format("before-{} → after-{}", b + 1, a + 1),
                       compare_runs(before_phases[b], after_phases[a], rule)});
    }
  }
  return pairs;
}

Comparison judge_phases(const RunResult& before, const std::string& before_source,
                        const RunResult& after, const std::string& after_source,
                        const std::vector<RunResult>& before_phases,
                        const std::vector<RunResult>& after_phases, const VerdictRule& rule,
                        const GatePolicy& policy, std::chrono::year_month_day today) {
  Comparison comparison = compare_labelled(before, before_source, after, after_source, rule);
  comparison.before_phases = before_phases.size();
  comparison.after_phases = after_phases.size();
  if (before_phases.size() > 1) {
    add_drift_warning(comparison, before_phases.front(), before_phases.back());
  }
  // With one phase a side the pooled comparison is the only pair.
  if (before_phases.size() + after_phases.size() > 2) {
    confirm_across_phases(comparison, phase_pairs(before_phases, after_phases, rule));
  }
  finish_comparison(comparison, policy, today);
  return comparison;
}

bool pairs_rule_out_flag(const std::vector<PhasePair>& pairs, const std::string& screen,
                         const std::string* query, const VerdictRule& rule) {
  TimeEvidence regressed, improved;
  regressed.change = Change::kRegressed;
  improved.change = Change::kImproved;
  return unconfirmed(regressed, pairs, screen, query, rule) != nullptr &&
         unconfirmed(improved, pairs, screen, query, rule) != nullptr;
}

void confirm_across_phases(Comparison& comparison, const std::vector<PhasePair>& pairs) {
  std::string dropped;
  auto check = [&](TimeEvidence& time, const std::string& screen, const std::string* query) {
    if (time.change == Change::kUnchanged) return;
    const PhasePair* pair = unconfirmed(time, pairs, screen, query, comparison.rule);
    if (pair == nullptr) return;
    const ScreenComparison* other = find_screen(pair->comparison, screen);
    double pair_ratio = other->time.ratio;
    if (query != nullptr) pair_ratio = find_query(*other, *query)->time.ratio;
    dropped += fmt::format("{}{}{} {} ({}: {})", dropped.empty() ? "" : ", ", screen,
                           query != nullptr ? "/" + *query : "", format_percent(time.ratio),
                           pair->label, format_percent(pair_ratio));
    time.change = Change::kUnchanged;
  };
  for (ScreenComparison& screen : comparison.screens) {
    if (screen.presence != Presence::kBoth) continue;
    check(screen.time, screen.name, nullptr);
    for (QueryComparison& query : screen.queries) check(query.time, screen.name, &query.name);
    // A screen and its queries agree: flagged on time, it names a query that carries the
    // change through every pair too. When none does — the slowdown moved from one query to
    // another between phases, as load does — the screen is unconfirmed like its queries.
    if (screen.time.change == Change::kUnchanged || screen.queries.empty()) continue;
    const bool carried = std::any_of(
        screen.queries.begin(), screen.queries.end(),
        [&](const QueryComparison& query) { return query.time.change == screen.time.change; });
    if (carried) continue;
    dropped +=
        fmt::format("{}{} {} (no query of it shows it through every pair)",
                    dropped.empty() ? "" : ", ", screen.name, format_percent(screen.time.ratio));
    screen.time.change = Change::kUnchanged;
  }
  if (!dropped.empty()) {
    comparison.warnings.push_back(
        {WarningKind::kUnconfirmed,
         "unconfirmed: not flagged because the alternating phases do not all show it: " + dropped,
         ""});
  }
  comparison.resort();
}

}  // namespace sqlmeasure
