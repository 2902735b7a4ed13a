// `compare --format junit`: a test case per screen, a failure per screen that fails the gate,
// skipped for an accepted one; every name and message through the one markup escaper.
#include <fmt/format.h>

#include "comparison_formats.h"
#include "comparison_text.h"
#include "markup.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

void render_comparison_junit(const Comparison& comparison, std::ostream& out) {
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
                       escape_markup(screen.name), screen.time.after_ms / 1000.0);
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
          escape_markup(without_control_bytes(accepted_text(screen))), escape_markup(details));
    } else if (screen.fails_gate(comparison.rule)) {
      out << fmt::format(
          ">\n      <failure message=\"{} {} → {} ms ({})\">{}</failure>\n    </testcase>\n",
          escape_markup(verdict_name(screen.verdict())), format_ms(screen.time.before_ms),
          format_ms(screen.time.after_ms), escape_markup(delta(screen.time)),
          escape_markup(details));
    } else if (!details.empty()) {
      out << fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n",
                         escape_markup(details));
    } else {
      out << "/>\n";
    }
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace sqlmeasure
