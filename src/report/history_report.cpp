// `sqlmeasure history` printed: per endpoint/database a table of its screens over the runs kept
// (the newest figures, the change since the first, a sparkline, plan changes), or the points
// themselves for machines.
#include "sqlmeasure/history_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "html_page.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using nlohmann::json;

// The sparkline shows the newest runs only: a terminal line holds about this many.
constexpr std::size_t kSparklineRuns = 40;

std::string day(const std::string& iso8601) { return iso8601.substr(0, 10); }

std::string identity_header(const IdentityHistory& identity) {
  const HistoryEntry& first = *identity.runs.front();
  const HistoryEntry& last = *identity.runs.back();
  return fmt::format("{} · {} · {} run{}, {} … {} (newest {})", identity.identity, last.server,
                     identity.runs.size(), identity.runs.size() == 1 ? "" : "s",
                     day(first.recorded_at), day(last.recorded_at), last.name());
}

std::string plan_text(const IdentityHistory& identity, const ScreenSeries& series) {
  const std::size_t changes = series.plan_changes();
  if (changes == 0) return "same";
  std::size_t last = 0;
  for (std::size_t i = 0; i < series.plan_changed.size(); ++i) {
    if (series.plan_changed[i]) last = i;
  }
  return fmt::format("changed {}×, last in {}", changes, identity.runs[series.runs[last]]->name());
}

Table screens_table(const IdentityHistory& identity, bool with_sparkline) {
  Table table{{"screen", "runs", "median ms", "since first", "p95 ms", "rows examined"},
              {false, true, true, true, true, true},
              {}};
  if (with_sparkline) {
    table.headers.push_back("trend (median)");
    table.right_align.push_back(false);
  }
  table.headers.push_back("plan");
  table.right_align.push_back(false);
  for (const ScreenSeries& series : identity.screens) {
    std::vector<double> medians;
    for (const HistoryPoint* point : series.points) {
      if (point->n > 0) medians.push_back(point->median_ms);
    }
    const HistoryPoint& last = *series.points.back();
    const HistoryPoint& first = *series.points.front();
    const bool measured = last.n > 0;
    std::string since = "–";
    if (measured && first.n > 0 && first.median_ms > 0 && series.points.size() > 1) {
      since = format_percent(last.median_ms / first.median_ms);
    }
    const std::string rows = first.rows_examined == last.rows_examined
                                 ? format_thousands(last.rows_examined)
                                 : fmt::format("{} → {}", format_thousands(first.rows_examined),
                                               format_thousands(last.rows_examined));
    std::vector<std::string> row = {series.screen,
                                    std::to_string(series.points.size()),
                                    measured ? format_ms(last.median_ms) : "error",
                                    since,
                                    measured ? format_ms(last.p95_ms) : "–",
                                    rows};
    if (with_sparkline) {
      const std::size_t from =
          medians.size() > kSparklineRuns ? medians.size() - kSparklineRuns : 0;
      row.push_back(
          sparkline({medians.begin() + static_cast<std::ptrdiff_t>(from), medians.end()}));
    }
    row.push_back(plan_text(identity, series));
    table.rows.push_back(std::move(row));
  }
  return table;
}

// The hints the runs checked (run --check-hints): what each says now, and the fix of one that
// no longer pays.
void write_hints(const IdentityHistory& identity, bool markdown, std::ostream& out) {
  if (identity.hints.empty()) return;
  out << (markdown ? "\n**Index hints** (run --check-hints)\n\n" : "hints (run --check-hints):\n");
  for (const HintHistory& hint : identity.hints) {
    out << (markdown ? "* " : "  ") << hint.finding(identity.runs) << '\n';
    if (!hint.pays_now() && hint.points.back()->measured) {
      const std::string sql = one_line(hint.fix());
      // A code span fenced by more backticks than any run in the SQL (quoted identifiers).
      std::size_t longest = 0, run = 0;
      for (const char c : sql) longest = std::max(longest, run = c == '`' ? run + 1 : 0);
      const std::string fence(longest + 1, '`');
      if (markdown) {
        out << "  * fix, the query without the hint: " << fence << ' ' << sql << ' ' << fence
            << '\n';
      } else {
        out << "    fix, the query without the hint: " << sql << '\n';
      }
    }
  }
}

json run_json(const HistoryEntry& run) {
  return {{"id", run.id},         {"recorded_at", run.recorded_at}, {"started_at", run.started_at},
          {"label", run.label},   {"endpoint", run.endpoint},       {"database", run.database},
          {"server", run.server}, {"scenarios", run.scenarios},     {"complete", run.complete}};
}

