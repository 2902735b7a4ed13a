// `compare --format table`, the terminal's: as benchstat, before, after, delta, evidence,
// verdict; regressions first; under a flagged screen, the queries responsible.
#include <fmt/format.h>

#include <sstream>

#include "comparison_formats.h"
#include "comparison_text.h"
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

}  // namespace

void render_comparison_table(const Comparison& comparison, const Style& style, std::ostream& out) {
  out << fmt::format("before: {}\nafter:  {}\n", without_control_bytes(comparison.before_label),
                     without_control_bytes(comparison.after_label));
  if (comparison.before_phases > 0) out << phases_line(comparison) << '\n';
  if (const std::string sampling = sampling_line(comparison); !sampling.empty()) {
    out << sampling << '\n';
  }
  if (const std::string ddl = ddl_line(comparison); !ddl.empty()) out << ddl << '\n';
  if (const std::string plans = fidelity_line(comparison); !plans.empty()) {
    out << without_control_bytes(plans) << '\n';
  }
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

}  // namespace sqlmeasure
