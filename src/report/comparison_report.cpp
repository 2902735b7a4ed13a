// `compare` output. The text table follows benchstat: before, after, delta, evidence,
// verdict; regressions first; under a flagged screen, the queries responsible.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "results/record_json.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

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
         !query.warnings_added.empty() || !query.warnings_gone.empty();
}

// "Note 1105 (EXPLAIN): Cannot use key `code` part[0] for lookup: ..."
std::string warning_text(const ServerWarning& warning) {
  return fmt::format("{} {}{}: {}", warning.level, warning.code,
                     warning.from_explain ? " (EXPLAIN)" : "", warning.message);
}

// Which sides have figures: a screen on one side only, or a query that always failed on a
// side, has none there — null, not zero.
struct Sides {
  bool before = true, after = true;
};
Sides sides_of(Presence presence) {
  return {presence != Presence::kOnlyAfter, presence != Presence::kOnlyBefore};
}
Sides sides_of(const QueryComparison& query) {
  return {!query.failed_before.always(), !query.failed_after.always()};
}

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
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

// "2 of 17 screens regressed"; when a gate on plans or results failed screens whose
// verdict is not "regressed": "3 of 17 screens fail the gate (2 regressed, 1 plan changed)".
// Without `screens`: "2 screens regressed".
std::string gate_count(const Comparison& comparison, std::optional<size_t> screens) {
  std::map<Verdict, size_t> by_verdict;
  for (const ScreenComparison& screen : comparison.screens) {
    if (screen.regressed(comparison.rule)) ++by_verdict[screen.verdict()];
  }
  const size_t failed = comparison.regressed_count();
  const std::string counted = screens ? fmt::format("{} of {} screens", failed, *screens)
                                      : fmt::format("{} screen{}", failed, failed == 1 ? "" : "s");
  if (by_verdict.empty() ||
      (by_verdict.size() == 1 && by_verdict.begin()->first == Verdict::kRegressed)) {
    return counted + " regressed";
  }
  std::string kinds;
  for (const auto& [verdict, count] : by_verdict) {
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, verdict_name(verdict));
  }
  return fmt::format("{} {} the gate ({})", counted, screens || failed != 1 ? "fail" : "fails",
                     kinds);
}