// Streamed, a point a line: a thousand runs of two hundred screens never exist as one
// document in memory.
void render_json(const HistoryRead& read, const std::vector<IdentityHistory>& groups,
                 const std::string& directory, std::ostream& out) {
  auto text = [](const std::string& value) { return json(value).dump(); };
  out << "{\n  \"format\": \"sqlmeasure-history\",\n  \"version\": 1,\n  \"directory\": "
      << text(directory) << ",\n  \"runs\": [";
  for (std::size_t i = 0; i < read.runs.size(); ++i) {
    out << (i ? ",\n    " : "\n    ") << run_json(read.runs[i]).dump();
  }
  out << (read.runs.empty() ? "],\n" : "\n  ],\n") << "  \"identities\": [";
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const IdentityHistory& identity = groups[g];
    out << (g ? ",\n" : "\n") << "    {\"identity\": " << text(identity.identity)
        << ", \"screens\": [";
    for (std::size_t s = 0; s < identity.screens.size(); ++s) {
      const ScreenSeries& series = identity.screens[s];
      out << (s ? ",\n" : "\n") << "      {\"screen\": " << text(series.screen)
          << ", \"points\": [";
      for (std::size_t i = 0; i < series.points.size(); ++i) {
        const HistoryPoint& p = *series.points[i];
        const json point = {{"run", identity.runs[series.runs[i]]->id},
                            {"n", p.n},
                            {"median_ms", p.median_ms},
                            {"p95_ms", p.p95_ms},
                            {"rows_examined", p.rows_examined},
                            {"plan", p.plan},
                            {"plan_changed", static_cast<bool>(series.plan_changed[i])},
                            {"error", p.error}};
        out << (i ? ",\n        " : "\n        ") << point.dump();
      }
      out << "\n      ]}";
    }
    out << (identity.screens.empty() ? "]" : "\n    ]") << ", \"hints\": [";
    for (std::size_t h = 0; h < identity.hints.size(); ++h) {
      const HintHistory& hint = identity.hints[h];
      json points = json::array();
      for (std::size_t i = 0; i < hint.points.size(); ++i) {
        const HintPoint& p = *hint.points[i];
        points.push_back({{"run", identity.runs[hint.runs[i]]->id},
                          {"measured", p.measured},
                          {"with_ms", p.with_ms},
                          {"without_ms", p.without_ms},
                          {"rows_with", p.rows_with},
                          {"rows_without", p.rows_without},
                          {"pays", hint_pays(p)}});
      }
      const json entry = {{"screen", hint.screen},
                          {"query", hint.query},
                          {"hint", hint.hint},
                          {"pays_now", hint.pays_now()},
                          {"finding", hint.finding(identity.runs)},
                          {"fix", hint.fix()},
                          {"points", points}};
      out << (h ? ",\n      " : "\n      ") << entry.dump();
    }
    out << (identity.hints.empty() ? "]}" : "\n    ]}");
  }
  out << (groups.empty() ? "],\n" : "\n  ],\n") << "  \"warnings\": " << json(read.warnings).dump()
      << "\n}\n";
}

// A screen at a time, likewise.
void render_csv(const std::vector<IdentityHistory>& groups, std::ostream& out) {
  Table table{{"identity", "screen", "run", "recorded_at", "label", "n", "median_ms", "p95_ms",
               "rows_examined", "plan", "plan_changed"},
              {},
              {}};
  write_csv_table(table, out);
  for (const IdentityHistory& identity : groups) {
    for (const ScreenSeries& series : identity.screens) {
      table.rows.clear();
      for (std::size_t i = 0; i < series.points.size(); ++i) {
        const HistoryPoint& p = *series.points[i];
        const HistoryEntry& run = *identity.runs[series.runs[i]];
        table.rows.push_back({identity.identity, series.screen, run.id, run.recorded_at, run.label,
                              std::to_string(p.n), fmt::format("{:.6f}", p.median_ms),
                              fmt::format("{:.6f}", p.p95_ms), std::to_string(p.rows_examined),
                              p.plan, series.plan_changed[i] ? "1" : "0"});
      }
      write_csv_table(table, out, false);
    }
  }
}

