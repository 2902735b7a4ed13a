#pragma once
// `sqlmeasure history`: each screen over the runs a history directory keeps (docs/history.md).
#include <ostream>
#include <string>

#include "sqlmeasure/history.h"
#include "sqlmeasure/render.h"

namespace sqlmeasure {

// Table (with a sparkline of the medians), Markdown, CSV (a row per screen and run), JSON, or
// HTML (a chart per screen). `directory` names the history in headers.
void render_history(const HistoryRead& read, const std::string& directory, Format format,
                    const Style& style, std::ostream& out);

// The HTML page alone (render_history's kHtml).
void render_history_html(const std::vector<IdentityHistory>& groups, const std::string& directory,
                         const Style& style, std::ostream& out);

// The runs the history keeps, a row each (history --runs).
void render_history_runs(const HistoryRead& read, Format format, std::ostream& out);

// Eight levels from the lowest value to the highest, one character each: "▁▂▅█▃".
[[nodiscard]] std::string sparkline(const std::vector<double>& values);

}  // namespace sqlmeasure