// How a comparison of alternating phases was judged (docs/verdicts.md).
std::string phases_line(const Comparison& comparison) {
  return fmt::format(
      "phases: {} before and {} after, pooled; a time change counts only if every "
      "before/after pair of them shows it",
      comparison.before_phases, comparison.after_phases);
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

std::string summary_line(const Comparison& comparison) {
  size_t both = 0;
  for (const ScreenComparison& screen : comparison.screens)
    both += screen.presence == Presence::kBoth;
  std::string gates;
  for (Gate gate : comparison.rule.fail_on)
    gates += (gates.empty() ? "" : ", ") + std::string(gate_name(gate));
  return fmt::format(
      "{} (fail on: {}; threshold +{:.0f}%, alpha {}, "
      "min delta {} ms, min rows delta {})",
      gate_count(comparison, both), gates.empty() ? "nothing" : gates,
      comparison.rule.threshold * 100, comparison.rule.alpha, comparison.rule.min_delta_ms,
      comparison.rule.min_rows_delta);
}

Table screen_table(const Comparison& comparison) {
  Table table{{"screen", "before ms", "after ms", "delta", "evidence", "rows examined", "verdict"},
              {false, true, true, true, false, false, false},
              {}};
  for (const ScreenComparison& screen : comparison.screens) {
    bool both = screen.presence == Presence::kBoth;
    std::string rows = both && screen.rows.before != screen.rows.after
                           ? fmt::format("{} → {}", format_count(screen.rows.before),
                                         format_count(screen.rows.after))
                           : format_count(screen.rows.before);
    // A side with no complete view (its only query always failed) has no figure, not 0 ms.
    const bool before_timed = screen.presence != Presence::kOnlyAfter && screen.time.n_before > 0;
    const bool after_timed = screen.presence != Presence::kOnlyBefore && screen.time.n_after > 0;
    if (both && !before_timed && !after_timed) rows = "-";
    table.rows.push_back({screen.name, before_timed ? format_ms(screen.time.before_ms) : "-",
                          after_timed ? format_ms(screen.time.after_ms) : "-",
                          both ? delta(screen.time) : "-", both ? evidence(screen.time) : "-",
                          both ? rows : "-", verdict_name(screen.verdict())});
  }
  return table;
}

std::string colour(Verdict verdict, const std::string& text, const Style& style) {
  if (!style.color) return text;
  switch (verdict) {
    case Verdict::kError:
    case Verdict::kRegressed:
      return "\x1b[1;31m" + text + "\x1b[0m";
    case Verdict::kImproved:
    case Verdict::kFixed:
      return "\x1b[32m" + text + "\x1b[0m";
    case Verdict::kPlanChanged:
    case Verdict::kResultsDiffer:
    case Verdict::kNewWarning:
      return "\x1b[33m" + text + "\x1b[0m";
    default:
      return text;
  }
}

void render_text(const Comparison& comparison, const Style& style, std::ostream& out) {
  out << fmt::format("before: {}\nafter:  {}\n", without_control_bytes(comparison.before_label),
                     without_control_bytes(comparison.after_label));
  if (comparison.before_phases > 0) out << phases_line(comparison) << '\n';
  if (const std::string ddl = ddl_line(comparison); !ddl.empty()) out << ddl << '\n';
  out << '\n';
  Table table = screen_table(comparison);
  // Render the table, then print each flagged screen's responsible queries under its row.
  std::ostringstream rendered;
  write_text_table(table, rendered);
  std::istringstream lines(rendered.str());
  std::string line;
  std::getline(lines, line);
  out << line << '\n';
  for (const ScreenComparison& screen : comparison.screens) {
    std::getline(lines, line);
    out << colour(screen.verdict(), line, style) << '\n';
    for (const QueryComparison& query : screen.queries) {
      if (query_flagged(query))
        out << "  " << screen.name << '/' << query.name << ": "
            << without_control_bytes(query_detail(query)) << '\n';
    }
    for (const std::string& name : screen.queries_only_before)
      out << "  " << screen.name << '/' << name << ": removed\n";
    for (const std::string& name : screen.queries_only_after)
      out << "  " << screen.name << '/' << name << ": added\n";
  }
  out << '\n';
  for (const std::string& hint : hint_lines(comparison)) out << hint << '\n';
  for (const Warning& warning : comparison.warnings)
    out << "warning: " << without_control_bytes(warning.message()) << '\n';
  std::string summary = summary_line(comparison);
  out << (style.color && comparison.gate_failed() ? "\x1b[1;31m" + summary + "\x1b[0m" : summary)
      << '\n';
}

void render_markdown(const Comparison& comparison, std::ostream& out) {
  out << fmt::format("### sqlmeasure: {}\n\n", comparison.regressed_count() == 0
                                                   ? "no screen regressed ✅"
                                                   : gate_count(comparison, std::nullopt) + " ❌");
  write_markdown_table(screen_table(comparison), out);
  bool any_detail = false;
  for (const ScreenComparison& screen : comparison.screens) {
    for (const QueryComparison& query : screen.queries) {
      if (!query_flagged(query)) continue;
      if (!any_detail) out << "\n**What changed**\n\n";
      any_detail = true;
      out << "- `" << screen.name << '/' << query.name
          << "`: " << without_control_bytes(query_detail(query)) << '\n';
    }
  }
  if (const std::vector<std::string> hints = hint_lines(comparison); !hints.empty()) {
    out << "\n**Index hints**\n\n";
    for (const std::string& line : hints) out << "- " << line << '\n';
  }
  if (!comparison.warnings.empty()) {
    out << '\n';
    for (const Warning& warning : comparison.warnings)
      out << "> ⚠️ " << without_control_bytes(warning.message()) << '\n';
  }
  if (comparison.before_phases > 0) out << "\n" << phases_line(comparison) << ".\n";
  if (const std::string ddl = ddl_line(comparison); !ddl.empty()) out << "\n" << ddl << ".\n";
  out << "\n<sub>" << summary_line(comparison)
      << ". Before: " << without_control_bytes(comparison.before_label)
      << "; after: " << without_control_bytes(comparison.after_label) << ".</sub>\n";
}

void render_csv(const Comparison& comparison, std::ostream& out) {
  Table table{{"screen", "query", "before_ms", "after_ms", "delta_pct", "p", "n_before", "n_after",
               "rows_before", "rows_after", "plan_change", "results_differ", "verdict", "time_only",
               "new_warnings"},
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
         screen.new_warning() ? "yes" : "no"});
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
           verdict, q.time_only() ? "yes" : "no", new_warnings});
    }
  }
  write_csv_table(table, out);
}

