// The words every `compare` renderer shares: verdicts, deltas, evidence, what changed.
#include "comparison_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::string phases_failed(const SideFailures& side) {
  return side.phases > 1 ? fmt::format(" (in {} of {} phases)", side.failed, side.phases) : "";
}

// What a query's failures make of it, or "": "error after the change: [1176] …".
std::string failure_text(const QueryComparison& query) {
  const SideFailures &before = query.failed_before, &after = query.failed_after;
  switch (query.outcome) {
    case QueryOutcome::kBreaks:
      return "error after the change: " + after.error.value_or("") + phases_failed(after);
    case QueryOutcome::kFixed:
      return "fixed: failed before (" + before.error.value_or("") + "), runs after";
    case QueryOutcome::kFailsBoth:
      return "fails on both sides, not compared: before: " + before.error.value_or("") +
             "; after: " + after.error.value_or("");
    case QueryOutcome::kCompared:
      break;
  }
  // Failing in some phases only (a lock wait, a timeout): judged on the phases it ran.
  std::string text;
  for (const auto& [side, name] : {std::pair{&before, "before"}, std::pair{&after, "after"}}) {
    if (side->failed == 0) continue;
    text += fmt::format("{}{} failed in {} of {} phases ({}); judged on the others",
                        text.empty() ? "" : "; ", name, side->failed, side->phases,
                        side->error.value_or(""));
  }
  return text;
}

// "0.52 s" for one timing, "0.52 s (median of 3, 0.49–0.55)" for several.
std::string timings(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds.size() % 2 == 1
                            ? seconds[seconds.size() / 2]
                            : (seconds[seconds.size() / 2 - 1] + seconds[seconds.size() / 2]) / 2;
  if (seconds.size() == 1) return fmt::format("{:.2f} s", median);
  return fmt::format("{:.2f} s (median of {}, {:.2f}–{:.2f})", median, seconds.size(),
                     seconds.front(), seconds.back());
}

}  // namespace

const char* change_name(Change change) {
  switch (change) {
    case Change::kRegressed:
      return "regressed";
    case Change::kImproved:
      return "improved";
    case Change::kUnchanged:
      break;
  }
  return "~";
}

std::string evidence(const TimeEvidence& time) {
  if (time.n_before == 0 || time.n_after == 0) return "-";
  std::string p = time.p < 0.001 ? "p<0.001" : fmt::format("p={:.3f}", time.p);
  return fmt::format("{} n={}+{}", p, time.n_before, time.n_after);
}

std::string delta(const TimeEvidence& time) {
  if (time.n_before == 0 || time.n_after == 0 || !std::isfinite(time.ratio)) return "-";
  return format_percent(time.ratio);
}

bool query_flagged(const QueryComparison& query) {
  return query.time.change != Change::kUnchanged || query.rows.change != Change::kUnchanged ||
         !query.plan_changes.empty() || query.results_differ || query.failed() ||
         !query.warnings_added.empty() || !query.warnings_gone.empty() ||
         !query.unlike_production.empty();
}

// "Note 1105 (EXPLAIN): Cannot use key `code` part[0] for lookup: ..."
std::string warning_text(const ServerWarning& warning) {
  return fmt::format("{} {}{}: {}", warning.level, warning.code,
                     warning.from_explain ? " (EXPLAIN)" : "", warning.message);
}

Sides sides_of(Presence presence) {
  return {presence != Presence::kOnlyAfter, presence != Presence::kOnlyBefore};
}
Sides sides_of(const QueryComparison& query) {
  return {!query.failed_before.always(), !query.failed_after.always()};
}