void write_identity_html(const IdentityHistory& identity, std::size_t number, std::ostream& out) {
  out << "<section id=\"identity-" << number << "\">\n<h2>" << escape_markup(identity.identity)
      << "</h2>\n<p class=\"muted\">" << escape_markup(identity_header(identity)) << "</p>\n";
  std::vector<std::string> links;
  for (std::size_t i = 0; i < identity.screens.size(); ++i) {
    links.push_back(fmt::format("s{}-{}", number, i + 1));
  }
  html::write_table(out, screens_table(identity, false), {}, links);
  if (!identity.hints.empty()) {
    out << "<h3>Index hints</h3>\n<ul class=\"notes\">\n";
    for (const HintHistory& hint : identity.hints) {
      out << "<li>" << escape_markup(hint.finding(identity.runs));
      if (!hint.pays_now() && hint.points.back()->measured) {
        out << "<br>fix, the query without the hint: <code>" << escape_markup(one_line(hint.fix()))
            << "</code>";
      }
      out << "</li>\n";
    }
    out << "</ul>\n";
  }
  out << "</section>\n";
  for (std::size_t i = 0; i < identity.screens.size(); ++i) {
    const ScreenSeries& series = identity.screens[i];
    std::vector<double> medians, p95s;
    std::vector<bool> changed;
    std::vector<std::string> titles;
    for (std::size_t k = 0; k < series.points.size(); ++k) {
      const HistoryPoint& p = *series.points[k];
      if (p.n == 0) continue;  // an error: nothing to draw
      medians.push_back(p.median_ms);
      p95s.push_back(p.p95_ms);
      changed.push_back(series.plan_changed[k]);
      titles.push_back(fmt::format("{}: median {} ms, p95 {} ms, rows examined {}",
                                   identity.runs[series.runs[k]]->name(), format_ms(p.median_ms),
                                   format_ms(p.p95_ms), format_thousands(p.rows_examined)));
    }
    out << "<section class=\"screen\" id=\"" << links[i] << "\" data-screen=\""
        << escape_markup(series.screen) << "\" data-runs=\"" << medians.size()
        << "\" data-plan-changes=\"" << series.plan_changes() << "\">\n<h3>"
        << escape_markup(series.screen) << "</h3>\n<figure>\n";
    html::write_series_chart(out, medians, p95s, changed, titles,
                             series.screen + ": median per run, in ms");
    out << "<figcaption class=\"legend\"><span><span class=\"key b\"></span>median of a "
           "run</span><span>dotted: p95</span><span><span class=\"key pc\"></span>its plan "
           "changed in that run</span></figcaption>\n</figure>\n</section>\n";
  }
}

}  // namespace

void render_history_html(const std::vector<IdentityHistory>& groups, const std::string& directory,
                         const Style& /*style*/, std::ostream& out) {
  html::begin_page(out, "sqlmeasure history: " + directory);
  out << "<header>\n<h1>sqlmeasure history</h1>\n<p class=\"muted\">" << escape_markup(directory)
      << "</p>\n</header>\n";
  if (groups.empty()) out << "<p>No run kept yet.</p>\n";
  for (std::size_t i = 0; i < groups.size(); ++i) write_identity_html(groups[i], i + 1, out);
  html::end_page(out);
}

std::string sparkline(const std::vector<double>& values) {
  static constexpr const char* kLevels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty()) return "";
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  std::string line;
  for (const double value : values) {
    const double share = *high > *low ? (value - *low) / (*high - *low) : 0.0;
    line += kLevels[std::clamp(static_cast<int>(share * 7.0 + 0.5), 0, 7)];
  }
  return line;
}

void render_history(const HistoryRead& read, const std::string& directory, Format format,
                    const Style& style, std::ostream& out) {
  const std::vector<IdentityHistory> groups = group_history(read);
  switch (format) {
    case Format::kJson:
      render_json(read, groups, directory, out);
      return;
    case Format::kCsv:
      render_csv(groups, out);
      return;
    case Format::kHtml:
      render_history_html(groups, directory, style, out);
      return;
    case Format::kMarkdown:
    case Format::kTable:
    case Format::kJunit:
      break;
  }
  const bool markdown = format == Format::kMarkdown;
  if (groups.empty()) {
    out << fmt::format("no run kept in {}{}\n", directory,
                       read.runs.empty() ? "" : " matches the filters");
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (i > 0) out << '\n';
    out << (markdown ? "### " : "") << identity_header(groups[i]) << (markdown ? "\n\n" : "\n");
    write_table(screens_table(groups[i], true), format, out);
    write_hints(groups[i], markdown, out);
  }
  for (const std::string& warning : read.warnings) {
    out << (markdown ? "\n> " : "warning: ") << warning << '\n';
  }
}

void render_history_runs(const HistoryRead& read, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    json runs = json::array();
    for (const HistoryEntry& run : read.runs) runs.push_back(run_json(run));
    out << runs.dump(2) << '\n';
    return;
  }
  Table table{{"run", "recorded", "label", "database at endpoint", "server", "screens", "complete"},
              {false, false, false, false, false, true, false},
              {}};
  for (const HistoryEntry& run : read.runs) {
    table.rows.push_back({run.id, run.recorded_at, run.label, run.identity(), run.server,
                          std::to_string(run.screens.size()), run.complete ? "yes" : "no"});
  }
  write_table(table, format, out);
}

}  // namespace sqlmeasure
