#pragma once
// Plan baselines (docs/history.md, "Plan baselines"): the plan of every query, accepted once and
// kept in a file beside the scenarios (SCENARIOS/plan-baseline.json) that a pull request reviews;
// each later run says which queries left their accepted plan, with the kind of change and its
// evidence as compare gives them. What a reviewer should see changes the file; a rows estimate
// does not.
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/results.h"
#include "sqlmeasure/verdict_rule.h"

namespace sqlmeasure {

inline constexpr int kPlanBaselineVersion = 1;
inline constexpr const char* kPlanBaselineFile = "plan-baseline.json";

// A plan row as the baseline keeps it: what a plan change is made of, and the key parts.
struct AcceptedRow {
  std::string id, select_type, table, type, key, key_len;
  std::vector<std::string> extra;  // the Extra flags that matter: "Using filesort", ...
  bool operator==(const AcceptedRow&) const = default;
};

struct AcceptedPlan {
  std::string screen, query;
  std::vector<AcceptedRow> plan;
  std::uint64_t rows_examined = 0;
  std::string accepted_at;  // ISO 8601 UTC
  std::string reason;       // why a change was accepted (baseline accept --query ... --reason)
  bool operator==(const AcceptedPlan&) const = default;
};

struct PlanBaseline {
  std::string server;  // where it was accepted: "MariaDB 10.11.19 · db:3306 · shop"
  std::vector<AcceptedPlan> queries;  // in the run's order
  [[nodiscard]] const AcceptedPlan* find(const std::string& screen, const std::string& query) const;
};

// The file: written atomically, keys in a fixed order, a query per entry, so a pull request's
// diff shows exactly the plans that changed. Reading: Error(kBadInput) naming the file and the
// JSON path at fault.
[[nodiscard]] PlanBaseline read_plan_baseline(const std::string& path);
void write_plan_baseline(const PlanBaseline& baseline, const std::string& path);

// Every query of `run` accepted as it planned (errors left out: a failed query has no plan).
[[nodiscard]] PlanBaseline baseline_of(const RunResult& run, const std::string& accepted_at);

// `baseline` with SCREEN/QUERY's entry replaced by its plan in `run`, and `reason` kept.
// Error(kUsage) naming what `run` does not hold.
[[nodiscard]] PlanBaseline accept_one(PlanBaseline baseline, const RunResult& run,
                                      const std::string& screen, const std::string& query,
                                      const std::string& reason, const std::string& accepted_at);

// A query whose plan is not its accepted one.
struct BaselineDeparture {
  std::string screen, query;
  std::vector<std::string>
      changes;  // compare's words: "w key created → (none), ... [full scan: ...]"
  std::uint64_t rows_before = 0, rows_after = 0;
  std::string accepted_at, reason;
  [[nodiscard]] std::string describe() const;
};
struct BaselineCheck {
  std::size_t compared = 0;                   // queries in both
  std::vector<BaselineDeparture> departures;  // plan changed from baseline
  std::vector<std::string> not_in_baseline;   // SCREEN/QUERY measured, never accepted
  [[nodiscard]] std::string summary() const;  // "baseline: 2 of 69 queries left ..."
};
[[nodiscard]] BaselineCheck check_baseline(const PlanBaseline& baseline, const RunResult& run,
                                           const VerdictRule& rule);

}  // namespace sqlmeasure