// "works key category_started → (none), ref → ALL; rows examined 2.0k → 600k; 0.41 → 44.3 ms"
std::string query_detail(const QueryComparison& query) {
  std::vector<std::string> parts;
  for (const PlanChange& change : query.plan_changes) {
    parts.push_back(change.describe() +
                    (change.causes.empty() ? "" : " [" + change.causes_text() + "]"));
  }
  if (query.rows.before != query.rows.after &&
      (query.rows.change != Change::kUnchanged || !query.plan_changes.empty())) {
    parts.push_back(fmt::format("rows examined {} → {}", format_count(query.rows.before),
                                format_count(query.rows.after)));
  }
  if (query.time.change != Change::kUnchanged) {
    // Time only: the plan and rows examined held, so a reader sees at once which queries
    // carry a regression and which merely ran slower beside them.
    parts.push_back(
        fmt::format("{} → {} ms ({}, {}){}", format_ms(query.time.before_ms),
                    format_ms(query.time.after_ms), delta(query.time), evidence(query.time),
                    !query.time_only() ? ""
                    : query.touched    ? ", time only"
                                       : ", time only (reads no table the change alters)"));
  }
  if (query.results_differ) parts.push_back("results differ (checksums)");
  for (const ServerWarning& warning : query.warnings_added) {
    parts.push_back("new warning: " + warning_text(warning));
  }
  for (const ServerWarning& warning : query.warnings_gone) {
    parts.push_back("warning gone: " + warning_text(warning));
  }
  if (query.failed()) parts.push_back(failure_text(query));
  if (!query.unlike_production.empty()) {
    parts.push_back("before plan unlike production's: " + query.unlike_production +
                    " — the verdict may not hold there");
  }
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

std::string accepted_text(const ScreenComparison& screen) {
  if (!screen.accepted) return "";
  const Acceptance& entry = *screen.accepted;
  return fmt::format("accepted{} until {} ({}): {}",
                     entry.query ? " for query " + *entry.query : std::string(),
                     date_text(entry.expires), entry.source, entry.reason);
}

std::vector<std::string> screen_notes(const ScreenComparison& screen, bool within_too) {
  std::vector<std::string> notes;
  if (screen.budget && (screen.budget->over() || within_too)) {
    notes.push_back(screen.budget->describe());
  }
  if (screen.accepted) notes.push_back(accepted_text(screen));
  return notes;
}

std::vector<std::string> accepted_lines(const Comparison& comparison) {
  std::vector<std::string> lines;
  for (const ScreenComparison& screen : comparison.screens) {
    if (!screen.accepted || !screen.gated(comparison.rule)) continue;
    lines.push_back(fmt::format("{} ({}): {}", screen.name, verdict_name(screen.verdict()),
                                accepted_text(screen)));
  }
  return lines;
}

// "2 of 17 screens regressed"; when a gate on plans or results failed screens whose
// verdict is not "regressed": "3 of 17 screens fail the gate (2 regressed, 1 plan changed)".
// Without `screens`: "2 screens regressed".
std::string gate_count(const Comparison& comparison, std::optional<size_t> screens) {
  std::map<Verdict, size_t> by_verdict;
  for (const ScreenComparison& screen : comparison.screens) {
    if (screen.fails_gate(comparison.rule)) ++by_verdict[screen.verdict()];
  }
  const size_t failed = comparison.failing_count();
  const size_t accepted = comparison.accepted_count();
  const std::string also = accepted > 0 ? fmt::format("; {} accepted", accepted) : "";
  const std::string counted = screens ? fmt::format("{} of {} screens", failed, *screens)
                                      : fmt::format("{} screen{}", failed, failed == 1 ? "" : "s");
  if (by_verdict.empty() ||
      (by_verdict.size() == 1 && by_verdict.begin()->first == Verdict::kRegressed)) {
    return counted + " regressed" + also;
  }
  std::string kinds;
  for (const auto& [verdict, count] : by_verdict) {
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, verdict_name(verdict));
  }
  return fmt::format("{} {} the gate ({}){}", counted, screens || failed != 1 ? "fail" : "fails",
                     kinds, also);
}

// How a comparison of alternating phases was judged (docs/verdicts.md).
std::string phases_line(const Comparison& comparison) {
  std::string alternations;
  if (comparison.change && comparison.change->alternations_planned > 0) {
    const ChangeRecord& change = *comparison.change;
    alternations = fmt::format(
        " ({} of {} alternation{}: {})", change.alternations_run, change.alternations_planned,
        change.alternations_planned == 1 ? "" : "s", change.alternations_stopped);
  }
  return fmt::format(
      "phases: {} before and {} after{}, pooled; a time change counts only if every "
      "before/after pair of them shows it",
      comparison.before_phases, comparison.after_phases, alternations);
}

namespace {

// One side's stops grouped by reason, in the order a reader asks "why so many?": "3 decided
// (3 views: a, b, c), 16 precise (5–62 views)"; the screens are named for the reasons a
// reader acts on (decided, budget, rounds, error), up to three.
std::string sampling_side(const Comparison& comparison, bool before) {
  struct Group {
    int fewest = 0, most = 0;
    std::vector<std::string> screens;
  };
  static const std::vector<std::pair<std::string, std::string>> kReasons = {
      {"decided", "decided"},
      {"precise", "precise"},
      {"budget", "at their time budget"},
      {"rounds", "at the round limit"},
      {"error", "stopped by an error"}};
  std::map<std::string, Group> groups;
  for (const ScreenComparison& screen : comparison.screens) {
    const std::optional<SamplingStop>& stop =
        before ? screen.sampling_before : screen.sampling_after;
    if (!stop || stop->reason == "iterations") continue;
    Group& group = groups[stop->reason];
    group.fewest = group.screens.empty() ? stop->views : std::min(group.fewest, stop->views);
    group.most = std::max(group.most, stop->views);
    group.screens.push_back(screen.name);
  }
  std::string text;
  for (const auto& [reason, said] : kReasons) {
    const auto group = groups.find(reason);
    if (group == groups.end()) continue;
    const Group& g = group->second;
    std::string views = g.fewest == g.most
                            ? fmt::format("{} view{}", g.most, g.most == 1 ? "" : "s")
                            : fmt::format("{}–{} views", g.fewest, g.most);
    if (reason != "precise") {
      std::string names;
      for (size_t i = 0; i < g.screens.size() && i < 3; ++i) {
        names += (i == 0 ? "" : ", ") + without_control_bytes(g.screens[i]);
      }
      if (g.screens.size() > 3) names += fmt::format(" and {} more", g.screens.size() - 3);
      views += ": " + names;
    }
    text += fmt::format("{}{} {} ({})", text.empty() ? "" : ", ", g.screens.size(), said, views);
  }
  return text;
}

}  // namespace

