#pragma once
// Renderers: a terminal table, Markdown, CSV, JSON, JUnit. Every tabular export is built
// from one Table model, so the formats never disagree.
#include <ostream>
#include <string>
#include <vector>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/compare.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/plan_fidelity.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure {

enum class Format { kTable, kJson, kMarkdown, kCsv, kJunit, kHtml };
// `flag` names the option in errors; `allowed` lists what this command can write.
[[nodiscard]] Format parse_format(const std::string& text, const std::vector<Format>& allowed);
[[nodiscard]] const char* format_name(Format format);

struct Style {
  bool color = false;  // ANSI colour: only on a terminal, never with NO_COLOR
  // Where the full report is (--report-url, else the HTML report's file), named when a
  // Markdown comment is cut to fit GitHub's limit.
  std::string full_report;
};

struct Table {
  std::vector<std::string> headers;
  std::vector<bool> right_align;
  std::vector<std::vector<std::string>> rows;
};
void write_text_table(const Table& table, std::ostream& out);
void write_markdown_table(const Table& table, std::ostream& out);
// `with_header` false: the rows only, to go on a table written before (one written in parts).
void write_csv_table(const Table& table, std::ostream& out, bool with_header = true);
// The table as `format` writes it: text (kTable), Markdown or CSV.
void write_table(const Table& table, Format format, std::ostream& out);

// `run`: per-screen table (the talk's one figure per screen, done properly).
void render_run(const RunResult& run, Format format, const Style& style, std::ostream& out);
// `explain`: the plan of every query; with `against` (explain --against), the plan-fidelity
// check after them — in JSON, the document is then {"plans": [...], "fidelity": {...}}.
void render_plans(const RunResult& run, Format format, std::ostream& out,
                  const PlanFidelity* against = nullptr);
// A plan-fidelity check alone (run --plans-from): the summary line and each query not planned
// as production (table, Markdown, CSV comment lines), or its JSON object.
void render_plan_fidelity(const PlanFidelity& fidelity, Format format, std::ostream& out);
// `list`: screens and their queries.
void render_screen_list(const std::vector<Screen>& screens, Format format, std::ostream& out);
// `compare`.
// The runs a comparison was judged from, whose samples the HTML report's charts draw (the other
// formats ignore them): each side's phases in the order they were measured (a live compare:
// before 1, 2, ...; after 1, 2, ...), or the one run of each side. The charts interleave them
// as measured: before 1, after 1, before 2, ...
struct ComparedRuns {
  std::vector<const RunResult*> before, after;
};
// `comparison` in `format`, HTML included: the one way every compare mode prints its verdict.
void render_comparison(const Comparison& comparison, const ComparedRuns& runs, Format format,
                       const Style& style, std::ostream& out);
// `indexes`: table (terminal), json (a public contract, docs/indexes.md) or markdown.
void render_index_report(const IndexReport& report, Format format, const Style& style,
                         std::ostream& out);

// `capture`: what each screen holds and what was left out, for stderr.
void render_capture_summary(const CaptureResult& result, const std::string& sources,
                            std::uint64_t bytes, std::ostream& out);

}  // namespace sqlmeasure
