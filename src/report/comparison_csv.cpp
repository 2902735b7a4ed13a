// `compare --format csv`: a row per screen and per query, empty cells where a side has none.
#include <fmt/format.h>

#include <cmath>

#include "comparison_formats.h"
#include "comparison_text.h"

namespace sqlmeasure {

void render_comparison_csv(const Comparison& comparison, std::ostream& out) {
  Table table{{"screen", "query", "before_ms", "after_ms", "delta_pct", "p", "n_before", "n_after",
               "rows_before", "rows_after", "plan_change", "results_differ", "verdict", "time_only",
               "new_warnings", "budget", "accepted"},
              {},
              {}};
  auto number = [](double v) {
    return std::isfinite(v) ? fmt::format("{:.6g}", v) : std::string();
  };
  for (const ScreenComparison& screen : comparison.screens) {
    const TimeEvidence& t = screen.time;
    // A screen on one side only has no figures for the other: empty cells, not zeros.
    const bool before = screen.presence != Presence::kOnlyAfter;
    const bool after = screen.presence != Presence::kOnlyBefore;
    const bool both = before && after;
    auto side = [](bool present, std::string text) { return present ? text : std::string(); };
    table.rows.push_back(
        {screen.name, "", side(before, number(t.before_ms)), side(after, number(t.after_ms)),
         side(both, number((t.ratio - 1) * 100)), side(both, number(t.p)),
         side(before, std::to_string(t.n_before)), side(after, std::to_string(t.n_after)),
         side(before, std::to_string(screen.rows.before)),
         side(after, std::to_string(screen.rows.after)), screen.plan_changed() ? "yes" : "no",
         screen.results_differ() ? "yes" : "no", verdict_name(screen.verdict()), "",
         screen.new_warning() ? "yes" : "no",
         screen.budget ? screen.budget->describe() : std::string(), accepted_text(screen)});
    for (const QueryComparison& q : screen.queries) {
      std::string plan;
      for (const PlanChange& change : q.plan_changes) {
        plan += (plan.empty() ? "" : "; ") + change.describe();
        if (!change.causes.empty())
          plan += std::string(" (") + plan_class_id(change.causes.front().kind) + ")";
      }
      std::string verdict = q.outcome != QueryOutcome::kCompared  ? outcome_name(q.outcome)
                            : q.time.change != Change::kUnchanged ? change_name(q.time.change)
                                                                  : change_name(q.rows.change);
      const Sides ran = sides_of(q);
      std::string new_warnings;
      for (const ServerWarning& warning : q.warnings_added)
        new_warnings += (new_warnings.empty() ? "" : "; ") + warning_text(warning);
      table.rows.push_back(
          {screen.name, q.name, side(ran.before, number(q.time.before_ms)),
           side(ran.after, number(q.time.after_ms)),
           side(ran.before && ran.after, number((q.time.ratio - 1) * 100)),
           side(ran.before && ran.after, number(q.time.p)), std::to_string(q.time.n_before),
           std::to_string(q.time.n_after), side(ran.before, std::to_string(q.rows.before)),
           side(ran.after, std::to_string(q.rows.after)), plan, q.results_differ ? "yes" : "no",
           verdict, q.time_only() ? "yes" : "no", new_warnings, "", ""});
    }
  }
  write_csv_table(table, out);
}

}  // namespace sqlmeasure
