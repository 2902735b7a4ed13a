// Results file <-> RunResult. nlohmann_json is used only in src/report/.
#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {
using nlohmann::json;

// Values are written as JSON scalars; integers and floats as their exact text, so that
// a 20-digit id survives the trip.
json value_to_json(const ParamValue& value) {
  switch (value.kind) {
    case ParamValue::Kind::kNull: return nullptr;
    case ParamValue::Kind::kString: return value.text;
    case ParamValue::Kind::kBoolean: return value.text == "TRUE";
    case ParamValue::Kind::kInteger:
    case ParamValue::Kind::kFloat: return json{{"number", value.text}};
  }
  return nullptr;
}

json summary_to_json(const Summary& s) {
  return {{"n", s.n},           {"min", s.min},       {"median", s.median}, {"p95", s.p95},
          {"mean", s.mean},     {"max", s.max},       {"stddev", s.stddev}, {"mad", s.mad}};
}

json plan_to_json(const std::vector<PlanRow>& plan) {
  json rows = json::array();
  for (const PlanRow& r : plan) {
    rows.push_back({{"id", r.id},   {"select_type", r.select_type},     {"table", r.table},
                    {"type", r.access_type}, {"possible_keys", r.possible_keys},
                    {"key", r.key}, {"key_len", r.key_len}, {"ref", r.ref},
                    {"rows", r.rows}, {"extra", r.extra}});
  }
  return rows;
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

json results_document(const RunResult& run) {
  json screens = json::array();
  for (const ScreenResult& screen : run.screens) {
    json queries = json::array();
    for (const QueryResult& q : screen.queries) {
      json params = json::object();
      for (const auto& [name, values] : q.params) {
        json list = json::array();
        for (const ParamValue& v : values) list.push_back(value_to_json(v));
        params[name] = list;
      }
      json query = {{"name", q.name},
                    {"sql", q.sql},
                    {"times", q.times},
                    {"params", params},
                    {"stats_ms", summary_to_json(q.stats_ms)},
                    {"rows_sent", q.rows_sent},
                    {"rows_examined", q.rows_examined},
                    {"checksum", q.checksum},
                    {"variants_inspected", q.variants_inspected},
                    {"plan", plan_to_json(q.plan)},
                    {"error", q.error ? json(*q.error) : json(nullptr)},
                    {"samples_ns", samples_marker(screens.size(), queries.size())}};
      queries.push_back(std::move(query));
    }
    screens.push_back({{"name", screen.name},
                       {"description", screen.description},
                       {"file", screen.file},
                       {"stats_ms", summary_to_json(screen.stats_ms)},
                       {"rows_examined", screen.rows_examined},
                       {"samples_ns", samples_marker(screens.size(), std::nullopt)},
                       {"queries", queries}});
  }
  const RunSettings& s = run.settings;
  json document = {
      {"format", "sqlmeasure-results"},
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
      {"settings",
       {{"warmup", s.warmup},
        {"iterations", s.iterations},
        {"seed", s.seed},
        {"order", s.order},
        {"scenarios", s.scenarios},
        {"screens", s.screen_globs},
        {"query_timeout_ms", s.query_timeout_ms}}},
      {"screens", screens}};
  // Newer, optional fields: older readers ignore them, and this reader defaults them.
  json& settings = document["settings"];
  settings["concurrency"] = s.concurrency;
  if (s.auto_iterations.enabled) {
    const RunSettings::AutoIterations& rule = s.auto_iterations;
    settings["iterations_mode"] = "auto";
    settings["auto_iterations"] = {
        {"rule", "per screen: stop once the median per-view latency has a 95 % "
                 "distribution-free confidence interval of relative half-width <= max_relative_half_width, or "
                 "half-width <= max_absolute_half_width_ns, after min_rounds; at most "
                 "`iterations` rounds and budget_s seconds of sampling per screen"},
        {"min_rounds", rule.min_rounds},
        {"max_relative_half_width", rule.max_relative_half_width},
        {"max_absolute_half_width_ns", rule.max_absolute_half_width_ns},
        {"budget_s", rule.budget_s}};
  }
  document["throughput"] = {{"queries", run.throughput.queries},
                            {"wall_s", run.throughput.wall_s},
                            {"queries_per_s", run.throughput.queries_per_s()}};
  return document;
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
    write_samples(out, query == "-" ? screen.view_samples()
                                    : screen.queries[std::stoul(query)].samples_ns);
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

namespace {

// A JSON number's text: -?DIGITS(.DIGITS)?([eE][+-]?DIGITS)?
bool is_number_text(const std::string& text) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (!digits()) return false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

// Reading: every field is checked, and a problem names the file and the JSON path.
class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void bad(const std::string& path, const std::string& message) const {
    fail(ExitCode::kBadInput, fmt::format("{}: {}: {}", origin_, printable(path), message));
  }

  const json& field(const json& object, const std::string& path, const char* key) const {
    if (!object.is_object()) bad(path, "expected an object");
    auto it = object.find(key);
    // Named by its full path ($.screens[0].queries[1].samples_ns), so it can be found.
    if (it == object.end()) bad(path + "." + key, fmt::format("missing field '{}'", key));
    return *it;
  }

  std::string text(const json& object, const std::string& path, const char* key) const {
    const json& value = field(object, path, key);
    if (!value.is_string()) bad(path + "." + key, "expected a string");
    return value.get<std::string>();
  }

  template <typename T>
  T number(const json& object, const std::string& path, const char* key) const {
    const json& value = field(object, path, key);
    if (!value.is_number()) bad(path + "." + key, "expected a number");
    if constexpr (std::is_integral_v<T>) {
      if (!value.is_number_integer()) bad(path + "." + key, "expected an integer");
      if (value.is_number_unsigned()) {
        auto v = value.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
          bad(path + "." + key, "number out of range");
        }
      } else {
        auto v = value.get<std::int64_t>();
        if (v < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
            (v > 0 && static_cast<std::uint64_t>(v) >
                          static_cast<std::uint64_t>(std::numeric_limits<T>::max()))) {
          bad(path + "." + key, "number out of range");
        }
      }
    }
    return value.get<T>();
  }

  // A count that other code multiplies and indexes with: an int within [min, max].
  int count(const json& object, const std::string& path, const char* key, int min,
            int max = std::numeric_limits<int>::max()) const {
    const int value = number<int>(object, path, key);
    if (value < min || value > max) {
      bad(path + "." + key, fmt::format("{} is out of range (expected {} to {})", value, min, max));
    }
    return value;
  }

  bool boolean(const json& object, const std::string& path, const char* key) const {
    const json& value = field(object, path, key);
    if (!value.is_boolean()) bad(path + "." + key, "expected true or false");
    return value.get<bool>();
  }

  const json& array(const json& object, const std::string& path, const char* key) const {
    const json& value = field(object, path, key);
    if (!value.is_array()) bad(path + "." + key, "expected an array");
    return value;
  }

  std::vector<std::int64_t> samples(const json& object, const std::string& path) const {
    std::vector<std::int64_t> out;
    const json& list = array(object, path, "samples_ns");
    out.reserve(list.size());
    for (const json& v : list) {
      if (!v.is_number_integer() || (v.is_number_unsigned() &&
                                     v.get<std::uint64_t>() > (std::uint64_t{1} << 62))) {
        bad(path + ".samples_ns", "expected integer nanoseconds");
      }
      std::int64_t ns = v.get<std::int64_t>();
      if (ns < 0) bad(path + ".samples_ns", "negative sample");
      out.push_back(ns);
    }
    return out;
  }

  ParamValue value(const json& v, const std::string& path) const {
    if (v.is_null()) return ParamValue::null();
    if (v.is_string()) return ParamValue::string(v.get<std::string>());
    if (v.is_boolean()) return {ParamValue::Kind::kBoolean, v.get<bool>() ? "TRUE" : "FALSE"};
    if (v.is_object() && v.contains("number") && v["number"].is_string()) {
      std::string number = v["number"].get<std::string>();
      // The text goes into SQL as it is, so it must be a number and nothing else.
      if (!is_number_text(number)) bad(path, "expected {\"number\": \"DIGITS\"}");
      bool integral = number.find_first_of(".eE") == std::string::npos;
      return {integral ? ParamValue::Kind::kInteger : ParamValue::Kind::kFloat, number};
    }
    bad(path, "expected a parameter value");
  }

  std::vector<PlanRow> plan(const json& object, const std::string& path) const {
    std::vector<PlanRow> rows;
    const json& list = array(object, path, "plan");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string at = fmt::format("{}.plan[{}]", path, i);
      const json& r = list[i];
      rows.push_back({text(r, at, "id"), text(r, at, "select_type"), text(r, at, "table"),
                      text(r, at, "type"), text(r, at, "possible_keys"), text(r, at, "key"),
                      text(r, at, "key_len"), text(r, at, "ref"), text(r, at, "rows"),
                      text(r, at, "extra")});
    }
    return rows;
  }

 private:
  std::string origin_;
};

}  // namespace

