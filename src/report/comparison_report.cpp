// `compare` output. The text table follows benchstat: before, after, delta, evidence,
// verdict; regressions first; under a flagged screen, the queries responsible.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "report/comparison_text.h"
#include "results/record_json.h"
#include "sqlmeasure/html_report.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::string colour(const ScreenComparison& screen, const std::string& text, const Style& style) {
  if (!style.color) return text;
  // An accepted regression is yellow: known, not failing.
  if (screen.accepted) return "\x1b[33m" + text + "\x1b[0m";
  switch (screen.verdict()) {
    case Verdict::kError:
    case Verdict::kRegressed:
    case Verdict::kOverBudget:
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
    out << colour(screen, line, style) << '\n';
    for (const QueryComparison& query : screen.queries) {
      if (query_flagged(query))
        out << "  " << screen.name << '/' << query.name << ": "
            << without_control_bytes(query_detail(query)) << '\n';
    }
    for (const std::string& name : screen.queries_only_before)
      out << "  " << screen.name << '/' << name << ": removed\n";
    for (const std::string& name : screen.queries_only_after)
      out << "  " << screen.name << '/' << name << ": added\n";
    for (const std::string& note : screen_notes(screen))
      out << "  " << screen.name << ": " << without_control_bytes(note) << '\n';
  }
  out << '\n';
  for (const std::string& hint : hint_lines(comparison)) out << hint << '\n';
  for (const Warning& warning : comparison.warnings)
    out << "warning: " << without_control_bytes(warning.message()) << '\n';
  std::string summary = summary_line(comparison);
  out << (style.color && comparison.gate_failed() ? "\x1b[1;31m" + summary + "\x1b[0m" : summary)
      << '\n';
}

void render_csv(const Comparison& comparison, std::ostream& out) {
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

// A screen's budget and the after side's figures against it, or null.
nlohmann::json budget_json(const std::optional<BudgetCheck>& check) {
  if (!check) return nullptr;
  auto figure = [](const std::optional<double>& ms) {
    return ms ? nlohmann::json(*ms) : nlohmann::json(nullptr);
  };
  return {{"median_ms", figure(check->budget.median_ms)},
          {"p95_ms", figure(check->budget.p95_ms)},
          {"source", check->budget.source},
          {"after_median_ms", check->median_ms},
          {"after_p95_ms", check->p95_ms},
          {"over", check->over()}};
}

nlohmann::json acceptance_json(const std::optional<Acceptance>& entry) {
  if (!entry) return nullptr;
  return {{"screen", entry->screen},
          {"query", entry->query ? nlohmann::json(*entry->query) : nlohmann::json(nullptr)},
          {"reason", entry->reason},
          {"expires", date_text(entry->expires)},
          {"source", entry->source}};
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
                       {"gated", screen.fails_gate(comparison.rule)},
                       {"budget", budget_json(screen.budget)},
                       {"accepted", acceptance_json(screen.accepted)},
                       {"time", time_json(screen.time, sides_of(screen.presence))},
                       {"rows_examined", rows_json(screen.rows, sides_of(screen.presence))},
                       {"queries", queries},
                       {"queries_only_before", screen.queries_only_before},
                       {"queries_only_after", screen.queries_only_after}});
  }
  nlohmann::json gates = nlohmann::json::array();
  for (Gate gate : comparison.rule.fail_on) gates.push_back(gate_name(gate));
  nlohmann::json document = {{"format", "sqlmeasure-comparison"},
                             {"schema_version", 4},
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
                             {"regressed", comparison.failing_count()},
                             {"accepted_screens", comparison.accepted_count()},
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
  const size_t accepted = comparison.accepted_count();
  const std::string skipped = accepted > 0 ? fmt::format(" skipped=\"{}\"", accepted) : "";
  out << fmt::format("<testsuites name=\"sqlmeasure\" tests=\"{}\" failures=\"{}\"{}>\n", screens,
                     comparison.failing_count(), skipped);
  out << fmt::format("  <testsuite name=\"sqlmeasure compare\" tests=\"{}\" failures=\"{}\"{}>\n",
                     screens, comparison.failing_count(), skipped);
  for (const ScreenComparison& screen : comparison.screens) {
    out << fmt::format("    <testcase classname=\"sqlmeasure.screens\" name=\"{}\" time=\"{:.6f}\"",
                       xml_escape(screen.name), screen.time.after_ms / 1000.0);
    std::string details;
    for (const QueryComparison& query : screen.queries) {
      if (query_flagged(query))
        details += screen.name + "/" + query.name + ": " +
                   without_control_bytes(query_detail(query)) + "\n";
    }
    for (const std::string& note : screen_notes(screen))
      details += screen.name + ": " + without_control_bytes(note) + "\n";
    if (screen.gated(comparison.rule) && screen.accepted) {
      // Known and reviewed: neither a pass nor a failure (JUnit's "skipped").
      out << fmt::format(
          ">\n      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n"
          "    </testcase>\n",
          xml_escape(without_control_bytes(accepted_text(screen))), xml_escape(details));
    } else if (screen.fails_gate(comparison.rule)) {
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
      render_comparison_markdown(comparison, style, out);
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
    case Format::kHtml:
      // Without the runs, no charts: the command passes them (render_comparison_html).
      render_comparison_html(comparison, {}, out);
      return;
  }
}

}  // namespace sqlmeasure
