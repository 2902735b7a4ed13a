// The page, its stylesheet and the SVG charts every HTML report shares. Everything is inline:
// the file opens from a CI artifact or an e-mail without any request.
#include "html_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <tuple>

#include "sqlmeasure/html_report.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/stats.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::html {
namespace {

// Colour marks before and after, but shapes (circle, square), dashes and words say it too.
constexpr const char* kStyle = R"css(
:root{--b:#1f5fa8;--a:#c2410c;--bad:#b91c1c;--good:#15803d;--warn:#a16207;--line:#d4d4d8;--muted:#52525b}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#18181b;margin:0 auto;max-width:1120px;padding:16px 24px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:18px 0 6px}h3{font-size:15px;margin:12px 0 4px}
code,pre,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
pre{background:#f4f4f5;border:1px solid var(--line);padding:6px 8px;white-space:pre-wrap;word-break:break-word;margin:4px 0}
table{border-collapse:collapse;margin:6px 0 10px}
th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f5;font-weight:600}
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.summary{font-size:16px;font-weight:600;padding:6px 10px;border-left:6px solid var(--good);background:#f0fdf4}
.summary.fail{border-left-color:var(--bad);background:#fef2f2}
.v{font-weight:600;white-space:nowrap}
.v-error,.v-regressed,.v-over-budget,.sev-error{color:var(--bad)}
.v-improved,.v-fixed{color:var(--good)}
.v-plan-changed,.v-results-differ,.v-new-warning,.sev-warning{color:var(--warn)}
tr.gated td{background:#fef2f2}
section.screen{border-top:2px solid var(--line);margin-top:14px;padding-top:4px}
ul.notes li{margin:2px 0}
.muted{color:var(--muted)}
.sbs{display:flex;gap:12px;flex-wrap:wrap}.sbs>div{flex:1 1 420px;min-width:0;overflow-x:auto}
.sbs table{font-size:12px}
svg{max-width:100%;height:auto;font:11px system-ui,"DejaVu Sans",sans-serif}
svg text{fill:#3f3f46}svg path{fill:none}
.mb{stroke:var(--b);stroke-linecap:round;stroke-width:5;opacity:.8}
.ma{stroke:var(--a);stroke-linecap:square;stroke-width:4.4;opacity:.8}
.pa{fill:#fff7ed}.band{fill:#e4e4e7;opacity:.7}.grid{stroke:#e4e4e7}.axis{stroke:#71717a}
.lb{stroke:var(--b);stroke-width:1.5;stroke-dasharray:6 3}.la{stroke:var(--a);stroke-width:1.5}
.lbud{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:2 3}
.pm{stroke:#18181b;stroke-width:2.5}
.box{fill:#dbeafe;stroke:var(--b)}.whisker{stroke:var(--b)}.med{stroke:#18181b;stroke-width:2.5}
.ml{stroke:var(--b);stroke-width:1.5}.p95{stroke:#a1a1aa;stroke-width:1;stroke-dasharray:2 3}
.pc rect{fill:var(--bad)}.key.pc{background:var(--bad)}
.legend{display:flex;gap:14px;flex-wrap:wrap;color:var(--muted);font-size:12px;margin:2px 0 8px}
.key{display:inline-block;width:9px;height:9px;margin-right:4px;vertical-align:middle}
.key.b{background:var(--b);border-radius:50%}.key.a{background:var(--a)}
.bar{display:inline-block;height:9px;background:var(--b);vertical-align:middle;margin-right:6px;min-width:1px}
.barcell{white-space:nowrap}
@media print{body{font-size:10pt;max-width:none;padding:0}section.screen,figure,tr{break-inside:avoid}
a{color:inherit;text-decoration:none}.summary{background:none}pre{background:none}th{background:none}}
)css";

// The 1-2-5 step that divides `top` into about four.
double nice_step(double top) {
  if (top <= 0) return 1;
  const double rough = top / 4;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (rough <= factor * power) return factor * power;
  }
  return 10 * power;
}

// A tick with the decimals its step needs: "0", "20", "2.5", "0.05".
std::string tick_label(double ms, double step) {
  if (ms == 0) return "0";
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fmt::format("{:.{}f}", ms, std::min(decimals, 6));
}

// Every k-th sample when there are more than the chart shows.
std::size_t stride_for(std::size_t total) {
  return total <= kMaxChartSamples ? 1 : (total + kMaxChartSamples - 1) / kMaxChartSamples;
}

double ms_of(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

double quantile_of(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return quantile(values, q);
}

// A chart's value axis: a round top above the samples and `lines`, unless a few outliers
// would flatten the rest (they then sit on the edge, and write_chart_notes counts them).
struct Axis {
  double top = 1, step = 1;
};
Axis axis_for(const std::vector<double>& ms,
              std::initializer_list<std::optional<double>> lines = {}) {
  double top = ms.empty() ? 1 : *std::max_element(ms.begin(), ms.end());
  const double q99 = quantile_of(ms, 0.99);
  if (top > q99 * 3 && q99 > 0) top = q99 * 1.5;
  for (const std::optional<double>& line : lines) {
    if (line) top = std::max(top, *line);
  }
  const double step = nice_step(top * 1.05);
  top = std::ceil(top * 1.05 / step) * step;
  if (top <= 0) top = 1;
  return {top, step};
}

void open_svg(std::ostream& out, double width, double height, const std::string& title) {
  out << fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\">"
      "<title>{}</title>\n",
      width, height, width, height, escape_markup(title));
}

// What a chart leaves out, under it: how it was thinned, and the samples beyond its `edge`.
void write_chart_notes(std::ostream& out, std::size_t stride, std::size_t total, std::size_t drawn,
                       std::size_t above, double top, const char* edge) {
  if (stride > 1) {
    out << "<p class=\"muted\">Thinned: 1 sample in " << stride << " of " << total << " is drawn ("
        << drawn << ").</p>\n";
  }
  if (above > 0) {
    out << "<p class=\"muted\">" << above << " sample" << (above == 1 ? "" : "s") << " above "
        << format_ms(top) << " ms drawn on the " << edge << " edge.</p>\n";
  }
}

}  // namespace

void begin_page(std::ostream& out, const std::string& title) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      << "<meta name=\"generator\" content=\"sqlmeasure\"/>\n"
      << "<title>" << escape_markup(title) << "</title>\n<style>" << kStyle
      << "</style>\n</head>\n<body>\n";
}

void end_page(std::ostream& out) {
  out << "<footer class=\"muted\"><p>Written by sqlmeasure. Self-contained: no script, font or "
         "request outside this file.</p></footer>\n</body>\n</html>\n";
}

void write_table(std::ostream& out, const Table& table, const std::vector<std::string>& row_classes,
                 const std::vector<std::string>& first_column_links) {
  auto align = [&](std::size_t i) {
    return i < table.right_align.size() && table.right_align[i] ? " class=\"r\"" : "";
  };
  out << "<table>\n<thead><tr>";
  for (std::size_t i = 0; i < table.headers.size(); ++i) {
    out << "<th" << align(i) << ">" << escape_markup(table.headers[i]) << "</th>";
  }
  out << "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string row_class = r < row_classes.size() ? row_classes[r] : "";
    out << (row_class.empty() ? "<tr>" : "<tr class=\"" + escape_markup(row_class) + "\">");
    for (std::size_t i = 0; i < table.rows[r].size(); ++i) {
      const std::string& cell = table.rows[r][i];
      out << "<td" << align(i) << ">";
      if (i == 0 && r < first_column_links.size() && !first_column_links[r].empty()) {
        out << "<a href=\"#" << escape_markup(first_column_links[r]) << "\">" << escape_markup(cell)
            << "</a>";
      } else {
        out << escape_markup(cell);
      }
      out << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n";
}

std::string coord(double value) {
  const double rounded = std::round(value * 10) / 10;
  std::string text = fmt::format("{:.1f}", rounded);
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  if (text == "-0") text = "0";
  return text;
}

std::size_t write_phase_chart(std::ostream& out, const std::vector<ChartPhase>& phases,
                              const ChartLines& lines, const std::string& title) {
  constexpr double kWidth = 760, kHeight = 210, kLeft = 52, kRight = 150, kTop = 10, kBottom = 36,
                   kGap = 10, kMinPhase = 26;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  std::size_t total = 0;
  std::vector<double> all;
  for (const ChartPhase& phase : phases) {
    total += phase.samples_ns.size();
    for (std::int64_t ns : phase.samples_ns) all.push_back(ms_of(ns));
  }
  const std::size_t stride = stride_for(total);
  const Axis axis = axis_for(
      all, {lines.before_median_ms, lines.after_median_ms, lines.band_high_ms, lines.budget_ms});
  const double top = axis.top, step = axis.step;
  auto y_of = [&](double ms) { return kTop + plot_h - std::min(ms, top) / top * plot_h; };

  // Phase widths follow their sample counts, with a minimum so an empty phase is still seen.
  const double gaps = phases.empty() ? 0 : kGap * static_cast<double>(phases.size() - 1);
  double weight = 0;
  for (const ChartPhase& phase : phases) {
    weight += std::max<double>(static_cast<double>(phase.samples_ns.size()), 1);
  }
  std::vector<double> widths;
  double fixed = 0;
  for (const ChartPhase& phase : phases) {
    const double w = (plot_w - gaps) *
                     std::max<double>(static_cast<double>(phase.samples_ns.size()), 1) /
                     std::max(weight, 1.0);
    widths.push_back(std::max(w, kMinPhase));
    fixed += widths.back();
  }
  const double shrink = fixed + gaps > plot_w && fixed > 0 ? (plot_w - gaps) / fixed : 1;
  for (double& w : widths) w *= shrink;

  open_svg(out, kWidth, kHeight, title);
  // Grid and y axis.
  for (double tick = 0; tick <= top + step / 2; tick += step) {
    const std::string y = coord(y_of(tick));
    out << "<path class=\"grid\" d=\"M" << coord(kLeft) << ' ' << y << "H" << coord(kLeft + plot_w)
        << "\"/><text x=\"" << coord(kLeft - 4) << "\" y=\"" << coord(y_of(tick) + 4)
        << "\" text-anchor=\"end\">" << tick_label(tick, step) << "</text>\n";
  }
  out << "<text x=\"" << coord(kLeft - 4) << "\" y=\"" << coord(kTop + plot_h + 27)
      << "\" text-anchor=\"end\">ms</text>\n";
  // The band first, under everything.
  if (lines.band_low_ms && lines.band_high_ms) {
    const double y1 = y_of(*lines.band_high_ms), y2 = y_of(*lines.band_low_ms);
    out << "<rect class=\"band\" x=\"" << coord(kLeft) << "\" y=\"" << coord(y1) << "\" width=\""
        << coord(plot_w) << "\" height=\"" << coord(std::max(y2 - y1, 0.5)) << "\"><title>"
        << escape_markup(lines.band_label) << "</title></rect>\n";
  }
  // Each phase: its background, label, median, and marks.
  double x = kLeft;
  std::size_t drawn = 0, above = 0;
  for (std::size_t p = 0; p < phases.size(); ++p) {
    const ChartPhase& phase = phases[p];
    const double w = widths[p];
    if (phase.after) {
      out << "<rect class=\"pa\" x=\"" << coord(x) << "\" y=\"" << coord(kTop) << "\" width=\""
          << coord(w) << "\" height=\"" << coord(plot_h) << "\"/>\n";
    }
    out << "<text x=\"" << coord(x + w / 2) << "\" y=\"" << coord(kTop + plot_h + 14)
        << "\" text-anchor=\"middle\">" << escape_markup(phase.label) << "</text>";
    out << "<text x=\"" << coord(x + w / 2) << "\" y=\"" << coord(kTop + plot_h + 27)
        << "\" text-anchor=\"middle\" class=\"muted\">n=" << phase.samples_ns.size() << "</text>\n";
    if (!phase.samples_ns.empty()) {
      std::vector<double> ms;
      for (std::int64_t ns : phase.samples_ns) ms.push_back(ms_of(ns));
      const double median = quantile_of(ms, 0.5);
      out << "<path class=\"pm\" d=\"M" << coord(x) << ' ' << coord(y_of(median)) << "h" << coord(w)
          << "\"><title>" << escape_markup(phase.label) << " median " << format_ms(median)
          << " ms</title></path>\n";
      out << "<g class=\"" << (phase.after ? "ma" : "mb") << "\">";
      const std::size_t n = phase.samples_ns.size();
      const double inner = std::max(w - 6, 1.0);
      for (std::size_t i = 0; i < n; i += stride) {
        const double mx =
            x + 3 +
            (n == 1 ? inner / 2 : inner * static_cast<double>(i) / static_cast<double>(n - 1));
        if (ms[i] > top) ++above;
        out << "<path d=\"M" << coord(mx) << ' ' << coord(y_of(ms[i])) << "h0\"/>";
        ++drawn;
      }
      out << "</g>\n";
    }
    x += w + kGap;
  }
  // The pooled medians across the whole plot, labelled on the right.
  const double label_x = kLeft + plot_w + 6;
  std::vector<std::pair<double, std::string>> labels;
  for (const auto& [value, css, label] :
       {std::tuple{lines.before_median_ms, "lb",
                   lines.before_median_ms
                       ? "before median " + format_ms(*lines.before_median_ms) + " ms"
                       : ""},
        std::tuple{lines.after_median_ms, "la",
                   lines.after_median_ms
                       ? "after median " + format_ms(*lines.after_median_ms) + " ms"
                       : ""},
        std::tuple{lines.budget_ms, "lbud", lines.budget_label}}) {
    if (!value) continue;
    const double y = y_of(*value);
    out << "<path class=\"" << css << "\" d=\"M" << coord(kLeft) << ' ' << coord(y) << "H"
        << coord(kLeft + plot_w) << "\"/>\n";
    labels.emplace_back(y, label);
  }
  // Labels never overlap: the lower one moves down.
  std::sort(labels.begin(), labels.end());
  double last = -100;
  for (auto& [y, text] : labels) {
    y = std::max(y + 4, last + 13);
    last = y;
    out << "<text x=\"" << coord(label_x) << "\" y=\"" << coord(y) << "\">" << escape_markup(text)
        << "</text>\n";
  }
  if (lines.band_low_ms && lines.band_high_ms) {
    out << "<text x=\"" << coord(label_x) << "\" y=\"" << coord(std::max(last + 13, kTop + 10))
        << "\" class=\"muted\">grey: no change</text>\n";
  }
  out << "<path class=\"axis\" d=\"M" << coord(kLeft) << ' ' << coord(kTop) << "V"
      << coord(kTop + plot_h) << "H" << coord(kLeft + plot_w) << "\"/>\n</svg>\n";
  write_chart_notes(out, stride, total, drawn, above, top, "top");
  return drawn;
}

std::size_t write_distribution_chart(std::ostream& out, const std::vector<std::int64_t>& samples_ns,
                                     const std::string& title) {
  constexpr double kWidth = 760, kHeight = 96, kLeft = 16, kRight = 16, kTop = 8, kBottom = 22;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  std::vector<double> ms;
  for (std::int64_t ns : samples_ns) ms.push_back(ms_of(ns));
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  const Axis axis = axis_for(ms);
  const double top = axis.top, step = axis.step;
  auto x_of = [&](double value) { return kLeft + std::min(value, top) / top * plot_w; };
  const std::size_t stride = stride_for(ms.size());
  open_svg(out, kWidth, kHeight, title);
  for (double tick = 0; tick <= top + step / 2; tick += step) {
    const std::string x = coord(x_of(tick));
    out << "<path class=\"grid\" d=\"M" << x << ' ' << coord(kTop) << "V" << coord(kTop + plot_h)
        << "\"/><text x=\"" << x << "\" y=\"" << coord(kTop + plot_h + 14)
        << "\" text-anchor=\"middle\">" << tick_label(tick, step) << (tick == 0 ? " ms" : "")
        << "</text>\n";
  }
  std::size_t drawn = 0, above = 0;
  if (!sorted.empty()) {
    const double q1 = quantile(sorted, 0.25), q3 = quantile(sorted, 0.75),
                 median = quantile(sorted, 0.5), p5 = quantile(sorted, 0.05),
                 p95 = quantile(sorted, 0.95);
    const double mid = kTop + plot_h / 2;
    out << "<path class=\"whisker\" d=\"M" << coord(x_of(p5)) << ' ' << coord(mid) << "H"
        << coord(x_of(q1)) << "M" << coord(x_of(q3)) << ' ' << coord(mid) << "H" << coord(x_of(p95))
        << "\"/>";
    out << "<rect class=\"box\" x=\"" << coord(x_of(q1)) << "\" y=\"" << coord(mid - 14)
        << "\" width=\"" << coord(std::max(x_of(q3) - x_of(q1), 1.0))
        << "\" height=\"28\"><title>middle half " << format_ms(q1) << "–" << format_ms(q3)
        << " ms; whiskers 5th–95th percentile " << format_ms(p5) << "–" << format_ms(p95)
        << " ms</title></rect>";
    out << "<path class=\"med\" d=\"M" << coord(x_of(median)) << ' ' << coord(mid - 16) << "v32\">"
        << "<title>median " << format_ms(median) << " ms</title></path>\n<g class=\"mb\">";
    // A fixed jitter pattern: the same file always draws the same picture.
    for (std::size_t i = 0; i < ms.size(); i += stride) {
      const double jitter = static_cast<double>((i * 7919) % 23) / 22.0 - 0.5;
      if (ms[i] > top) ++above;
      out << "<path d=\"M" << coord(x_of(ms[i])) << ' ' << coord(mid + jitter * (plot_h - 12))
          << "h0\"/>";
      ++drawn;
    }
    out << "</g>\n";
  }
  out << "</svg>\n";
  write_chart_notes(out, stride, ms.size(), drawn, above, top, "right");
  return drawn;
}

std::size_t write_series_chart(std::ostream& out, const std::vector<double>& median_ms,
                               const std::vector<double>& p95_ms,
                               const std::vector<bool>& plan_changed,
                               const std::vector<std::string>& titles, const std::string& title) {
  constexpr double kWidth = 760, kHeight = 180, kLeft = 48, kRight = 16, kTop = 10, kBottom = 24;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const std::size_t count = median_ms.size();
  std::vector<double> all = median_ms;
  all.insert(all.end(), p95_ms.begin(), p95_ms.end());
  const Axis axis = axis_for(all);
  const double top = axis.top, step = axis.step;
  auto x_of = [&](std::size_t i) {
    return count <= 1 ? kLeft + plot_w / 2
                      : kLeft + static_cast<double>(i) / static_cast<double>(count - 1) * plot_w;
  };
  auto y_of = [&](double value) { return kTop + plot_h - std::min(value, top) / top * plot_h; };
  open_svg(out, kWidth, kHeight, title);
  for (double tick = 0; tick <= top + step / 2; tick += step) {
    const std::string y = coord(y_of(tick));
    out << "<path class=\"grid\" d=\"M" << coord(kLeft) << ' ' << y << "H" << coord(kLeft + plot_w)
        << "\"/><text x=\"" << coord(kLeft - 6) << "\" y=\"" << y
        << "\" text-anchor=\"end\" dominant-baseline=\"middle\">" << tick_label(tick, step)
        << (tick == 0 ? " ms" : "") << "</text>\n";
  }
  out << "<text x=\"" << coord(kLeft) << "\" y=\"" << coord(kHeight - 6)
      << "\">oldest</text><text x=\"" << coord(kLeft + plot_w) << "\" y=\"" << coord(kHeight - 6)
      << "\" text-anchor=\"end\">newest</text>\n";
  auto polyline = [&](const std::vector<double>& values, const char* css) {
    if (values.size() < 2) return;
    out << "<path class=\"" << css << "\" d=\"";
    for (std::size_t i = 0; i < values.size(); ++i) {
      out << (i == 0 ? "M" : "L") << coord(x_of(i)) << ' ' << coord(y_of(values[i]));
    }
    out << "\"/>\n";
  };
  polyline(p95_ms, "p95");
  polyline(median_ms, "ml");
  auto title_of = [&](std::size_t i) { return escape_markup(i < titles.size() ? titles[i] : ""); };
  auto changed = [&](std::size_t i) { return i < plan_changed.size() && plan_changed[i]; };
  out << "<g class=\"mb\">";
  for (std::size_t i = 0; i < count; ++i) {
    if (changed(i)) continue;
    out << "<path d=\"M" << coord(x_of(i)) << ' ' << coord(y_of(median_ms[i])) << "h0\"><title>"
        << title_of(i) << "</title></path>";
  }
  out << "</g>\n<g class=\"pc\">";
  for (std::size_t i = 0; i < count; ++i) {
    if (!changed(i)) continue;
    out << "<rect x=\"" << coord(x_of(i) - 4) << "\" y=\"" << coord(y_of(median_ms[i]) - 4)
        << "\" width=\"8\" height=\"8\"><title>plan changed: " << title_of(i) << "</title></rect>";
  }
  out << "</g>\n</svg>\n";
  return count;
}

}  // namespace sqlmeasure::html