std::string sampling_line(const Comparison& comparison) {
  const std::string before = sampling_side(comparison, true);
  const std::string after = sampling_side(comparison, false);
  if (before.empty() && after.empty()) return "";
  std::string line = "sampling stopped:";
  if (!before.empty()) line += " before " + before;
  if (!after.empty()) line += std::string(before.empty() ? "" : ";") + " after " + after;
  return line;
}

// What the DDL itself cost, or why it was not measured; empty when no change is recorded.
std::string ddl_line(const Comparison& comparison) {
  if (!comparison.change) return "";
  const ChangeRecord& change = *comparison.change;
  if (!change.ddl_measured) {
    return "DDL: not measured (indexes ignored, not dropped; a migration with --apply-ddl "
           "times the real DDL)";
  }
  if (change.apply_s.empty()) return "";
  std::string line = "DDL: apply " + timings(change.apply_s);
  if (!change.undo_s.empty()) line += ", undo " + timings(change.undo_s);
  return line;
}

std::string fidelity_line(const Comparison& comparison) {
  if (!comparison.fidelity) return "";
  return comparison.fidelity->summary() + " (the before side against " +
         comparison.fidelity->source + ")";
}

// The index hints the change breaks or redirects, as the live compare found them after
// applying it: "index hint breaks: screen/query (file:line): FORCE INDEX (x) on t: ...".
std::vector<std::string> hint_lines(const Comparison& comparison) {
  std::vector<std::string> lines;
  if (!comparison.change) return lines;
  for (const HintProblem& problem : comparison.change->hint_problems) {
    lines.push_back(fmt::format("index hint {}: {}", hint_problem_name(problem.kind),
                                without_control_bytes(problem.describe())));
  }
  return lines;
}

size_t screens_compared(const Comparison& comparison) {
  size_t judged = 0;
  for (const ScreenComparison& screen : comparison.screens)
    judged += screen.presence == Presence::kBoth ||
              (screen.budget && screen.presence == Presence::kOnlyAfter);
  return judged;
}

std::string summary_line(const Comparison& comparison) {
  std::string gates;
  for (Gate gate : comparison.rule.fail_on)
    gates += (gates.empty() ? "" : ", ") + std::string(gate_name(gate));
  return fmt::format(
      "{} (fail on: {}; threshold +{:.0f}%, alpha {}, "
      "min delta {} ms, min rows delta {})",
      gate_count(comparison, screens_compared(comparison)), gates.empty() ? "nothing" : gates,
      comparison.rule.threshold * 100, comparison.rule.alpha, comparison.rule.min_delta_ms,
      comparison.rule.min_rows_delta);
}

std::vector<std::string> screen_row(const ScreenComparison& screen) {
  bool both = screen.presence == Presence::kBoth;
  std::string rows = both && screen.rows.before != screen.rows.after
                         ? fmt::format("{} → {}", format_count(screen.rows.before),
                                       format_count(screen.rows.after))
                         : format_count(screen.rows.before);
  // A side with no complete view (its only query always failed) has no figure, not 0 ms.
  const bool before_timed = screen.presence != Presence::kOnlyAfter && screen.time.n_before > 0;
  const bool after_timed = screen.presence != Presence::kOnlyBefore && screen.time.n_after > 0;
  if (both && !before_timed && !after_timed) rows = "-";
  return {screen.name,
          before_timed ? format_ms(screen.time.before_ms) : "-",
          after_timed ? format_ms(screen.time.after_ms) : "-",
          both ? delta(screen.time) : "-",
          both ? evidence(screen.time) : "-",
          both ? rows : "-",
          verdict_name(screen.verdict()) + std::string(screen.accepted ? " (accepted)" : "")};
}

Table screen_table(const Comparison& comparison) {
  Table table{{"screen", "before ms", "after ms", "delta", "evidence", "rows examined", "verdict"},
              {false, true, true, true, false, false, false},
              {}};
  for (const ScreenComparison& screen : comparison.screens)
    table.rows.push_back(screen_row(screen));
  return table;
}

}  // namespace sqlmeasure
