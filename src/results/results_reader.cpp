// Reading the results file (docs/results-format.md): every field checked, and a problem
// names the file and the JSON path.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "sqlmeasure/error.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using nlohmann::json;

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
  // The file's schema_version, once known: what a field added since then defaults to.
  void set_version(int version) { version_ = version; }

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
      if (!v.is_number_integer() ||
          (v.is_number_unsigned() && v.get<std::uint64_t>() > (std::uint64_t{1} << 62))) {
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
    if (v.is_object() && v.contains("hex") && v["hex"].is_string()) {
      std::string hex = v["hex"].get<std::string>();
      // The digits go into SQL as X'...', so they must be hex digits and nothing else.
      if (!is_hex_bytes(hex)) bad(path, "expected {\"hex\": \"HEX DIGITS\"}, an even number");
      return ParamValue::binary_hex(ascii_upper(hex));
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

  // Since version 4: what SHOW WARNINGS said of the query when it was inspected.
  std::vector<ServerWarning> warnings(const json& object, const std::string& path) const {
    std::vector<ServerWarning> out;
    const json& list = array(object, path, "warnings");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = fmt::format("{}.warnings[{}]", path, i);
      ServerWarning warning;
      warning.level = text(list[i], at, "level");
      warning.code = number<unsigned>(list[i], at, "code");
      warning.message = text(list[i], at, "message");
      const std::string source = text(list[i], at, "source");
      if (source != "execute" && source != "explain") {
        bad(at + ".source", "expected \"execute\" or \"explain\"");
      }
      warning.from_explain = source == "explain";
      out.push_back(std::move(warning));
    }
    return out;
  }

  // Since version 7: the inspection of each variant; its length is variants_inspected.
  std::vector<VariantInspection> variants(const json& object, const std::string& path,
                                          int inspected) const {
    std::vector<VariantInspection> out;
    const json& list = array(object, path, "variants");
    if (!list.empty() && list.size() != static_cast<std::size_t>(inspected)) {
      bad(path + ".variants", fmt::format("expected {} (variants_inspected) entries", inspected));
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = fmt::format("{}.variants[{}]", path, i);
      VariantInspection variant;
      variant.rows_examined = number<std::uint64_t>(list[i], at, "rows_examined");
      variant.rows_sent = number<std::uint64_t>(list[i], at, "rows_sent");
      const std::string checksum = text(list[i], at, "checksum");
      const char* end = checksum.data() + checksum.size();
      auto [stop, error] = std::from_chars(checksum.data(), end, variant.checksum, 16);
      if (checksum.size() != 16 || error != std::errc() || stop != end) {
        bad(at + ".checksum", "expected 16 hex digits");
      }
      out.push_back(variant);
    }
    return out;
  }

  // One part of the document each: the run's header, its settings, a screen, a query.
  void header(const json& document, RunResult& run) const {
    run.tool_version = text(field(document, "$", "tool"), "$.tool", "version");
    run.label = text(document, "$", "label");
    run.started_at = text(document, "$", "started_at");
    run.finished_at = text(document, "$", "finished_at");
    run.complete = boolean(document, "$", "complete");
    run.incomplete_reason = text(document, "$", "incomplete_reason");
    const json& server = field(document, "$", "server");
    const std::string flavor = text(server, "$.server", "flavor");
    run.server.flavor = flavor == "MariaDB"        ? Flavor::kMariaDB
                        : flavor == "MySQL"        ? Flavor::kMySQL
                        : flavor == "Aurora MySQL" ? Flavor::kAurora
                                                   : Flavor::kUnknown;
    run.server.version = text(server, "$.server", "version");
    run.server.endpoint = text(server, "$.server", "endpoint");
    run.server.database = text(server, "$.server", "database");
    run.rows_examined_method = text(document, "$", "rows_examined_method");
    // Optional: files written before these fields existed lack them.
    if (document.contains("reconnects")) run.reconnects = number<int>(document, "$", "reconnects");
    if (document.contains("throughput")) {
      const json& throughput = field(document, "$", "throughput");
      run.throughput.queries = number<std::uint64_t>(throughput, "$.throughput", "queries");
      run.throughput.wall_s = number<double>(throughput, "$.throughput", "wall_s");
      if (version_ >= 6) {
        run.throughput.setup_s = number<double>(throughput, "$.throughput", "setup_s");
      }
    }
    if (version_ >= 4) run.index_statistics = index_statistics(document);
    if (version_ >= 2) {
      run.conditions = conditions(field(document, "$", "conditions"));
      run.change = change(field(document, "$", "change"));
      run.pooled_from = strings(document, "$", "pooled_from");
    }
  }

  // Since version 4: the indexes the run's plans use, as `indexes` describes them.
  std::vector<IndexStatistics> index_statistics(const json& document) const {
    std::vector<IndexStatistics> out;
    const json& list = array(document, "$", "index_statistics");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = fmt::format("$.index_statistics[{}]", i);
      const json& item = list[i];
      IndexStatistics s;
      s.table = text(item, at, "table");
      s.index = text(item, at, "index");
      s.columns = strings(item, at, "columns");
      s.unique = boolean(item, at, "unique");
      s.table_rows = number<std::uint64_t>(item, at, "table_rows");
      s.rows_exact = boolean(item, at, "rows_exact");
      if (!field(item, at, "leading_distinct").is_null()) {
        s.leading_distinct = number<std::uint64_t>(item, at, "leading_distinct");
      }
      s.distinct_method = text(item, at, "distinct_method");
      const json& values = array(item, at, "leading_values");
      for (size_t j = 0; j < values.size(); ++j) {
        const std::string value_at = fmt::format("{}.leading_values[{}]", at, j);
        ValueCount count;
        const json& value = field(values[j], value_at, "value");
        if (value.is_string()) {
          count.value = value.get<std::string>();
        } else if (!value.is_null()) {
          bad(value_at + ".value", "expected a string or null");
        }
        count.count = number<std::uint64_t>(values[j], value_at, "count");
        s.leading_values.push_back(std::move(count));
      }
      s.values_rows = number<std::uint64_t>(item, at, "values_rows");
      s.rule = text(item, at, "rule");
      s.finding = text(item, at, "finding");
      out.push_back(std::move(s));
    }
    return out;
  }

  // explain's JSON beside each screen's plans (older files have neither): the rows
  // of the tables it reads and the leading distinct values of the indexes its plans use,
  // gathered into the run as a results file records them.
  void explained_statistics(const json& screen, const std::string& at, RunResult& run) const {
    if (screen.contains("tables")) {
      const json& tables = screen["tables"];
      if (!tables.is_object()) bad(at + ".tables", "expected an object");
      if (!run.conditions) run.conditions.emplace();
      for (const auto& [table, rows] : tables.items()) {
        const std::string table_at = at + ".tables." + table;
        run.conditions->table_rows[ascii_lower(table)] = {
            number<std::uint64_t>(rows, table_at, "rows"), boolean(rows, table_at, "exact")};
      }
    }
    if (!screen.contains("indexes")) return;
    const json& indexes = array(screen, at, "indexes");
    for (std::size_t i = 0; i < indexes.size(); ++i) {
      const std::string index_at = fmt::format("{}.indexes[{}]", at, i);
      IndexStatistics s;
      s.table = text(indexes[i], index_at, "table");
      s.index = text(indexes[i], index_at, "index");
      s.table_rows = number<std::uint64_t>(indexes[i], index_at, "table_rows");
      if (!field(indexes[i], index_at, "leading_distinct").is_null()) {
        s.leading_distinct = number<std::uint64_t>(indexes[i], index_at, "leading_distinct");
      }
      const bool known = std::any_of(run.index_statistics.begin(), run.index_statistics.end(),
                                     [&](const IndexStatistics& other) {
                                       return ascii_lower(other.table) == ascii_lower(s.table) &&
                                              other.index == s.index;
                                     });
      if (!known) run.index_statistics.push_back(std::move(s));
    }
  }

  std::optional<RunConditions> conditions(const json& object) const {
    if (object.is_null()) return std::nullopt;
    const std::string at = "$.conditions";
    RunConditions out;
    const json& settings = field(object, at, "settings");
    if (!settings.is_object()) bad(at + ".settings", "expected an object");
    for (const auto& [name, value] : settings.items()) {
      if (!value.is_string()) bad(at + ".settings." + name, "expected a string");
      out.settings[name] = value.get<std::string>();
    }
    const json& tables = field(object, at, "table_rows");
    if (!tables.is_object()) bad(at + ".table_rows", "expected an object");
    for (const auto& [table, rows] : tables.items()) {
      const std::string table_at = at + ".table_rows." + table;
      out.table_rows[table] = {number<std::uint64_t>(rows, table_at, "rows"),
                               boolean(rows, table_at, "exact")};
    }
    return out;
  }

  std::optional<ChangeRecord> change(const json& object) const {
    if (object.is_null()) return std::nullopt;
    ChangeRecord out;
    out.description = text(object, "$.change", "description");
    out.tables = strings(object, "$.change", "tables");
    out.tables_known = boolean(object, "$.change", "tables_known");
    out.ddl_measured = boolean(object, "$.change", "ddl_measured");
    out.apply_s = seconds(object, "$.change", "apply_s");
    out.undo_s = seconds(object, "$.change", "undo_s");
    if (version_ >= 4) out.hint_problems = hint_problems(object, "$.change");
    if (version_ >= 6 && !field(object, "$.change", "alternations").is_null()) {
      const json& alternations = object["alternations"];
      const std::string at = "$.change.alternations";
      out.alternations_planned = number<int>(alternations, at, "planned");
      out.alternations_run = number<int>(alternations, at, "ran");
      out.alternations_stopped = text(alternations, at, "stopped");
    }
    return out;
  }

  std::vector<HintProblem> hint_problems(const json& object, const std::string& path) const {
    std::vector<HintProblem> out;
    const json& list = array(object, path, "hint_problems");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = fmt::format("{}.hint_problems[{}]", path, i);
      const json& item = list[i];
      HintProblem problem;
      const std::string kind = text(item, at, "kind");
      const std::optional<HintProblem::Kind> known = hint_problem_named(kind);
      if (!known)
        bad(at + ".kind", "expected \"breaks\", \"redirected\", \"ignored\" or \"keeps off\"");
      problem.kind = *known;
      problem.screen = text(item, at, "screen");
      problem.query = text(item, at, "query");
      problem.where.file = text(item, at, "where");  // as written: file:line:col
      problem.table = text(item, at, "table");
      problem.hint = text(item, at, "hint");
      problem.index = text(item, at, "index");
      problem.before = text(item, at, "before");
      problem.after = text(item, at, "after");
      problem.error = text(item, at, "error");
      problem.cause = text(item, at, "cause");
      problem.with_ms = number<double>(item, at, "with_ms");
      problem.without_ms = number<double>(item, at, "without_ms");
      problem.samples = count(item, at, "samples", 0);
      problem.rows_examined_with = number<std::uint64_t>(item, at, "rows_examined_with");
      problem.rows_examined_without = number<std::uint64_t>(item, at, "rows_examined_without");
      out.push_back(std::move(problem));
    }
    return out;
  }

  std::vector<double> seconds(const json& object, const std::string& at, const char* key) const {
    std::vector<double> out;
    for (const json& item : array(object, at, key)) {
      if (!item.is_number() || item.get<double>() < 0 || !std::isfinite(item.get<double>())) {
        bad(at + "." + key, "expected seconds (numbers from 0)");
      }
      out.push_back(item.get<double>());
    }
    return out;
  }

  std::vector<std::string> strings(const json& object, const std::string& at,
                                   const char* key) const {
    std::vector<std::string> out;
    for (const json& item : array(object, at, key)) {
      if (!item.is_string()) bad(at + "." + key, "expected strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  RunSettings settings(const json& object) const {
    const std::string at = "$.settings";
    RunSettings out;
    if (object.contains("concurrency")) out.concurrency = number<int>(object, at, "concurrency");
    if (object.contains("iterations_mode")) {
      out.auto_iterations.enabled = text(object, at, "iterations_mode") == "auto";
    }
    if (object.contains("auto_iterations")) {
      const json& rule = field(object, at, "auto_iterations");
      const std::string rule_at = at + ".auto_iterations";
      RunSettings::AutoIterations& auto_rule = out.auto_iterations;
      auto_rule.min_rounds = number<int>(rule, rule_at, "min_rounds");
      auto_rule.max_relative_half_width = number<double>(rule, rule_at, "max_relative_half_width");
      auto_rule.max_absolute_half_width_ns =
          number<std::int64_t>(rule, rule_at, "max_absolute_half_width_ns");
      auto_rule.budget_s = number<double>(rule, rule_at, "budget_s");
      if (version_ >= 7) auto_rule.total_budget_s = number<double>(rule, rule_at, "total_budget_s");
    }
    out.warmup = count(object, at, "warmup", 0);
    out.iterations = count(object, at, "iterations", 0);
    out.seed = number<std::uint64_t>(object, at, "seed");
    const std::string order = text(object, at, "order");
    const std::optional<Order> parsed = order_named(order);
    if (!parsed) bad(at + ".order", "expected \"round-robin\" or \"shuffled\"");
    out.order = *parsed;
    out.scenarios = text(object, at, "scenarios");
    out.query_timeout_ms = number<unsigned>(object, at, "query_timeout_ms");
    for (const json& glob : array(object, at, "screens")) {
      if (!glob.is_string()) bad(at + ".screens", "expected strings");
      out.screen_globs.push_back(glob.get<std::string>());
    }
    return out;
  }

  // A screen's or query's name, held to the loader's rule: a results file made by hand or by
  // another tool cannot bring names that would break a table or the terminal.
  std::string name(const json& object, const std::string& at, const char* what) const {
    std::string found = text(object, at, "name");
    if (!is_valid_name(found)) {
      bad(at + ".name", fmt::format("'{}' is not a {} name: 1-{} letters, digits, '_', '-' or '.'",
                                    printable(found), what, kMaxNameLength));
    }
    return found;
  }

  ScreenResult screen(const json& object, const std::string& at) const {
    ScreenResult out;
    out.name = name(object, at, "screen");
    out.description = text(object, at, "description");
    out.file = text(object, at, "file");
    out.rows_examined = number<std::uint64_t>(object, at, "rows_examined");
    out.samples_ns = samples(object, at);
    // Version 5: the budget the run held it to, or null.
    if (version_ >= 5 && !field(object, at, "budget").is_null()) {
      out.budget = budget(object["budget"], at + ".budget");
    }
    // Version 6: how its sampling ended, or null.
    if (version_ >= 6 && !field(object, at, "sampling").is_null()) {
      const json& sampling = object["sampling"];
      const std::string sampling_at = at + ".sampling";
      out.sampling = SamplingStop{number<int>(sampling, sampling_at, "views"),
                                  text(sampling, sampling_at, "stopped")};
    }
    const json& queries = array(object, at, "queries");
    std::set<std::string> names;
    for (std::size_t j = 0; j < queries.size(); ++j) {
      const std::string query_at = fmt::format("{}.queries[{}]", at, j);
      out.queries.push_back(query(queries[j], query_at));
      if (!names.insert(out.queries.back().name).second) {
        bad(query_at + ".name", fmt::format("a second query named '{}'", out.queries.back().name));
      }
    }
    return out;
  }

  // {"median_ms": 50, "p95_ms": null, "source": "screens/home.toml:7:1"}
  Budget budget(const json& object, const std::string& at) const {
    Budget out;
    out.source = text(object, at, "source");
    for (const auto& [key, figure] :
         {std::pair{"median_ms", &out.median_ms}, std::pair{"p95_ms", &out.p95_ms}}) {
      if (field(object, at, key).is_null()) continue;
      *figure = number<double>(object, at, key);
      if (!std::isfinite(**figure) || **figure <= 0)
        bad(at + "." + key, "expected milliseconds above 0");
    }
    if (!out.median_ms && !out.p95_ms) bad(at, "a budget with neither median_ms nor p95_ms");
    return out;
  }

  QueryResult query(const json& object, const std::string& at) const {
    QueryResult out;
    out.name = name(object, at, "query");
    out.sql = text(object, at, "sql");
    out.times = count(object, at, "times", 1);
    const json& params = field(object, at, "params");
    if (!params.is_object()) bad(at + ".params", "expected an object");
    for (const auto& [name, values] : params.items()) {
      if (!values.is_array()) bad(at + ".params." + name, "expected an array");
      std::vector<ParamValue>& list = out.params[name];
      for (const json& v : values) list.push_back(value(v, at + ".params." + name));
    }
    out.rows_sent = number<std::uint64_t>(object, at, "rows_sent");
    out.rows_examined = number<std::uint64_t>(object, at, "rows_examined");
    out.checksum = text(object, at, "checksum");
    out.variants_inspected = count(object, at, "variants_inspected", 0);
    if (version_ >= 7) out.variants = variants(object, at, out.variants_inspected);
    out.plan = plan(object, at);
    if (version_ >= 4) out.warnings = warnings(object, at);
    const json& error = field(object, at, "error");
    if (error.is_string()) {
      out.error = error.get<std::string>();
    } else if (!error.is_null()) {
      bad(at + ".error", "expected a string or null");
    }
    // Since version 3: a pooled file says in how many of its phases the query failed.
    if (version_ >= 3) {
      out.phases = count(object, at, "phases", 1);
      out.phases_failed = count(object, at, "failed_phases", 0, out.phases);
      if ((out.phases_failed > 0) != out.error.has_value()) {
        bad(at + ".failed_phases",
            out.error ? "0, but the query has an error" : "not 0, but the query has no error");
      }
    }
    out.samples_ns = samples(object, at);
    // Version 1 timed one execution per view, standing for all `times`; since 2, each.
    out.executions_per_view = version_ >= 2 ? count(object, at, "executions_per_view", 1) : 1;
    if (out.executions_per_view != 1 && out.executions_per_view != out.times) {
      bad(at + ".executions_per_view",
          fmt::format("expected 1 or times ({}), not {}", out.times, out.executions_per_view));
    }
    return out;
  }

 private:
  std::string origin_;
  int version_ = kResultsSchemaVersion;
};

json parse_document(const std::string& text, const std::string& origin) {
  try {
    return json::parse(text);
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
}

// Every version from the first to this binary's reads: a results file made by an older
// sqlmeasure (a CI baseline) still compares. Fields added since are optional above.
int supported_version(const json& document, const Reader& read, const std::string& origin) {
  if (!document.is_object() || !document.contains("format") ||
      document["format"] != "sqlmeasure-results") {
    fail(ExitCode::kBadInput, fmt::format("{}: not a sqlmeasure results file (no \"format\": "
                                          "\"sqlmeasure-results\")",
                                          origin));
  }
  const int version = read.number<int>(document, "$", "schema_version");
  if (version < kOldestResultsSchemaVersion || version > kResultsSchemaVersion) {
    const std::string readable =
        kOldestResultsSchemaVersion == kResultsSchemaVersion
            ? fmt::format("version {}", kResultsSchemaVersion)
            : fmt::format("versions {} to {}", kOldestResultsSchemaVersion, kResultsSchemaVersion);
    fail(ExitCode::kBadInput,
         fmt::format("{}: results schema_version {} is not supported (this sqlmeasure reads {}); "
                     "re-run with a matching sqlmeasure",
                     origin, version, readable));
  }
  return version;
}

}  // namespace

RunResult results_from_json(const std::string& text, const std::string& origin) {
  const json document = parse_document(text, origin);
  Reader read(origin);
  RunResult run;
  run.schema_version = supported_version(document, read, origin);
  read.set_version(run.schema_version);
  read.header(document, run);
  run.settings = read.settings(read.field(document, "$", "settings"));
  const json& screens = read.array(document, "$", "screens");
  std::set<std::string> names;
  for (std::size_t i = 0; i < screens.size(); ++i) {
    const std::string at = fmt::format("$.screens[{}]", i);
    run.screens.push_back(read.screen(screens[i], at));
    // Screens are matched by name: a second one of a name would be compared with the wrong one.
    if (!names.insert(run.screens.back().name).second) {
      read.bad(at + ".name", fmt::format("a second screen named '{}'", run.screens.back().name));
    }
  }
  recompute_stats(run);  // never trust stored statistics: the samples are the truth
  return run;
}

RunResult plans_from_json(const std::string& text, const std::string& origin) {
  const json document = parse_document(text, origin);
  Reader read(origin);
  // explain's JSON: its array of screens, or with --against {"plans": [...], "fidelity": ...}.
  const json* screens = &document;
  std::string path = "$";
  if (document.is_object() && !document.contains("format") && document.contains("plans")) {
    screens = &read.array(document, "$", "plans");
    path = "$.plans";
  } else if (document.is_object()) {
    if (!document.contains("format") || document["format"] != "sqlmeasure-results") {
      read.bad("$.format",
               "expected \"sqlmeasure-results\": an object must be a results file "
               "or explain's JSON with --against ({\"plans\": [...]})");
    }
    return results_from_json(text, origin);
  } else if (!document.is_array()) {
    read.bad("$",
             "neither a results file nor the JSON of `explain --format json` (an object "
             "with \"format\": \"sqlmeasure-results\", or an array of screens)");
  }
  RunResult run;
  std::set<std::string> names;
  for (std::size_t i = 0; i < screens->size(); ++i) {
    const std::string at = fmt::format("{}[{}]", path, i);
    const json& entry = (*screens)[i];
    ScreenResult screen;
    screen.name = read.text(entry, at, "screen");
    if (!names.insert(screen.name).second) {
      read.bad(at + ".screen", fmt::format("a second screen named '{}'", screen.name));
    }
    const json& queries = read.array(entry, at, "queries");
    for (std::size_t j = 0; j < queries.size(); ++j) {
      const std::string query_at = fmt::format("{}.queries[{}]", at, j);
      QueryResult query;
      query.name = read.text(queries[j], query_at, "name");
      query.sql = read.text(queries[j], query_at, "sql");
      query.rows_examined = read.number<std::uint64_t>(queries[j], query_at, "rows_examined");
      query.plan = read.plan(queries[j], query_at);
      screen.queries.push_back(std::move(query));
    }
    read.explained_statistics(entry, at, run);
    run.screens.push_back(std::move(screen));
  }
  return run;
}

RunResult read_plans_file(const std::string& path) {
  return plans_from_json(
      read_input_file(path, "the plans file", ExitCode::kBadInput, std::uintmax_t{2} << 30), path);
}

RunResult read_results_file(const std::string& path) {
  // A million samples is ~14 MB; 2 GiB is no results file sqlmeasure wrote.
  return results_from_json(
      read_input_file(path, "the results file", ExitCode::kBadInput, std::uintmax_t{2} << 30),
      path);
}

}  // namespace sqlmeasure
