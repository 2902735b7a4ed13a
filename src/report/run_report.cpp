// `run` and `explain` output.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "fidelity_json.h"
#include "run_table.h"
#include "sqlmeasure/html_report.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/results_json.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

Table run_table(const RunResult& run) {
  Table table{{"screen", "queries", "median ms", "p95 ms", "rows examined", "note"},
              {false, true, true, true, true, false},
              {}};
  for (const ScreenResult& screen : run.screens) {
    std::string note;
    for (const QueryResult& query : screen.queries) {
      if (query.error) note += (note.empty() ? "" : "; ") + query.name + ": " + *query.error;
    }
    bool measured = screen.stats_ms.n > 0;
    if (measured && screen.budget) {
      const BudgetCheck check =
          check_budget(*screen.budget, screen.stats_ms.median, screen.stats_ms.p95);
      if (check.over()) note += (note.empty() ? "" : "; ") + check.describe();
    }
    table.rows.push_back({screen.name, std::to_string(screen.queries.size()),
                          measured ? format_ms(screen.stats_ms.median) : "-",
                          measured ? format_ms(screen.stats_ms.p95) : "-",
                          format_count(screen.rows_examined), note});
  }
  return table;
}

void render_run(const RunResult& run, Format format, const Style& style, std::ostream& out) {
  (void)style;
  switch (format) {
    case Format::kJson:
      out << results_to_json(run);
      return;
    case Format::kHtml:
      return render_run_html(run, out);
    case Format::kMarkdown:
    case Format::kCsv:
      return write_table(run_table(run), format, out);
    case Format::kTable:
    case Format::kJunit:
      break;
  }
  // --iterations auto: the most rounds any query took; --concurrency: the load achieved.
  size_t auto_rounds = 0;
  for (const ScreenResult& screen : run.screens) {
    for (const QueryResult& query : screen.queries) {
      auto_rounds = std::max(auto_rounds, query.samples_ns.size());
    }
  }
  std::string iterations = run.settings.auto_iterations.enabled
                               ? fmt::format("auto iterations (≤ {} rounds)", auto_rounds)
                               : fmt::format("{} iterations", run.settings.iterations);
  std::string load = run.settings.concurrency > 1
                         ? fmt::format(" · {} connections, {:.0f} queries/s",
                                       run.settings.concurrency, run.throughput.queries_per_s())
                         : "";
  out << fmt::format("{} {} · {} · {}, {} warm-up{}{}\n", flavor_name(run.server.flavor),
                     run.server.version, run.server.endpoint, iterations, run.settings.warmup, load,
                     run.label.empty() ? "" : " · " + without_control_bytes(run.label));
  write_text_table(run_table(run), out);
  if (!run.complete) out << "INCOMPLETE: " << run.incomplete_reason << '\n';
}

namespace {

// The tables a screen's queries read (without another database's qualifier), lower case as the
// run's conditions name them.
std::set<std::string> tables_read(const ScreenResult& screen) {
  std::set<std::string> tables;
  for (const QueryResult& query : screen.queries) {
    for (const TableReference& reference : read_query_shape(query.sql).tables) {
      if (reference.database.empty()) tables.insert(ascii_lower(reference.table));
    }
  }
  return tables;
}

// Beside explain's plans, what the plan-fidelity check (--against) compares with the plans
// of another server: the rows of the tables the screen reads...
nlohmann::json screen_tables_json(const RunResult& run, const ScreenResult& screen) {
  nlohmann::json tables = nlohmann::json::object();
  if (!run.conditions) return tables;
  for (const std::string& table : tables_read(screen)) {
    const auto found = run.conditions->table_rows.find(table);
    if (found == run.conditions->table_rows.end()) continue;
    tables[table] = {{"rows", found->second.rows}, {"exact", found->second.exact}};
  }
  return tables;
}

// ...and the distinct leading values of the indexes its plans use: counts, never values.
nlohmann::json screen_indexes_json(const RunResult& run, const ScreenResult& screen) {
  nlohmann::json indexes = nlohmann::json::array();
  const std::set<std::string> tables = tables_read(screen);
  for (const IndexStatistics& s : run.index_statistics) {
    if (!tables.contains(ascii_lower(s.table))) continue;
    indexes.push_back({{"table", s.table},
                       {"index", s.index},
                       {"table_rows", s.table_rows},
                       {"leading_distinct", s.leading_distinct ? nlohmann::json(*s.leading_distinct)
                                                               : nlohmann::json(nullptr)}});
  }
  return indexes;
}

}  // namespace

void render_plans(const RunResult& run, Format format, std::ostream& out,
                  const PlanFidelity* against) {
  if (format == Format::kJson) {
    nlohmann::json screens = nlohmann::json::array();
    for (const ScreenResult& screen : run.screens) {
      nlohmann::json queries = nlohmann::json::array();
      for (const QueryResult& query : screen.queries) {
        queries.push_back({{"name", query.name},
                           {"sql", query.sql},
                           {"rows_examined", query.rows_examined},
                           {"plan", plan_to_json(query.plan)}});
      }
      screens.push_back({{"screen", screen.name},
                         {"queries", queries},
                         {"tables", screen_tables_json(run, screen)},
                         {"indexes", screen_indexes_json(run, screen)}});
    }
    if (against) {
      out << nlohmann::json{{"plans", screens}, {"fidelity", fidelity_json(*against)}}.dump(2)
          << '\n';
    } else {
      out << screens.dump(2) << '\n';
    }
    return;
  }
  for (const ScreenResult& screen : run.screens) {
    for (const QueryResult& query : screen.queries) {
      Table table{{"id", "select_type", "table", "type", "possible_keys", "key", "key_len", "ref",
                   "rows", "Extra"},
                  {true, false, false, false, false, false, true, false, true, false},
                  {}};
      for (const PlanRow& r : query.plan) {
        table.rows.push_back({r.id, r.select_type, r.table, r.access_type, r.possible_keys,
                              r.key.empty() ? "(none)" : r.key, r.key_len, r.ref, r.rows, r.extra});
      }
      std::string title = fmt::format("{}/{} (rows examined {})", screen.name, query.name,
                                      format_count(query.rows_examined));
      if (format == Format::kMarkdown) {
        out << "### " << title << "\n\n";
        write_markdown_table(table, out);
        out << '\n';
      } else if (format == Format::kCsv) {
        out << "# " << title << '\n';
        write_csv_table(table, out);
      } else {
        out << title << '\n';
        if (query.error) out << "  error: " << *query.error << '\n';
        write_text_table(table, out);
        out << '\n';
      }
    }
  }
  if (against) render_plan_fidelity(*against, format, out);
}

}  // namespace sqlmeasure
