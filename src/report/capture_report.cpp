// `capture`'s summary on stderr: per screen, its requests, statements, distinct fingerprints
// and the statements left out and why (a screen that only wrote says so, and is not written).
#include <fmt/format.h>

#include "sqlmeasure/render.h"

namespace sqlmeasure {
namespace {

// "3 write, 1 SET": how many statements were left out, by why.
std::string reasons(const std::map<std::string, std::uint64_t>& skipped) {
  std::string text;
  for (const auto& [why, count] : skipped) {
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", format_thousands(count), why);
  }
  return text;
}

}  // namespace

void render_capture_summary(const CaptureResult& result, const std::string& sources,
                            std::uint64_t bytes, std::ostream& err) {
  err << fmt::format("capture: {} event{} from {}, {}\n", format_thousands(result.events),
                     result.events == 1 ? "" : "s", sources, format_bytes(bytes));
  Table table{{"screen", "requests", "statements", "fingerprints", "left out"},
              {false, true, true, true, false},
              {}};
  for (const CapturedScreen& screen : result.screens) {
    std::uint64_t statements = 0;
    for (const CapturedQuery& query : screen.queries) statements += query.statements;
    const std::string skipped = reasons(screen.skipped);
    table.rows.push_back({screen.name, format_thousands(screen.requests),
                          format_thousands(statements), std::to_string(screen.queries.size()),
                          skipped.empty() ? "-" : skipped});
  }
  for (const auto& [name, skipped] : result.left_out) {
    table.rows.push_back({name + " (no reads: not written)", "-", "0", "0", reasons(skipped)});
  }
  write_text_table(table, err);
  if (!result.skipped.empty()) {
    err << "capture: outside any screen, left out: " << reasons(result.skipped) << '\n';
  }
  for (const std::string& renamed : result.renamed) {
    err << "capture: another screen had the name first: written as " << renamed << '\n';
  }
}

}  // namespace sqlmeasure
