// Parameter values: drawn once from the database with a fixed seed, then substituted into
// the SQL as literals quoted by the client library (never pasted as raw text).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "random.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {
namespace {

ParamValue value_from_cell(const std::optional<std::string>& cell, bool numeric) {
  if (!cell) return ParamValue::null();
  if (!numeric) return ParamValue::string(*cell);
  bool integral = cell->find_first_of(".eE") == std::string::npos;
  return {integral ? ParamValue::Kind::kInteger : ParamValue::Kind::kFloat, *cell};
}

std::string literal(const ParamValue& value,
                    const std::function<std::string(std::string_view)>& quote) {
  switch (value.kind) {
    case ParamValue::Kind::kNull:
      return "NULL";
    case ParamValue::Kind::kString:
      return quote(value.text);
    case ParamValue::Kind::kBinary:
      return "X'" + value.text + "'";  // hex digits only: checked where it was read
    case ParamValue::Kind::kInteger:
    case ParamValue::Kind::kFloat:
    case ParamValue::Kind::kBoolean:
      return value.text;
  }
  return "NULL";
}

}  // namespace

void resolve_params(Connection& connection, std::vector<Screen>& screens, std::uint64_t seed) {
  // Screens often draw from the same source (active user ids, say): each distinct `from`
  // query runs once. The draw itself stays seeded per parameter.
  std::map<std::string, ResultSet> fetched;
  for (Screen& screen : screens) {
    for (Query& query : screen.queries) {
      for (auto& [name, spec] : query.params) {
        if (!spec.from_sql || !spec.values.empty()) continue;  // literal, or already drawn
        auto cached = fetched.find(*spec.from_sql);
        if (cached == fetched.end()) {
          try {
            cached = fetched.emplace(*spec.from_sql, connection.query(*spec.from_sql)).first;
          } catch (const DatabaseError& error) {
            throw DatabaseError(
                fmt::format("{}: screen '{}', query '{}', params.{}.from failed: {}",
                            spec.where.str(), screen.name, query.name, name, error.what()),
                error.error_number(), error.sqlstate(), error.connection_lost(), error.timed_out());
          }
        }
        const ResultSet& rows = cached->second;
        if (rows.rows.empty()) {
          fail(ExitCode::kBadInput,
               fmt::format("{}: screen '{}', query '{}': params.{}.from returned no rows",
                           spec.where.str(), screen.name, query.name, name));
        }
        // Seeded per parameter, so adding a screen does not change another's values.
        std::mt19937_64 rng(seed ^ stable_hash(screen.name + "/" + query.name + "/" + name));
        std::vector<size_t> order(rows.rows.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        size_t take = std::min(order.size(), static_cast<size_t>(spec.sample));
        for (size_t i = 0; i < take; ++i) {  // partial Fisher-Yates
          std::swap(order[i], order[i + random_index(rng, order.size() - i)]);
        }
        for (size_t i = 0; i < take; ++i) {
          spec.values.push_back(value_from_cell(rows.rows[order[i]][0], rows.numeric[0]));
        }
      }
    }
  }
}

std::string render_sql(const Query& query, std::size_t variant,
                       const std::function<std::string(std::string_view)>& quote) {
  std::vector<Placeholder> placeholders = find_placeholders(query.sql);
  if (placeholders.empty()) return query.sql;
  std::string sql;
  sql.reserve(query.sql.size() + 32);
  size_t at = 0;
  for (const Placeholder& placeholder : placeholders) {
    sql.append(query.sql, at, placeholder.offset - at);
    auto spec = query.params.find(placeholder.name);
    if (spec == query.params.end() || spec->second.values.empty()) {
      fail(ExitCode::kBadInput, fmt::format("{}: query '{}': placeholder :{} has no value",
                                            query.where.str(), query.name, placeholder.name));
    }
    const auto& values = spec->second.values;
    sql += literal(values[variant % values.size()], quote);
    at = placeholder.offset + placeholder.length;
  }
  sql.append(query.sql, at, std::string::npos);
  return sql;
}

}  // namespace sqlmeasure