nlohmann::json time_json(const TimeEvidence& t, Sides sides) {
  auto finite = [](double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  };
  const bool before = sides.before, after = sides.after;
  auto side = [](bool present, nlohmann::json value) {
    return present ? value : nlohmann::json(nullptr);
  };
  return {{"before_median_ms", side(before, t.before_ms)},
          {"after_median_ms", side(after, t.after_ms)},
          {"ratio", side(before && after, finite(t.ratio))},
          {"delta_ms", side(before && after, t.delta_ms)},
          {"p", side(before && after, t.p)},
          {"n_before", t.n_before},
          {"n_after", t.n_after},
          {"change", change_name(t.change)}};
}

nlohmann::json rows_json(const RowsEvidence& rows, Sides sides) {
  auto side = [](bool present, std::uint64_t value) {
    return present ? nlohmann::json(value) : nlohmann::json(nullptr);
  };
  return {{"before", side(sides.before, rows.before)},
          {"after", side(sides.after, rows.after)},
          {"change", change_name(rows.change)}};
}

nlohmann::json plan_row_json(const std::optional<PlanRow>& row) {
  if (!row) return nullptr;
  return {
      {"type", row->access_type}, {"key", row->key}, {"rows", row->rows}, {"extra", row->extra}};
}

std::vector<std::string> warning_messages(const std::vector<Warning>& warnings) {
  std::vector<std::string> messages;
  for (const Warning& warning : warnings) messages.push_back(warning.message());
  return messages;
}

// A side's failures, or null when it never failed.
nlohmann::json failures_json(const SideFailures& side) {
  if (side.failed == 0) return nullptr;
  return {
      {"error", side.error.value_or("")}, {"failed_phases", side.failed}, {"phases", side.phases}};
}

