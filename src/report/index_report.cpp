// `indexes` output: the cardinality report (the talk's SHOW INDEX view, with rows, selectivity,
// distinct counts, size and visibility), the hint measurements, and the findings. Terminal,
// Markdown and JSON share the same tables; the JSON is a public contract (docs/indexes.md).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "index_text.h"
#include "sqlmeasure/advisor.h"
#include "sqlmeasure/html_report.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/results_json.h"

namespace sqlmeasure {
namespace {

// "measured: no screen changes (...)", "measured: keep — top regressed ...", "not measured: ...".
std::string measured_line(const Finding::Measured& measured) {
  if (measured.verdict == "not measured") return "not measured: " + measured.text;
  if (measured.verdict == "keep") return "measured: keep it — " + measured.text;
  return "measured: " + measured.text;
}

constexpr int kIndexReportSchemaVersion = 1;

std::string size_cell(const std::optional<std::uint64_t>& bytes) {
  return bytes ? format_bytes(*bytes) : "-";
}

std::string rows_cell(const TableInfo& table) {
  if (table.rows_counted) {
    return (table.rows_counted_is_lower_bound ? "≥" : "") + format_thousands(*table.rows_counted);
  }
  return "~" + format_thousands(table.rows_estimate);
}

std::string selectivity_cell(double value) {
  if (value >= 0.1) return fmt::format("{:.2f}", value);
  if (value >= 0.001) return fmt::format("{:.4f}", value);
  if (value >= 0.000001) return fmt::format("{:.6f}", value);
  return fmt::format("{:.1e}", value);
}

std::string column_cell(const IndexColumn& column) {
  std::string text = column.column.empty() ? "(" + column.expression + ")" : column.column;
  if (column.sub_part) text += fmt::format("({})", *column.sub_part);
  if (column.descending) text += " DESC";
  return text;
}

std::string visible_cell(const IndexInfo& index, const ServerInfo& server) {
  if (index.visible) return "yes";
  return server.flavor == Flavor::kMariaDB ? "IGNORED" : "INVISIBLE";
}

std::string distinct_cell(const TableInfo& table, const IndexColumn& column) {
  if (column.column.empty()) return "-";
  const ColumnProfile* profile = table.profile(column.column);
  if (profile == nullptr) return "-";
  return (profile->sampled ? "~" : "") + format_thousands(profile->distinct) +
         (profile->distinct_capped ? "+" : "");
}

// The talk's SHOW INDEX view, with what the server knows around it.
Table cardinality_table(const SchemaInfo& schema) {
  Table table{{"table", "rows", "key_name", "seq", "column", "cardinality", "selectivity",
               "distinct", "unique", "type", "visible", "size"},
              {false, true, false, true, false, true, true, true, false, false, false, true},
              {}};
  for (const TableInfo& info : schema.tables) {
    bool first_row = true;
    if (info.indexes.empty()) {
      table.rows.push_back(
          {info.name, rows_cell(info), "(no index)", "", "", "", "", "", "", "", "", ""});
    }
    for (const IndexInfo& index : info.indexes) {
      for (size_t i = 0; i < index.columns.size(); ++i) {
        const IndexColumn& column = index.columns[i];
        const std::uint64_t rows = info.rows();
        std::string selectivity = "-";
        if (column.cardinality && rows > 0) {
          selectivity = selectivity_cell(
              std::min(1.0, static_cast<double>(*column.cardinality) / static_cast<double>(rows)));
        }
        table.rows.push_back({info.name, first_row ? rows_cell(info) : "", i == 0 ? index.name : "",
                              std::to_string(column.seq), column_cell(column),
                              column.cardinality ? format_thousands(*column.cardinality) : "NULL",
                              selectivity, distinct_cell(info, column),
                              i == 0 ? (index.unique ? "yes" : "no") : "", i == 0 ? index.type : "",
                              i == 0 ? visible_cell(index, schema.server) : "",
                              i == 0 ? size_cell(index.size_bytes) : ""});
        first_row = false;
      }
    }
  }
  return table;
}

std::string verdict_of(const HintEvidence& hint, double threshold) {
  if (!hint.measured) return hint.error ? "not measured: " + *hint.error : "not measured";
  const HintMeasurement& m = *hint.measured;
  if (m.plan_with == m.plan_without) return "same plan: not needed";
  const double speedup = m.with_ms > 0 ? m.without_ms / m.with_ms : 1;
  const double slowdown = m.without_ms > 0 ? m.with_ms / m.without_ms : 1;
  if (speedup >= threshold) return "helps " + format_factor(speedup);
  if (slowdown >= threshold) return "HURTS: " + format_factor(slowdown) + " slower";
  return "no measurable effect";
}

Table hints_table(const IndexReport& report) {
  Table table{
      {"query", "hint", "with ms", "without ms", "rows ex. with", "rows ex. without", "verdict"},
      {false, false, true, true, true, true, false},
      {}};
  for (const HintEvidence& hint : report.scenarios.hints) {
    const bool measured = hint.measured.has_value();
    table.rows.push_back({hint.label(), hint.hint,
                          measured ? format_ms(hint.measured->with_ms) : "-",
                          measured ? format_ms(hint.measured->without_ms) : "-",
                          measured ? format_thousands(hint.measured->rows_examined_with) : "-",
                          measured ? format_thousands(hint.measured->rows_examined_without) : "-",
                          verdict_of(hint, report.thresholds.hint_effect_ratio)});
  }
  return table;
}

Table findings_table(const AdvisorResult& result) {
  Table table{
      {"severity", "rule", "table", "index", "finding"}, {false, false, false, false, false}, {}};
  for (const Finding& finding : result.findings) {
    table.rows.push_back({severity_name(finding.severity), finding.rule, finding.table,
                          finding.index, finding.summary});
  }
  return table;
}

std::string counts_line(const AdvisorResult& result) {
  int counts[3] = {0, 0, 0};
  for (const Finding& finding : result.findings) ++counts[static_cast<int>(finding.severity)];
  return fmt::format("{} finding{}: {} error, {} warning, {} info", result.findings.size(),
                     result.findings.size() == 1 ? "" : "s", counts[2], counts[1], counts[0]);
}

std::string header_line(const IndexReport& report) {
  size_t indexes = 0;
  for (const TableInfo& table : report.schema.tables) indexes += table.indexes.size();
  return fmt::format("{} · {} {} · {} · {} table{}, {} index{}", report.schema.database,
                     flavor_name(report.schema.server.flavor), report.schema.server.version,
                     report.schema.server.endpoint, report.schema.tables.size(),
                     report.schema.tables.size() == 1 ? "" : "s", indexes,
                     indexes == 1 ? "" : "es");
}

// Scenario queries whose EXPLAIN failed.
size_t failed_queries(const ScenarioEvidence& scenarios) {
  size_t failed = 0;
  for (const QueryEvidence& query : scenarios.queries) failed += query.error ? 1 : 0;
  return failed;
}

std::string scenarios_line(const ScenarioEvidence& scenarios) {
  if (!scenarios.loaded) {
    return "scenarios: none given (--scenarios DIR): unused-index, hint and ORDER BY rules "
           "skipped";
  }
  const size_t failed = failed_queries(scenarios);
  return fmt::format(
      "scenarios: {} · {} screen{}, {} quer{} explained{}, {} index hint{}, {} "
      "ORDER BY on a creation time",
      scenarios.directory, scenarios.screens, scenarios.screens == 1 ? "" : "s",
      scenarios.queries.size(), scenarios.queries.size() == 1 ? "y" : "ies",
      failed ? fmt::format(" ({} failed)", failed) : "", scenarios.hints.size(),
      scenarios.hints.size() == 1 ? "" : "s", scenarios.order_bys.size());
}

// ANSI colour of a severity's tag: cyan info, yellow warning, red error.
const char* color_of(Severity severity) {
  constexpr const char* kColors[] = {"\x1b[36m", "\x1b[33m", "\x1b[31m"};  // by Severity
  return kColors[static_cast<size_t>(severity)];
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out = prefix;
  for (char c : text) {
    out += c;
    if (c == '\n') out += prefix;
  }
  return out;
}

void write_text(const IndexReport& report, const Style& style, std::ostream& out) {
  out << header_line(report) << '\n';
  out << scenarios_line(report.scenarios) << '\n';
  out << "\nCardinality (SHOW INDEX; for seq > 1 it counts the prefix up to that column, not the "
         "column; rows ~ = estimate; distinct = counted"
      << (report.schema.exact ? ", ~ = sampled estimate" : " where a rule needed it") << ")\n";
  write_text_table(cardinality_table(report.schema), out);
  if (!report.scenarios.hints.empty()) {
    out << "\nIndex hints, timed with and without (median of interleaved samples)\n";
    write_text_table(hints_table(report), out);
  }
  out << '\n' << counts_line(report.result) << '\n';
  for (const Finding& finding : report.result.findings) {
    const std::string severity = severity_name(finding.severity);
    out << '\n'
        << (style.color ? color_of(finding.severity) : "") << "[" << severity << "]"
        << (style.color ? "\x1b[0m" : "") << ' ' << finding.rule << " · " << finding.table
        << (finding.index.empty() ? "" : "." + finding.index) << '\n';
    out << "  " << finding.summary << '\n';
    for (const std::string& line : finding.evidence) out << "  - " << line << '\n';
    if (!finding.fix.empty()) {
      out << "  fix:\n";
      for (const std::string& sql : finding.fix) out << indent(sql, "    ") << '\n';
    }
    for (const std::string& line : finding.verify) out << "  > " << line << '\n';
    if (finding.measured) out << "  " << measured_line(*finding.measured) << '\n';
  }
  if (!report.result.skipped.empty() || !report.schema.notes.empty() ||
      !report.scenarios.notes.empty()) {
    out << '\n';
    for (const std::string& skipped : report.result.skipped) out << "not run: " << skipped << '\n';
    for (const std::string& note : report.schema.notes) out << "note: " << note << '\n';
    for (const std::string& note : report.scenarios.notes) out << "note: " << note << '\n';
  }
}

void write_markdown(const IndexReport& report, std::ostream& out) {
  out << "## sqlmeasure indexes: " << header_line(report) << "\n\n";
  out << scenarios_line(report.scenarios) << "\n\n";
  out << "### " << counts_line(report.result) << "\n\n";
  if (!report.result.findings.empty()) write_markdown_table(findings_table(report.result), out);
  for (const Finding& finding : report.result.findings) {
    out << "\n#### " << severity_name(finding.severity) << " · `" << finding.rule << "` · "
        << finding.table << (finding.index.empty() ? "" : "." + finding.index) << "\n\n";
    out << finding.summary << "\n\n";
    for (const std::string& line : finding.evidence) out << "- " << line << '\n';
    if (!finding.fix.empty()) {
      out << "\n```sql\n";
      for (const std::string& sql : finding.fix) out << sql << '\n';
      out << "```\n";
    }
    if (!finding.verify.empty()) {
      out << "\nBefore acting:\n\n";
      for (const std::string& line : finding.verify) out << "- " << line << '\n';
    }
    if (finding.measured) out << "\n**" << measured_line(*finding.measured) << "**\n";
  }
  if (!report.scenarios.hints.empty()) {
    out << "\n### Index hints, timed with and without\n\n";
    write_markdown_table(hints_table(report), out);
  }
  out << "\n### Cardinality\n\nSHOW INDEX cardinality of seq > 1 counts the prefix up to that "
         "column, not the column.\n\n";
  write_markdown_table(cardinality_table(report.schema), out);
  if (!report.result.skipped.empty() || !report.schema.notes.empty()) {
    out << '\n';
    for (const std::string& skipped : report.result.skipped)
      out << "- not run: " << skipped << '\n';
    for (const std::string& note : report.schema.notes) out << "- note: " << note << '\n';
  }
}

template <typename T>
nlohmann::json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// A key part, with the distinct values counted for its column when there are.
nlohmann::json column_json(const TableInfo& table, const IndexColumn& column) {
  const ColumnProfile* profile = column.column.empty() ? nullptr : table.profile(column.column);
  nlohmann::json distinct = nullptr;
  if (profile != nullptr) {
    distinct = {{"count", profile->distinct},
                {"sampled", profile->sampled},
                {"lower_bound", profile->distinct_capped},
                {"method", profile->method}};
  }
  return {{"seq_in_index", column.seq},
          {"column", column.column},
          {"expression", column.expression},
          {"sub_part", optional_json(column.sub_part)},
          {"descending", column.descending},
          {"nullable", column.nullable},
          {"cardinality", optional_json(column.cardinality)},
          {"distinct", distinct}};
}

nlohmann::json index_json(const TableInfo& table, const IndexInfo& index) {
  nlohmann::json columns = nlohmann::json::array();
  for (const IndexColumn& column : index.columns) columns.push_back(column_json(table, column));
  return {{"name", index.name},
          {"unique", index.unique},
          {"type", index.type},
          {"visible", index.visible},
          {"size_bytes", optional_json(index.size_bytes)},
          {"columns", columns}};
}

// The counted column profiles, by column name.
nlohmann::json profiles_json(const TableInfo& table) {
  nlohmann::json profiles = nlohmann::json::object();
  for (const auto& [name, profile] : table.profiles) {
    nlohmann::json top = nlohmann::json::array();
    for (const ValueCount& value : profile.top) {
      top.push_back({{"value", optional_json(value.value)}, {"count", value.count}});
    }
    profiles[name] = {{"distinct", profile.distinct},
                      {"sampled", profile.sampled},
                      {"lower_bound", profile.distinct_capped},
                      {"rows_read", profile.rows_read},
                      {"top", top},
                      {"method", profile.method}};
  }
  return profiles;
}

nlohmann::json table_json(const TableInfo& table) {
  nlohmann::json indexes = nlohmann::json::array();
  for (const IndexInfo& index : table.indexes) indexes.push_back(index_json(table, index));
  return {{"name", table.name},
          {"engine", table.engine},
          {"rows_estimate", table.rows_estimate},
          {"rows_counted", optional_json(table.rows_counted)},
          {"rows_counted_is_lower_bound", table.rows_counted_is_lower_bound},
          {"data_bytes", optional_json(table.data_bytes)},
          {"index_bytes", optional_json(table.index_bytes)},
          {"statistics_look_stale", table.statistics_look_stale()},
          {"indexes", indexes},
          {"column_profiles", profiles_json(table)}};
}

nlohmann::json finding_json(const Finding& finding) {
  nlohmann::json out = {{"rule", finding.rule},       {"severity", severity_name(finding.severity)},
                        {"table", finding.table},     {"index", finding.index},
                        {"summary", finding.summary}, {"evidence", finding.evidence},
                        {"fix", finding.fix},         {"verify", finding.verify}};
  if (!finding.drops.empty()) out["drops"] = finding.drops;
  if (finding.measured) {
    out["measured"] = {{"verdict", finding.measured->verdict}, {"text", finding.measured->text}};
  }
  return out;
}

nlohmann::json measurement_json(const HintMeasurement& m) {
  return {{"samples", m.samples},
          {"variants", m.variants},
          {"with_median_ms", m.with_ms},
          {"without_median_ms", m.without_ms},
          {"rows_examined_with", m.rows_examined_with},
          {"rows_examined_without", m.rows_examined_without},
          {"plan_with", plan_to_json(m.plan_with)},
          {"plan_without", plan_to_json(m.plan_without)}};
}

nlohmann::json hint_json(const HintEvidence& hint, double threshold) {
  return {{"screen", hint.screen},
          {"query", hint.query},
          {"table", hint.table},
          {"kind", hint.kind},
          {"hint", hint.hint},
          {"indexes", hint.indexes},
          {"measured", hint.measured ? measurement_json(*hint.measured) : nullptr},
          {"verdict", verdict_of(hint, threshold)},
          {"error", optional_json(hint.error)}};
}

nlohmann::json rules_json() {
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleInfo& rule : advisor_rules()) {
    rules.push_back({{"id", rule.id},
                     {"description", rule.description},
                     {"default_severity", severity_name(rule.default_severity)},
                     {"needs_scenarios", rule.needs_scenarios}});
  }
  return rules;
}

nlohmann::json scenarios_json(const ScenarioEvidence& scenarios) {
  return {{"loaded", scenarios.loaded},
          {"directory", scenarios.directory},
          {"screens", scenarios.screens},
          {"queries", scenarios.queries.size()},
          {"queries_failed", failed_queries(scenarios)}};
}

nlohmann::json thresholds_json(const AdvisorThresholds& thresholds) {
  return {{"min_rows", thresholds.min_rows},
          {"low_cardinality_max_distinct", thresholds.low_cardinality_max_distinct},
          {"composite_selectivity_ratio", thresholds.composite_selectivity_ratio},
          {"hint_effect_ratio", thresholds.hint_effect_ratio},
          {"order_agreement_min", thresholds.order_agreement_min}};
}

// The JSON report: a public contract (docs/indexes.md), versioned by schema_version.
nlohmann::json to_json(const IndexReport& report) {
  const SchemaInfo& schema = report.schema;
  nlohmann::json tables = nlohmann::json::array();
  for (const TableInfo& table : schema.tables) tables.push_back(table_json(table));
  nlohmann::json findings = nlohmann::json::array();
  for (const Finding& finding : report.result.findings) findings.push_back(finding_json(finding));
  nlohmann::json hints = nlohmann::json::array();
  for (const HintEvidence& hint : report.scenarios.hints) {
    hints.push_back(hint_json(hint, report.thresholds.hint_effect_ratio));
  }
  return {{"schema_version", kIndexReportSchemaVersion},
          {"database", schema.database},
          {"server",
           {{"flavor", flavor_name(schema.server.flavor)},
            {"version", schema.server.version},
            {"endpoint", schema.server.endpoint}}},
          {"exact", schema.exact},
          {"scenarios", scenarios_json(report.scenarios)},
          {"thresholds", thresholds_json(report.thresholds)},
          {"rules", rules_json()},
          {"tables", tables},
          {"hints", hints},
          {"findings", findings},
          {"skipped", report.result.skipped},
          {"notes", schema.notes}};
}

}  // namespace

Table index_cardinality_table(const SchemaInfo& schema) { return cardinality_table(schema); }
Table index_hints_table(const IndexReport& report) { return hints_table(report); }
std::string index_header_line(const IndexReport& report) { return header_line(report); }
std::string index_scenarios_line(const ScenarioEvidence& scenarios) {
  return scenarios_line(scenarios);
}
std::string index_counts_line(const AdvisorResult& result) { return counts_line(result); }
std::string index_measured_line(const Finding::Measured& measured) {
  return measured_line(measured);
}

void render_index_report(const IndexReport& report, Format format, const Style& style,
                         std::ostream& out) {
  switch (format) {
    case Format::kJson:
      out << to_json(report).dump(2) << '\n';
      return;
    case Format::kMarkdown:
      write_markdown(report, out);
      return;
    case Format::kHtml:
      render_index_report_html(report, out);
      return;
    case Format::kTable:
    case Format::kCsv:
    case Format::kJunit:
      break;
  }
  write_text(report, style, out);
}

}  // namespace sqlmeasure
