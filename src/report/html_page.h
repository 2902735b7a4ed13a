#pragma once
// What every HTML report shares (html_report.h): the page and its stylesheet, tables,
// and the two SVG charts. Private to src/report/.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "markup.h"
#include "sqlmeasure/render.h"

namespace sqlmeasure::html {

// <!DOCTYPE html> … <body>, with the one inline stylesheet (screen and print).
void begin_page(std::ostream& out, const std::string& title);
void end_page(std::ostream& out);

// A Table as <table>; `row_classes` (optional, one per row) become each <tr>'s class, and
// `first_column_links` (optional) wraps the first cell of each row in a link to that anchor.
void write_table(std::ostream& out, const Table& table,
                 const std::vector<std::string>& row_classes = {},
                 const std::vector<std::string>& first_column_links = {});

// A number for an SVG coordinate: one decimal, no trailing zero ("12.5", "3").
[[nodiscard]] std::string coord(double value);

// One phase of a comparison chart: its samples in the order taken.
struct ChartPhase {
  std::string label;  // "before 1", "after 2", "before", "after"
  bool after = false;
  std::vector<std::int64_t> samples_ns;
};

struct ChartLines {
  std::optional<double> before_median_ms, after_median_ms;
  // The band within which an after median is no time change (the verdict rule's threshold and
  // noise floor around the before median).
  std::optional<double> band_low_ms, band_high_ms;
  std::string band_label;
  // A budget's figure (its median, else its p95), drawn dotted in red with its label.
  std::optional<double> budget_ms;
  std::string budget_label;
};

// The samples of every phase in order, left to right, one mark per sample (a circle before,
// a square after, in <g class="mb"> / <g class="ma">), with each phase's median, the pooled
// medians and the band. Returns how many marks it drew.
std::size_t write_phase_chart(std::ostream& out, const std::vector<ChartPhase>& phases,
                              const ChartLines& lines, const std::string& title);

// One run's samples of a screen as a strip (one mark per sample, jittered) over a box of the
// quartiles, with the median and the 5th-95th percentile whiskers. Returns the marks drawn.
std::size_t write_distribution_chart(std::ostream& out, const std::vector<std::int64_t>& samples_ns,
                                     const std::string& title);

// One screen over the runs a history keeps: its median per run left to right, joined by a
// line (<path class="ml">) with a mark per run (<g class="mb">), its p95 as a dotted line,
// and each run where its plan changed marked apart (<g class="pc">, a square). `titles` says
// each run's mark (its run and figures). Returns the runs drawn.
std::size_t write_series_chart(std::ostream& out, const std::vector<double>& median_ms,
                               const std::vector<double>& p95_ms,
                               const std::vector<bool>& plan_changed,
                               const std::vector<std::string>& titles, const std::string& title);

}  // namespace sqlmeasure::html