RunResult results_from_json(const std::string& text, const std::string& origin) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& error) {
    fail(ExitCode::kBadInput,
         fmt::format("{}: not a results file: invalid JSON at byte {} ({})", origin, error.byte,
                     text.empty() ? "the file is empty" : "truncated or corrupt?"));
  } catch (const json::exception& error) {
    // For a number no double can hold (1e400) the parser throws out_of_range, not
    // parse_error: well-formed JSON, but not a results file.
    fail(ExitCode::kBadInput,
         fmt::format("{}: not a results file: {}", origin, printable(error.what())));
  }
  Reader read(origin);
  if (!document.is_object() || !document.contains("format") ||
      document["format"] != "sqlmeasure-results") {
    fail(ExitCode::kBadInput, fmt::format("{}: not a sqlmeasure results file (no \"format\": "
                                          "\"sqlmeasure-results\")",
                                          origin));
  }
  int version = read.number<int>(document, "$", "schema_version");
  if (version != kResultsSchemaVersion) {
    fail(ExitCode::kBadInput,
         fmt::format("{}: results schema_version {} is not supported (this sqlmeasure reads "
                     "version {}); re-run with a matching sqlmeasure",
                     origin, version, kResultsSchemaVersion));
  }
  RunResult run;
  run.schema_version = version;
  run.tool_version = read.text(read.field(document, "$", "tool"), "$.tool", "version");
  run.label = read.text(document, "$", "label");
  run.started_at = read.text(document, "$", "started_at");
  run.finished_at = read.text(document, "$", "finished_at");
  run.complete = read.boolean(document, "$", "complete");
  run.incomplete_reason = read.text(document, "$", "incomplete_reason");
  const json& server = read.field(document, "$", "server");
  std::string flavor = read.text(server, "$.server", "flavor");
  run.server.flavor = flavor == "MariaDB"        ? Flavor::kMariaDB
                      : flavor == "MySQL"        ? Flavor::kMySQL
                      : flavor == "Aurora MySQL" ? Flavor::kAurora
                                                 : Flavor::kUnknown;
  run.server.version = read.text(server, "$.server", "version");
  run.server.endpoint = read.text(server, "$.server", "endpoint");
  run.server.database = read.text(server, "$.server", "database");
  run.rows_examined_method = read.text(document, "$", "rows_examined_method");
  if (document.contains("reconnects")) run.reconnects = read.number<int>(document, "$", "reconnects");
  if (document.contains("throughput")) {
    const json& throughput = read.field(document, "$", "throughput");
    run.throughput.queries = read.number<std::uint64_t>(throughput, "$.throughput", "queries");
    run.throughput.wall_s = read.number<double>(throughput, "$.throughput", "wall_s");
  }
  const json& settings = read.field(document, "$", "settings");
  if (settings.contains("concurrency")) {
    run.settings.concurrency = read.number<int>(settings, "$.settings", "concurrency");
  }
  if (settings.contains("iterations_mode")) {
    run.settings.auto_iterations.enabled =
        read.text(settings, "$.settings", "iterations_mode") == "auto";
  }
  if (settings.contains("auto_iterations")) {
    const json& rule = read.field(settings, "$.settings", "auto_iterations");
    const std::string at = "$.settings.auto_iterations";
    RunSettings::AutoIterations& out = run.settings.auto_iterations;
    out.min_rounds = read.number<int>(rule, at, "min_rounds");
    out.max_relative_half_width = read.number<double>(rule, at, "max_relative_half_width");
    out.max_absolute_half_width_ns =
        read.number<std::int64_t>(rule, at, "max_absolute_half_width_ns");
    out.budget_s = read.number<double>(rule, at, "budget_s");
  }
  run.settings.warmup = read.count(settings, "$.settings", "warmup", 0);
  run.settings.iterations = read.count(settings, "$.settings", "iterations", 0);
  run.settings.seed = read.number<std::uint64_t>(settings, "$.settings", "seed");
  run.settings.order = read.text(settings, "$.settings", "order");
  run.settings.scenarios = read.text(settings, "$.settings", "scenarios");
  run.settings.query_timeout_ms =
      read.number<unsigned>(settings, "$.settings", "query_timeout_ms");
  for (const json& glob : read.array(settings, "$.settings", "screens")) {
    if (!glob.is_string()) read.bad("$.settings.screens", "expected strings");
    run.settings.screen_globs.push_back(glob.get<std::string>());
  }
  const json& screens = read.array(document, "$", "screens");
  for (size_t i = 0; i < screens.size(); ++i) {
    std::string at = fmt::format("$.screens[{}]", i);
    const json& s = screens[i];
    ScreenResult& screen = run.screens.emplace_back();
    screen.name = read.text(s, at, "name");
    screen.description = read.text(s, at, "description");
    screen.file = read.text(s, at, "file");
    screen.rows_examined = read.number<std::uint64_t>(s, at, "rows_examined");
    screen.samples_ns = read.samples(s, at);
    const json& queries = read.array(s, at, "queries");
    for (size_t j = 0; j < queries.size(); ++j) {
      std::string qat = fmt::format("{}.queries[{}]", at, j);
      const json& q = queries[j];
      QueryResult& query = screen.queries.emplace_back();
      query.name = read.text(q, qat, "name");
      query.sql = read.text(q, qat, "sql");
      query.times = read.count(q, qat, "times", 1);
      const json& params = read.field(q, qat, "params");
      if (!params.is_object()) read.bad(qat + ".params", "expected an object");
      for (const auto& [name, values] : params.items()) {
        if (!values.is_array()) read.bad(qat + ".params." + name, "expected an array");
        auto& list = query.params[name];
        for (const json& v : values) list.push_back(read.value(v, qat + ".params." + name));
      }
      query.rows_sent = read.number<std::uint64_t>(q, qat, "rows_sent");
      query.rows_examined = read.number<std::uint64_t>(q, qat, "rows_examined");
      query.checksum = read.text(q, qat, "checksum");
      query.variants_inspected = read.count(q, qat, "variants_inspected", 0);
      query.plan = read.plan(q, qat);
      const json& error = read.field(q, qat, "error");
      if (error.is_string()) {
        query.error = error.get<std::string>();
      } else if (!error.is_null()) {
        read.bad(qat + ".error", "expected a string or null");
      }
      query.samples_ns = read.samples(q, qat);
    }
  }
  recompute_stats(run);  // never trust stored statistics: the samples are the truth
  return run;
}

void write_results_file(const RunResult& run, const std::string& path) {
  // Streamed to the file: the samples never exist as one big string in memory.
  write_file_atomically(path, [&run](std::ostream& out) { write_results_json(run, out); });
}

RunResult read_results_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ExitCode::kBadInput, fmt::format("{}: cannot read the results file", path));
  std::stringstream text;
  text << in.rdbuf();
  return results_from_json(text.str(), path);
}

}  // namespace sqlmeasure
