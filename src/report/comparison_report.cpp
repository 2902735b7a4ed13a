// `compare` output in every format, from the one judged comparison (render.h).
#include "comparison_formats.h"
#include "sqlmeasure/html_report.h"
#include "sqlmeasure/render.h"

namespace sqlmeasure {

void render_comparison(const Comparison& comparison, const ComparedRuns& runs, Format format,
                       const Style& style, std::ostream& out) {
  switch (format) {
    case Format::kTable:
      render_comparison_table(comparison, style, out);
      return;
    case Format::kMarkdown:
      render_comparison_markdown(comparison, style, out);
      return;
    case Format::kCsv:
      render_comparison_csv(comparison, out);
      return;
    case Format::kJson:
      render_comparison_json(comparison, out);
      return;
    case Format::kJunit:
      render_comparison_junit(comparison, out);
      return;
    case Format::kHtml:
      render_comparison_html(comparison, runs, out);
      return;
  }
}

}  // namespace sqlmeasure
