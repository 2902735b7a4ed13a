#pragma once
// The HTML report (--format html, --report FILE; docs/report.md): one self-contained page —
// inline CSS and SVG, no script, font or request outside the file — that a reviewer opens from
// a CI artifact or an e-mail, and that prints legibly.
#include <ostream>
#include <vector>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/compare.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure {

// The verdict table first, then each screen's samples with the medians and the threshold band,
// and under a regressed screen the queries responsible, their plans side by side. Without
// runs the charts are left out and the page says so.
void render_comparison_html(const Comparison& comparison, const ComparedRuns& runs,
                            std::ostream& out);
// `run`: the per-screen table, and each screen's distribution of samples.
void render_run_html(const RunResult& run, std::ostream& out);
// `indexes`: the findings with their evidence and fix SQL, the cardinality table with
// selectivity bars.
void render_index_report_html(const IndexReport& report, std::ostream& out);

// More samples than this in one chart are thinned (evenly, every k-th) so that a report of a
// long live compare stays small; the chart says how many it shows of how many.
inline constexpr std::size_t kMaxChartSamples = 4000;

}  // namespace sqlmeasure
