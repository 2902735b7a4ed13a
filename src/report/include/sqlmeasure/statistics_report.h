#pragma once
// `stats import` and its undo, printed: what was imported or skipped, and what the optimizer
// now believes of each table beside production's statistics and the copy's own.
#include <ostream>

#include "sqlmeasure/render.h"
#include "sqlmeasure/statistics_import_result.h"

namespace sqlmeasure {

// Table, Markdown, CSV or JSON (docs/statistics.md, "What import prints").
void render_statistics_import(const StatisticsImportResult& result, Format format,
                              std::ostream& out);
void render_statistics_undo(const StatisticsUndoResult& result, Format format, std::ostream& out);

}  // namespace sqlmeasure