void render_json(const Comparison& comparison, std::ostream& out) {
  nlohmann::json screens = nlohmann::json::array();
  for (const ScreenComparison& screen : comparison.screens) {
    nlohmann::json queries = nlohmann::json::array();
    for (const QueryComparison& q : screen.queries) {
      nlohmann::json plans = nlohmann::json::array();
      for (const PlanChange& change : q.plan_changes) {
        nlohmann::json causes = nlohmann::json::array();
        for (const PlanCause& cause : change.causes) {
          causes.push_back({{"class", plan_class_id(cause.kind)},
                            {"name", plan_class_name(cause.kind)},
                            {"evidence", cause.evidence},
                            {"rule", cause.rule.empty() ? nlohmann::json(nullptr)
                                                        : nlohmann::json(cause.rule)}});
        }
        plans.push_back({{"table", change.table},
                         {"description", change.describe()},
                         {"class", change.causes.empty()
                                       ? nlohmann::json(nullptr)
                                       : nlohmann::json(plan_class_id(change.causes.front().kind))},
                         {"causes", causes},
                         {"before", plan_row_json(change.before)},
                         {"after", plan_row_json(change.after)}});
        if (!change.order_before.empty()) {
          plans.back()["order_before"] = change.order_before;
          plans.back()["order_after"] = change.order_after;
        }
      }
      queries.push_back({{"name", q.name},
                         {"time", time_json(q.time, sides_of(q))},
                         {"rows_examined", rows_json(q.rows, sides_of(q))},
                         {"plan_changes", plans},
                         {"results_differ", q.results_differ},
                         {"warnings_added", warnings_to_json(q.warnings_added)},
                         {"warnings_gone", warnings_to_json(q.warnings_gone)},
                         {"time_only", q.time_only()},
                         {"touched", q.touched},
                         {"outcome", outcome_name(q.outcome)},
                         {"failed_before", failures_json(q.failed_before)},
                         {"failed_after", failures_json(q.failed_after)}});
    }
    const char* presence = screen.presence == Presence::kBoth         ? "both"
                           : screen.presence == Presence::kOnlyBefore ? "before_only"
                                                                      : "after_only";
    screens.push_back({{"name", screen.name},
                       {"presence", presence},
                       {"verdict", verdict_name(screen.verdict())},
                       {"gated", screen.regressed(comparison.rule)},
                       {"time", time_json(screen.time, sides_of(screen.presence))},
                       {"rows_examined", rows_json(screen.rows, sides_of(screen.presence))},
                       {"queries", queries},
                       {"queries_only_before", screen.queries_only_before},
                       {"queries_only_after", screen.queries_only_after}});
  }
  nlohmann::json gates = nlohmann::json::array();
  for (Gate gate : comparison.rule.fail_on) gates.push_back(gate_name(gate));
  nlohmann::json document = {{"format", "sqlmeasure-comparison"},
                             {"schema_version", 3},
                             {"before", comparison.before_label},
                             {"after", comparison.after_label},
                             {"rule",
                              {{"threshold", comparison.rule.threshold},
                               {"alpha", comparison.rule.alpha},
                               {"min_delta_ms", comparison.rule.min_delta_ms},
                               {"min_rows_delta", comparison.rule.min_rows_delta},
                               {"fail_on", gates}}},
                             {"phases", comparison.before_phases == 0
                                            ? nlohmann::json(nullptr)
                                            : nlohmann::json{{"before", comparison.before_phases},
                                                             {"after", comparison.after_phases},
                                                             {"rule", "every before/after pair"}}},
                             {"change", change_to_json(comparison.change)},
                             {"regressed", comparison.regressed_count()},
                             {"gate_failed", comparison.gate_failed()},
                             {"warnings", warning_messages(comparison.warnings)},
                             {"screens", screens}};
  out << document.dump(2) << '\n';
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void render_junit(const Comparison& comparison, std::ostream& out) {
  size_t screens = comparison.screens.size();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"sqlmeasure\" tests=\"{}\" failures=\"{}\">\n", screens,
                     comparison.regressed_count());
  out << fmt::format("  <testsuite name=\"sqlmeasure compare\" tests=\"{}\" failures=\"{}\">\n",
                     screens, comparison.regressed_count());
  for (const ScreenComparison& screen : comparison.screens) {
    out << fmt::format("    <testcase classname=\"sqlmeasure.screens\" name=\"{}\" time=\"{:.6f}\"",
                       xml_escape(screen.name), screen.time.after_ms / 1000.0);
    std::string details;
    for (const QueryComparison& query : screen.queries) {
      if (query_flagged(query))
        details += screen.name + "/" + query.name + ": " +
                   without_control_bytes(query_detail(query)) + "\n";
    }
    if (screen.regressed(comparison.rule)) {
      out << fmt::format(
          ">\n      <failure message=\"{} {} → {} ms ({})\">{}</failure>\n    </testcase>\n",
          xml_escape(verdict_name(screen.verdict())), format_ms(screen.time.before_ms),
          format_ms(screen.time.after_ms), xml_escape(delta(screen.time)), xml_escape(details));
    } else if (!details.empty()) {
      out << fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n",
                         xml_escape(details));
    } else {
      out << "/>\n";
    }
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace

void render_comparison(const Comparison& comparison, Format format, const Style& style,
                       std::ostream& out) {
  switch (format) {
    case Format::kTable:
      render_text(comparison, style, out);
      return;
    case Format::kMarkdown:
      render_markdown(comparison, out);
      return;
    case Format::kCsv:
      render_csv(comparison, out);
      return;
    case Format::kJson:
      render_json(comparison, out);
      return;
    case Format::kJunit:
      render_junit(comparison, out);
      return;
  }
}

}  // namespace sqlmeasure
