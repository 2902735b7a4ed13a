// `indexes --format html`: each finding with its evidence and the SQL to act on it, the index
// hints timed, and the cardinality table (the terminal's rows) with a bar of each key part's
// selectivity.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "html_page.h"
#include "index_text.h"
#include "sqlmeasure/html_report.h"
#include "sqlmeasure/number_parse.h"

namespace sqlmeasure {
namespace {

constexpr std::size_t kSelectivityColumn = 6;
constexpr double kBarWidth = 110;  // px for selectivity 1
constexpr double kBarDecades = 7;  // the bar's log scale starts at 1e-7

const char* severity_mark(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "✖";
    case Severity::kWarning:
      return "▲";
    case Severity::kInfo:
      break;
  }
  return "ℹ";
}

void write_finding(const Finding& finding, std::ostream& out) {
  const std::string severity = severity_name(finding.severity);
  out << "<section class=\"finding\">\n<h3><span class=\"v sev-" << severity
      << "\"><span aria-hidden=\"true\">" << severity_mark(finding.severity) << "</span> "
      << severity << "</span> <code>" << escape_markup(finding.rule) << "</code> · "
      << escape_markup(finding.table)
      << (finding.index.empty() ? "" : "." + escape_markup(finding.index)) << "</h3>\n<p>"
      << escape_markup(finding.summary) << "</p>\n";
  if (!finding.evidence.empty()) {
    out << "<ul>\n";
    for (const std::string& line : finding.evidence)
      out << "<li>" << escape_markup(line) << "</li>\n";
    out << "</ul>\n";
  }
  if (!finding.fix.empty()) {
    out << "<p>fix:</p>\n<pre>";
    for (const std::string& sql : finding.fix) out << escape_markup(sql) << '\n';
    out << "</pre>\n";
  }
  if (!finding.verify.empty()) {
    out << "<p>before acting:</p>\n<ul>\n";
    for (const std::string& line : finding.verify)
      out << "<li>" << escape_markup(line) << "</li>\n";
    out << "</ul>\n";
  }
  if (finding.measured) {
    out << "<p><b>" << escape_markup(index_measured_line(*finding.measured)) << "</b></p>\n";
  }
  out << "</section>\n";
}

// The cardinality table, its selectivity cells with a bar on a log scale (1e-7 to 1): a short
// bar is an index that reads much of its table per value.
void write_cardinality(const SchemaInfo& schema, std::ostream& out) {
  const Table table = index_cardinality_table(schema);
  out << "<table class=\"cardinality\">\n<thead><tr>";
  for (std::size_t i = 0; i < table.headers.size(); ++i) {
    const bool right = i < table.right_align.size() && table.right_align[i];
    out << "<th" << (right ? " class=\"r\"" : "") << ">" << escape_markup(table.headers[i])
        << "</th>";
  }
  out << "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string>& row : table.rows) {
    out << "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool right = i < table.right_align.size() && table.right_align[i];
      // The table's own number ("-" where there is none: no bar).
      const std::optional<double> value =
          i == kSelectivityColumn ? parse_decimal(row[i]) : std::nullopt;
      if (value) {
        const double decades = *value > 0 ? std::log10(*value) + kBarDecades : 0;
        const double width = std::clamp(decades / kBarDecades, 0.0, 1.0) * kBarWidth;
        out << "<td class=\"barcell r\"><span class=\"bar\" style=\"width:"
            << html::coord(std::max(width, 1.0)) << "px\"></span>" << escape_markup(row[i])
            << "</td>";
        continue;
      }
      out << "<td" << (right ? " class=\"r\"" : "") << ">" << escape_markup(row[i]) << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n";
}

}  // namespace

void render_index_report_html(const IndexReport& report, std::ostream& out) {
  html::begin_page(out, "sqlmeasure indexes: " + report.schema.database);
  out << "<header>\n<h1>sqlmeasure indexes</h1>\n<p>" << escape_markup(index_header_line(report))
      << "</p>\n<p class=\"muted\">" << escape_markup(index_scenarios_line(report.scenarios))
      << "</p>\n</header>\n";
  out << "<section id=\"findings\">\n<h2>" << escape_markup(index_counts_line(report.result))
      << "</h2>\n";
  for (const Finding& finding : report.result.findings) write_finding(finding, out);
  out << "</section>\n";
  if (!report.scenarios.hints.empty()) {
    out << "<section id=\"hints\">\n<h2>Index hints, timed with and without</h2>\n";
    html::write_table(out, index_hints_table(report));
    out << "</section>\n";
  }
  out << "<section id=\"cardinality\">\n<h2>Cardinality</h2>\n<p class=\"muted\">SHOW INDEX; for "
         "seq &gt; 1 the cardinality counts the prefix up to that column, not the column. rows ~ = "
         "estimate. Bar: selectivity (cardinality ÷ rows) on a log scale from 1e-7 to 1 — a short "
         "bar reads much of the table per value.</p>\n";
  write_cardinality(report.schema, out);
  out << "</section>\n";
  if (!report.result.skipped.empty() || !report.schema.notes.empty() ||
      !report.scenarios.notes.empty()) {
    out << "<ul class=\"notes\">\n";
    for (const std::string& skipped : report.result.skipped) {
      out << "<li>not run: " << escape_markup(skipped) << "</li>\n";
    }
    for (const std::string& note : report.schema.notes) {
      out << "<li>note: " << escape_markup(note) << "</li>\n";
    }
    for (const std::string& note : report.scenarios.notes) {
      out << "<li>note: " << escape_markup(note) << "</li>\n";
    }
    out << "</ul>\n";
  }
  html::end_page(out);
}

}  // namespace sqlmeasure
