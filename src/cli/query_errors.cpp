// The exit status of a command whose queries can fail one by one.
#include <fmt/format.h>

#include "command.h"
#include "sqlmeasure/error.h"

namespace sqlmeasure {

void fail_on_query_errors(const RunResult& run, const std::string& hint) {
  std::size_t failed = 0;
  for (const ScreenResult& screen : run.screens) {
    for (const QueryResult& query : screen.queries) failed += query.error ? 1 : 0;
  }
  if (failed > 0) {
    fail(ExitCode::kRuntime,
         fmt::format("{} quer{} failed ({})", failed, failed == 1 ? "y" : "ies", hint));
  }
}

}  // namespace sqlmeasure
