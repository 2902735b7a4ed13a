// NAME.toml screens. Scenario is the only module that reads TOML: every key is checked
// against the format, so a typo is an error, never silently ignored.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <set>
#include <string_view>

#include "budget_table.h"
#include "screen_validation.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/text.h"
#include "toml_document.h"

namespace sqlmeasure {
namespace {

SourceLocation where(const std::string& file, const toml::node& node) {
  const auto& begin = node.source().begin;
  return {file, static_cast<int>(begin.line), static_cast<int>(begin.column)};
}

[[noreturn]] void bad(const SourceLocation& at, const std::string& message) {
  fail(ExitCode::kBadInput, at.str() + ": " + message);
}

void reject_unknown_keys(const std::string& file, const toml::table& table,
                         const std::set<std::string>& known, const std::string& context) {
  for (const auto& [key, value] : table) {
    if (known.count(std::string(key.str())) == 0) {
      std::vector<std::string> candidates(known.begin(), known.end());
      // Point at the key, where the typo is (the value's position is the fallback).
      const auto& begin = key.source().begin;
      SourceLocation at = begin.line > 0 ? SourceLocation{file, static_cast<int>(begin.line),
                                                          static_cast<int>(begin.column)}
                                         : where(file, value);
      bad(at, fmt::format("unknown key '{}'{}{}", printable(key.str()), context,
                          did_you_mean_hint(std::string(key.str()), candidates)));
    }
  }
}

std::string required_string(const std::string& file, const toml::node& node,
                            const std::string& key) {
  const auto* text = node.as_string();
  if (text == nullptr) bad(where(file, node), fmt::format("'{}' must be a string", key));
  return text->get();
}

ParamValue param_value(const std::string& file, const toml::node& node, const std::string& key) {
  if (const auto* v = node.as_integer()) return ParamValue::integer(v->get());
  if (const auto* v = node.as_floating_point()) {
    // TOML has inf and nan; SQL has no literal for them (they would read as identifiers).
    if (!std::isfinite(v->get())) {
      bad(where(file, node),
          fmt::format("params.{}: {} has no SQL literal; use a finite number", key, v->get()));
    }
    return {ParamValue::Kind::kFloat, fmt::format("{}", v->get())};
  }
  if (const auto* v = node.as_string()) return ParamValue::string(v->get());
  if (const auto* v = node.as_boolean()) {
    return {ParamValue::Kind::kBoolean, v->get() ? "TRUE" : "FALSE"};
  }
  if (const auto* table = node.as_table()) {
    // { hex = "0A1B" }: binary bytes (a BINARY(16) id, a hash), replayed as X'0A1B'.
    reject_unknown_keys(file, *table, {"hex"}, " in a value of params." + key);
    const auto* hex = table->get("hex");
    const auto* digits = hex == nullptr ? nullptr : hex->as_string();
    if (digits == nullptr || !is_hex_bytes(digits->get())) {
      bad(where(file, hex == nullptr ? node : *hex),
          fmt::format("params.{}: a binary value is {{ hex = \"0A1B\" }}: an even number of hex "
                      "digits",
                      key));
    }
    return ParamValue::binary_hex(ascii_upper(digits->get()));
  }
  bad(where(file, node), fmt::format("params.{}: values must be integers, floats, strings, "
                                     "booleans or {{ hex = \"...\" }}",
                                     key));
}

ParamSpec parse_param(const std::string& file, const std::string& key, const toml::node& node) {
  ParamSpec spec;
  spec.where = where(file, node);
  if (const auto* list = node.as_array()) {
    if (list->empty()) bad(spec.where, fmt::format("params.{}: the list of values is empty", key));
    for (const auto& item : *list) spec.values.push_back(param_value(file, item, key));
  } else if (const auto* table = node.as_table()) {
    reject_unknown_keys(file, *table, {"from", "sample"}, " in params." + key);
    const auto* from = table->get("from");
    if (from == nullptr) {
      bad(spec.where, fmt::format("params.{}: a table needs 'from' = \"SELECT ...\"", key));
    }
    spec.from_sql = required_string(file, *from, "params." + key + ".from");
    spec.sample = 1;
    if (const auto* sample = table->get("sample")) {
      const auto* count = sample->as_integer();
      if (count == nullptr || count->get() < 1 || count->get() > 1000000) {
        bad(where(file, *sample),
            fmt::format("params.{}.sample must be an integer from 1 to 1000000", key));
      }
      spec.sample = static_cast<int>(count->get());
    }
  } else {
    spec.values.push_back(param_value(file, node, key));
  }
  return spec;
}

Query parse_query(const std::string& file, const toml::table& table, const toml::node& node,
                  size_t index) {
  reject_unknown_keys(file, table, {"name", "sql", "times", "params"}, " in [[query]]");
  Query query;
  query.where = where(file, node);
  query.name = fmt::format("q{}", index + 1);
  if (const auto* name = table.get("name")) query.name = required_string(file, *name, "name");
  const auto* sql = table.get("sql");
  if (sql == nullptr) {
    bad(query.where, fmt::format("query '{}' has no 'sql'", printable(query.name)));
  }
  query.sql = required_string(file, *sql, "sql");
  query.where = where(file, *sql);
  if (const auto* times = table.get("times")) {
    const auto* count = times->as_integer();
    if (count == nullptr || count->get() < 1 || count->get() > 100000) {
      bad(where(file, *times), fmt::format("query '{}': 'times' must be an integer from 1 to "
                                           "100000",
                                           printable(query.name)));
    }
    query.times = static_cast<int>(count->get());
  }
  if (const auto* params = table.get("params")) {
    const auto* params_table = params->as_table();
    if (params_table == nullptr) {
      bad(where(file, *params),
          fmt::format("query '{}': 'params' must be a table", printable(query.name)));
    }
    for (const auto& [key, value] : *params_table) {
      // The key in messages is printable(key); the key itself is what the SQL names.
      query.params.emplace(std::string(key.str()), parse_param(file, printable(key.str()), value));
    }
  }
  return query;
}

}  // namespace

Screen parse_toml_screen(const std::string& path, const std::string& default_name) {
  const std::string content =
      read_input_file(path, "the screen", ExitCode::kBadInput, kScreenFileMaxBytes);
  const toml::table root = parse_toml(content, path, ExitCode::kBadInput);
  reject_unknown_keys(path, root, {"screen", "description", "query", "budget"}, "");
  Screen screen;
  screen.file = path;
  screen.name = default_name;
  if (const auto* name = root.get("screen")) screen.name = required_string(path, *name, "screen");
  if (const auto* description = root.get("description")) {
    screen.description = required_string(path, *description, "description");
  }
  if (const auto* budget = root.get("budget")) {
    const auto* table = budget->as_table();
    if (table == nullptr) bad(where(path, *budget), "'budget' must be a table: [budget]");
    screen.budget = read_budget(path, *table, *budget, {}, "[budget]", ExitCode::kBadInput);
  }
  if (const auto* queries = root.get("query")) {
    const auto* list = queries->as_array();
    if (list == nullptr)
      bad(where(path, *queries), "'query' must be an array of tables: [[query]]");
    for (size_t i = 0; i < list->size(); ++i) {
      const auto* table = (*list)[i].as_table();
      if (table == nullptr) bad(where(path, (*list)[i]), "each [[query]] must be a table");
      screen.queries.push_back(parse_query(path, *table, (*list)[i], i));
    }
  }
  return screen;
}

}  // namespace sqlmeasure
