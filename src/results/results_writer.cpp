// Writing the results file (docs/results-format.md): one JSON document, the samples
// streamed so that a million of them never exist as one string.
#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/results_json.h"

namespace sqlmeasure {
namespace {
using nlohmann::json;

// Values are written as JSON scalars; integers and floats as their exact text, so that
// a 20-digit id survives the trip.
json value_to_json(const ParamValue& value) {
  switch (value.kind) {
    case ParamValue::Kind::kNull:
      return nullptr;
    case ParamValue::Kind::kString:
      return value.text;
    case ParamValue::Kind::kBinary:
      return json{{"hex", value.text}};
    case ParamValue::Kind::kBoolean:
      return value.text == "TRUE";
    case ParamValue::Kind::kInteger:
    case ParamValue::Kind::kFloat:
      return json{{"number", value.text}};
  }
  return nullptr;
}

json summary_to_json(const Summary& s) {
  return {{"n", s.n},       {"min", s.min}, {"median", s.median}, {"p95", s.p95},
          {"mean", s.mean}, {"max", s.max}, {"stddev", s.stddev}, {"mad", s.mad}};
}

// The samples arrays are most of a results file (a million samples is ~14 MB of digits) and
// as a DOM they would cost ~16 bytes per number more: the document is built with a marker
// in their place and each array is streamed into the output, on one line.
constexpr std::string_view kSamplesMarker = "\"samples_ns\": \"\\u0001samples:";

json samples_marker(size_t screen, std::optional<size_t> query) {
  return fmt::format("\x01samples:{}:{}", screen, query ? std::to_string(*query) : "-");
}

void write_samples(std::ostream& out, const std::vector<std::int64_t>& samples) {
  char buffer[16384];
  size_t used = 0;
  buffer[used++] = '[';
  for (size_t i = 0; i < samples.size(); ++i) {
    if (used > sizeof buffer - 32) {
      out.write(buffer, static_cast<std::streamsize>(used));
      used = 0;
    }
    if (i > 0) buffer[used++] = ',';
    used = static_cast<size_t>(
        std::to_chars(buffer + used, buffer + sizeof buffer, samples[i]).ptr - buffer);
  }
  buffer[used++] = ']';
  out.write(buffer, static_cast<std::streamsize>(used));
}

json variants_to_json(const std::vector<VariantInspection>& variants) {
  json list = json::array();
  for (const VariantInspection& v : variants) {
    list.push_back({{"rows_examined", v.rows_examined},
                    {"rows_sent", v.rows_sent},
                    {"checksum", fmt::format("{:016x}", v.checksum)}});
  }
  return list;
}

json query_to_json(const QueryResult& q, json samples) {
  json params = json::object();
  for (const auto& [name, values] : q.params) {
    json list = json::array();
    for (const ParamValue& v : values) list.push_back(value_to_json(v));
    params[name] = list;
  }
  return {{"name", q.name},
          {"sql", q.sql},
          {"times", q.times},
          {"executions_per_view", q.executions_per_view},
          {"params", params},
          {"stats_ms", summary_to_json(q.stats_ms)},
          {"rows_sent", q.rows_sent},
          {"rows_examined", q.rows_examined},
          {"checksum", q.checksum},
          {"variants_inspected", q.variants_inspected},
          {"variants", variants_to_json(q.variants)},
          {"plan", plan_to_json(q.plan)},
          {"warnings", warnings_to_json(q.warnings)},
          {"error", q.error ? json(*q.error) : json(nullptr)},
          {"phases", q.phases},
          {"failed_phases", q.failed_phases()},
          {"samples_ns", std::move(samples)}};
}

json screen_to_json(const ScreenResult& screen, std::size_t index) {
  json queries = json::array();
  for (const QueryResult& q : screen.queries) {
    queries.push_back(query_to_json(q, samples_marker(index, queries.size())));
  }
  json budget = nullptr;
  if (screen.budget) {
    const auto figure = [](const std::optional<double>& ms) {
      return ms ? json(*ms) : json(nullptr);
    };
    budget = {{"median_ms", figure(screen.budget->median_ms)},
              {"p95_ms", figure(screen.budget->p95_ms)},
              {"source", screen.budget->source}};
  }
  json sampling = nullptr;
  if (screen.sampling) {
    sampling = {{"views", screen.sampling->views}, {"stopped", screen.sampling->reason}};
  }
  return {{"name", screen.name},
          {"description", screen.description},
          {"file", screen.file},
          {"budget", std::move(budget)},
          {"sampling", std::move(sampling)},
          {"stats_ms", summary_to_json(screen.stats_ms)},
          {"rows_examined", screen.rows_examined},
          {"samples_ns", samples_marker(index, std::nullopt)},
          {"queries", queries}};
}

json settings_to_json(const RunSettings& s) {
  json settings = {{"warmup", s.warmup},
                   {"iterations", s.iterations},
                   {"seed", s.seed},
                   {"order", order_name(s.order)},
                   {"scenarios", s.scenarios},
                   {"screens", s.screen_globs},
                   {"query_timeout_ms", s.query_timeout_ms},
                   {"concurrency", s.concurrency}};
  if (s.auto_iterations.enabled) {
    const RunSettings::AutoIterations& rule = s.auto_iterations;
    settings["iterations_mode"] = "auto";
    settings["auto_iterations"] = {
        {"rule",
         "per screen: stop once the median per-view latency has a 95 % distribution-free "
         "confidence interval of relative half-width <= max_relative_half_width, or "
         "half-width <= max_absolute_half_width_ns, after min_rounds; at most `iterations` "
         "rounds and budget_s seconds of sampling per screen, its share of total_budget_s"},
        {"min_rounds", rule.min_rounds},
        {"max_relative_half_width", rule.max_relative_half_width},
        {"max_absolute_half_width_ns", rule.max_absolute_half_width_ns},
        {"budget_s", rule.budget_s},
        {"total_budget_s", rule.total_budget_s}};
  }
  return settings;
}

json conditions_to_json(const std::optional<RunConditions>& conditions) {
  if (!conditions) return nullptr;
  json tables = json::object();
  for (const auto& [table, rows] : conditions->table_rows) {
    tables[table] = {{"rows", rows.rows}, {"exact", rows.exact}};
  }
  return {{"settings", conditions->settings}, {"table_rows", tables}};
}

json index_statistics_to_json(const std::vector<IndexStatistics>& indexes) {
  json list = json::array();
  for (const IndexStatistics& s : indexes) {
    json values = json::array();
    for (const ValueCount& v : s.leading_values) {
      values.push_back({{"value", v.value ? json(*v.value) : json(nullptr)}, {"count", v.count}});
    }
    list.push_back(
        {{"table", s.table},
         {"index", s.index},
         {"columns", s.columns},
         {"unique", s.unique},
         {"table_rows", s.table_rows},
         {"rows_exact", s.rows_exact},
         {"leading_distinct", s.leading_distinct ? json(*s.leading_distinct) : json(nullptr)},
         {"distinct_method", s.distinct_method},
         {"leading_values", values},
         {"values_rows", s.values_rows},
         {"rule", s.rule},
         {"finding", s.finding}});
  }
  return list;
}

json results_document(const RunResult& run) {
  json screens = json::array();
  for (const ScreenResult& screen : run.screens) {
    screens.push_back(screen_to_json(screen, screens.size()));
  }
  return {{"format", "sqlmeasure-results"},
          {"schema_version", run.schema_version},
          {"tool", {{"name", "sqlmeasure"}, {"version", run.tool_version}}},
          {"label", run.label},
          {"started_at", run.started_at},
          {"finished_at", run.finished_at},
          {"complete", run.complete},
          {"incomplete_reason", run.incomplete_reason},
          {"server",
           {{"flavor", flavor_name(run.server.flavor)},
            {"version", run.server.version},
            {"endpoint", run.server.endpoint},
            {"database", run.server.database}}},
          {"rows_examined_method", run.rows_examined_method},
          {"reconnects", run.reconnects},
          {"settings", settings_to_json(run.settings)},
          {"throughput",
           {{"queries", run.throughput.queries},
            {"wall_s", run.throughput.wall_s},
            {"queries_per_s", run.throughput.queries_per_s()},
            {"setup_s", run.throughput.setup_s}}},
          {"conditions", conditions_to_json(run.conditions)},
          {"index_statistics", index_statistics_to_json(run.index_statistics)},
          {"change", change_to_json(run.change)},
          {"pooled_from", run.pooled_from},
          {"screens", screens}};
}

}  // namespace

void write_results_json(const RunResult& run, std::ostream& out) {
  // Bytes that are not UTF-8 (a latin1 value drawn from the server, a file name) must not
  // cost a whole run's results: they are written as U+FFFD instead of throwing.
  const std::string text =
      results_document(run).dump(1, ' ', false, json::error_handler_t::replace);
  size_t position = 0;
  for (size_t found = text.find(kSamplesMarker); found != std::string::npos;
       found = text.find(kSamplesMarker, position)) {
    const size_t value = found + kSamplesMarker.size();
    const size_t close = text.find('"', value);
    out.write(text.data() + position,
              static_cast<std::streamsize>(found + std::string_view("\"samples_ns\": ").size() -
                                           position));
    const std::string where = text.substr(value, close - value);  // "screen:query" or "screen:-"
    const size_t colon = where.find(':');
    const ScreenResult& screen = run.screens[std::stoul(where.substr(0, colon))];
    const std::string query = where.substr(colon + 1);
    write_samples(
        out, query == "-" ? screen.view_samples() : screen.queries[std::stoul(query)].samples_ns);
    position = close + 1;
  }
  out.write(text.data() + position, static_cast<std::streamsize>(text.size() - position));
  out << '\n';
}

std::string results_to_json(const RunResult& run) {
  std::ostringstream out;
  write_results_json(run, out);
  return std::move(out).str();
}

void write_results_file(const RunResult& run, const std::string& path) {
  // Streamed to the file: the samples never exist as one big string in memory.
  write_file_atomically(path, [&run](std::ostream& out) { write_results_json(run, out); });
}

}  // namespace sqlmeasure
