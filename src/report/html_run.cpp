// `run --format html`: the per-screen table (the terminal's), then each screen's distribution
// of samples — a strip of every sample over the box of its quartiles — and its queries.
#include <fmt/format.h>

#include "html_page.h"
#include "run_table.h"
#include "sqlmeasure/html_report.h"
#include "sqlmeasure/number_text.h"

namespace sqlmeasure {
namespace {

void write_facts(const RunResult& run, std::ostream& out) {
  const RunSettings& settings = run.settings;
  const std::string iterations = settings.auto_iterations.enabled
                                     ? fmt::format("auto (at most {} rounds)", settings.iterations)
                                     : std::to_string(settings.iterations);
  out << "<dl class=\"facts\">\n<dt>server</dt><dd>"
      << escape_markup(flavor_name(run.server.flavor)) << " " << escape_markup(run.server.version)
      << " · " << escape_markup(run.server.endpoint) << "</dd>\n";
  if (!run.label.empty()) out << "<dt>label</dt><dd>" << escape_markup(run.label) << "</dd>\n";
  out << "<dt>measured</dt><dd>" << escape_markup(run.started_at) << " – "
      << escape_markup(run.finished_at) << "</dd>\n<dt>settings</dt><dd>"
      << escape_markup(iterations) << " iterations, " << settings.warmup << " warm-up, "
      << order_name(settings.order) << ", seed " << settings.seed
      << (settings.concurrency > 1 ? fmt::format(", {} connections", settings.concurrency) : "")
      << "</dd>\n<dt>scenarios</dt><dd>" << escape_markup(settings.scenarios) << "</dd>\n";
  if (!run.complete) {
    out << "<dt>INCOMPLETE</dt><dd class=\"sev-error\">" << escape_markup(run.incomplete_reason)
        << "</dd>\n";
  }
  out << "</dl>\n";
}

void write_screen(const ScreenResult& screen, std::size_t index, std::ostream& out) {
  const std::vector<std::int64_t>& samples = screen.view_samples();
  out << "<section class=\"screen\" id=\"screen-" << index + 1 << "\" data-screen=\""
      << escape_markup(screen.name) << "\" data-samples=\"" << samples.size() << "\">\n<h2>"
      << escape_markup(screen.name) << "</h2>\n";
  if (!screen.description.empty()) out << "<p>" << escape_markup(screen.description) << "</p>\n";
  if (screen.stats_ms.n > 0) {
    out << "<p>median <b>" << format_ms(screen.stats_ms.median) << " ms</b>, p95 "
        << format_ms(screen.stats_ms.p95) << " ms, " << screen.stats_ms.n
        << " views; rows examined per view " << format_count(screen.rows_examined) << "</p>\n";
  }
  out << "<figure>\n";
  html::write_distribution_chart(out, samples, screen.name + ": every view's time, in ms");
  out << "<figcaption class=\"legend\"><span><span class=\"key b\"></span>one circle per "
         "view</span><span>box: middle half; bar: median; whiskers: 5th–95th "
         "percentile</span></figcaption>\n</figure>\n";
  Table queries{{"query", "times", "median ms", "p95 ms", "rows examined", "error"},
                {false, true, true, true, true, false},
                {}};
  for (const QueryResult& query : screen.queries) {
    const bool measured = query.stats_ms.n > 0;
    queries.rows.push_back({query.name, std::to_string(query.times),
                            measured ? format_ms(query.stats_ms.median) : "-",
                            measured ? format_ms(query.stats_ms.p95) : "-",
                            format_count(query.rows_examined), query.error.value_or("")});
  }
  html::write_table(out, queries);
  for (const QueryResult& query : screen.queries) {
    out << "<details><summary>" << escape_markup(query.name) << ": SQL</summary><pre>"
        << escape_markup(query.sql) << "</pre></details>\n";
  }
  out << "</section>\n";
}

}  // namespace

void render_run_html(const RunResult& run, std::ostream& out) {
  html::begin_page(out, "sqlmeasure run" + (run.label.empty() ? "" : ": " + run.label));
  out << "<header>\n<h1>sqlmeasure run</h1>\n";
  write_facts(run, out);
  out << "</header>\n<section id=\"screens\">\n<h2>Screens</h2>\n";
  std::vector<std::string> links;
  for (std::size_t i = 0; i < run.screens.size(); ++i)
    links.push_back(fmt::format("screen-{}", i + 1));
  html::write_table(out, run_table(run), {}, links);
  out << "</section>\n";
  for (std::size_t i = 0; i < run.screens.size(); ++i) write_screen(run.screens[i], i, out);
  html::end_page(out);
}

}  // namespace sqlmeasure
