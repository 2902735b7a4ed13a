// How a hint problem reads, wherever it is shown: said at once by a live compare, and in every
// format of the comparison.
#include <fmt/format.h>

#include "sqlmeasure/number_text.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure {

const char* hint_problem_name(HintProblem::Kind kind) {
  switch (kind) {
    case HintProblem::Kind::kBreaks:
      return "breaks";
    case HintProblem::Kind::kRedirected:
      return "redirected";
    case HintProblem::Kind::kIgnored:
      return "ignored";
    case HintProblem::Kind::kKeepsOff:
      return "keeps off";
  }
  return "breaks";
}

std::optional<HintProblem::Kind> hint_problem_named(std::string_view name) {
  for (HintProblem::Kind kind : {HintProblem::Kind::kBreaks, HintProblem::Kind::kRedirected,
                                 HintProblem::Kind::kIgnored, HintProblem::Kind::kKeepsOff}) {
    if (name == hint_problem_name(kind)) return kind;
  }
  return std::nullopt;
}

std::string HintProblem::describe() const {
  const std::string head =
      fmt::format("{}/{} ({}): {} on {}: ", screen, query, where.str(), hint, table);
  switch (kind) {
    case Kind::kBreaks:
      return head + fmt::format("{}; the query fails: {}", cause, error);
    case Kind::kRedirected:
      return head + fmt::format("{} now resolves to {} by prefix (it was {}); {}", index, after,
                                before, cause);
    case Kind::kIgnored:
      return head + fmt::format(
                        "{}; MySQL ignores the hint with a warning (an optimizer hint fails no "
                        "query), so the plan it asked for is gone",
                        cause);
    case Kind::kKeepsOff:
      return head + fmt::format(
                        "it keeps {} off the new index {}: without the hint {} → {} ms, rows "
                        "examined {} → {} ({} interleaved samples each, after the change; {})",
                        query, after, format_ms(with_ms), format_ms(without_ms),
                        format_count(rows_examined_with), format_count(rows_examined_without),
                        samples, cause);
  }
  return head;
}

}  // namespace sqlmeasure
