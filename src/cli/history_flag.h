#pragma once
// --history DIR, --baseline FILE and --fail-on on `run`: the run kept in a history directory
// ([history] dir of sqlmeasure.toml by default) and judged against the earlier runs of its
// database and endpoint (drift); its plans checked against the accepted ones
// (SCENARIOS/plan-baseline.json when it exists); which findings fail the run (docs/history.md).
#include <CLI/CLI.hpp>
#include <optional>
#include <set>
#include <string>

#include "context.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/history.h"
#include "sqlmeasure/plan_baseline.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/verdict_rule.h"

namespace sqlmeasure {

class HistoryFlag {
 public:
  void add_to(CLI::App& app);
  // Before any work: the directory can be kept in (exit 64), the gates are known ones, the
  // baseline reads (exit 65). `scenarios`: the scenario directory, where the baseline is.
  void check(const Context& context, const std::string& scenarios);
  [[nodiscard]] bool given() const { return directory_.has_value(); }
  [[nodiscard]] bool fails_on(Gate gate) const { return gates_.contains(gate); }
  // Keeps `run`, judged against the history first: the drift said on `out` (the table's
  // stream, or stderr beside JSON, CSV and HTML). Returns whether a gate it checks fails.
  [[nodiscard]] bool keep(const RunResult& run, const Context& context, std::ostream& out,
                          std::vector<HintPoint> hints = {}) const;
  // --check-hints: every index hint of `screens` timed with and without it on `connection`,
  // said on `out`; what `keep` records.
  [[nodiscard]] bool checks_hints() const { return check_hints_; }
  [[nodiscard]] std::vector<HintPoint> check_hints(Connection& connection,
                                                   const std::vector<Screen>& screens,
                                                   const Context& context, std::ostream& out) const;
  // Each query's plan against its accepted one, said on `out`. Returns whether --fail-on plan
  // fails the run.
  [[nodiscard]] bool check_baseline(const RunResult& run, const Context& context,
                                    std::ostream& out) const;

 private:
  std::optional<std::string> directory_;
  std::optional<std::string> fail_on_;
  std::set<Gate> gates_ = {Gate::kBudget};
  std::optional<std::string> baseline_path_;
  std::optional<PlanBaseline> baseline_;
  bool check_hints_ = false;
};

}  // namespace sqlmeasure
