#pragma once
// The per-screen table of `run` (screen, queries, median, p95, rows examined, note: errors, and
// the budget a screen is over), shared by the terminal, Markdown, CSV and HTML renderers.
// Private to src/report/.
#include "sqlmeasure/render.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure {

[[nodiscard]] Table run_table(const RunResult& run);

}  // namespace sqlmeasure
