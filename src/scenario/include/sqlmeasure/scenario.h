#pragma once
// Screens and their queries, as loaded from a scenario directory (PRODUCT.md §3).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/budget.h"
#include "sqlmeasure/source_location.h"

namespace sqlmeasure {

// One parameter value. Numbers keep their text so nothing is lost to floating point;
// strings are quoted and escaped by the client library at substitution time; binary values
// (`{ hex = "0A1B" }` in a scenario file) are their bytes as upper-case hex digits, replayed
// as the hex literal X'0A1B'.
struct ParamValue {
  enum class Kind { kNull, kInteger, kFloat, kString, kBoolean, kBinary };
  Kind kind = Kind::kNull;
  std::string text;

  static ParamValue null() { return {}; }
  static ParamValue integer(std::int64_t v) { return {Kind::kInteger, std::to_string(v)}; }
  static ParamValue string(std::string s) { return {Kind::kString, std::move(s)}; }
  static ParamValue binary_hex(std::string hex) { return {Kind::kBinary, std::move(hex)}; }
  bool operator==(const ParamValue&) const = default;
};

// Where a parameter's values come from: a literal list (cycled through), or a query run
// once whose first column is sampled with a fixed seed.
struct ParamSpec {
  std::vector<ParamValue> values;       // literal, or filled in by resolve_params()
  std::optional<std::string> from_sql;  // `{ from = "SELECT ...", sample = N }`
  int sample = 0;                       // how many values to draw from `from`
  SourceLocation where;
};

struct Query {
  std::string name;
  std::string sql;
  int times = 1;  // issued this many times per view of the screen
  std::map<std::string, ParamSpec> params;
  SourceLocation where;
};

struct Screen {
  std::string name;
  std::string description;
  std::string file;
  std::vector<Query> queries;
  std::optional<Budget> budget;  // [budget] in a TOML screen file
};

// What a screen or query may be called: 1-128 ASCII letters, digits, '_', '-' or '.' — safe
// in globs, file names, tables and terminals. The loader and the results reader both hold
// names to it.
inline constexpr std::size_t kMaxNameLength = 128;
[[nodiscard]] bool is_valid_name(std::string_view name);

}  // namespace sqlmeasure
