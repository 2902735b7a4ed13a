#pragma once
// Drift (docs/history.md, "Drift"): a new run judged against the recent history of the same
// database and endpoint, screen by screen — its median above the prediction bound of the last
// runs' medians and above the verdict rule's threshold and floor, its rows examined above all
// of theirs, or its plan another than the last run's.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/history.h"
#include "sqlmeasure/verdict_rule.h"

namespace sqlmeasure {

struct DriftRule {
  std::size_t window = 20;    // the last N runs of a screen (same database, endpoint and SQL)
  std::size_t min_runs = 5;   // fewer: its time and rows are not judged yet (its plan is)
  double confidence = 0.995;  // the one-sided prediction bound of the next median
  VerdictRule verdict;        // threshold, min_delta_ms, min_rows_delta, as compare's
};

enum class DriftKind { kTime, kRows, kPlan };
[[nodiscard]] const char* drift_kind_name(DriftKind kind);  // "time", "rows", "plan"

struct ScreenDrift {
  std::string screen;
  std::size_t against = 0;       // earlier runs of the screen it was judged against (≤ window)
  std::vector<DriftKind> kinds;  // empty: not drifted
  double median_ms = 0;
  double history_median_ms = 0, bound_ms = 0;  // the earlier runs' median and the bound
  // The whole run's slowdown (DriftReport::run_factor) the median was divided by before it was
  // judged: 1 when the run was not slower as a whole.
  double run_factor = 1;
  std::uint64_t rows = 0, history_rows_max = 0;
  std::string plan_since;  // the run whose plan this one no longer has (id, label)
  // Each plan change of the screen's queries since that run, as compare words it (key, access
  // type, … [its kind and evidence]).
  std::vector<std::string> plan_changes;
  [[nodiscard]] bool drifted() const { return !kinds.empty(); }
  // "median 0.95 ms above 0.52 ms (the 99.5 % bound of 20 runs, median 0.41 ms: +131.7 %);
  // plan changed since 20261206-030000-abc123 (nightly-41): …".
  [[nodiscard]] std::string describe() const;
};

struct DriftReport {
  std::string identity;              // "shop at db:3306"
  std::size_t history_runs = 0;      // earlier complete runs of that identity
  std::string first_run, last_run;   // the oldest and newest of those judged against
  std::vector<ScreenDrift> screens;  // each screen of the run, in its order
  // How much slower the run was as a whole: the median over its screens (3 or more judged) of
  // each one's median against its history's. A machine or server slower for everything (a
  // neighbour's load, a colder cache) is not a screen's drift: above 1, every median is divided
  // by it before it is judged, and the summary says so.
  double run_factor = 1;
  [[nodiscard]] std::size_t drifted() const;
  [[nodiscard]] bool any(DriftKind kind) const;
  // "drift: 1 of 19 screens drifted, against the last 20 runs of shop at db:3306 (… … …)"
  [[nodiscard]] std::string summary() const;
};

// `run` (kept as `entry`) against the earlier complete runs of its database and endpoint in
// `history` (read before it was kept). A plan that changed is explained from the two runs'
// results files (`directory`/runs/): each query's plan change, with its kind and evidence.
[[nodiscard]] DriftReport judge_drift(const RunResult& run, const HistoryEntry& entry,
                                      const HistoryRead& history, const std::string& directory,
                                      const DriftRule& rule);

// The point judged against `earlier` (oldest first, the same screen and SQL, complete runs),
// without the plan's explanation: what judge_drift does per screen, and `history` per run.
[[nodiscard]] ScreenDrift judge_point(const HistoryPoint& point,
                                      const std::vector<const HistoryPoint*>& earlier,
                                      const DriftRule& rule);

}  // namespace sqlmeasure
