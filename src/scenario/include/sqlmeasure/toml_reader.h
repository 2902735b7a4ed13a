#pragma once
// A TOML file read key by key, for sqlmeasure.toml (src/config/): toml++ stays inside
// src/scenario/, the one module that parses TOML. Every value is checked where it is read,
// and a bad one is Error(`code`) naming file:line:col of the value.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/budget.h"
#include "sqlmeasure/error.h"

namespace sqlmeasure {

class TomlTable {
 public:
  // "file:line:col" of the table, or of the value of `key` (which must be present).
  [[nodiscard]] std::string at() const;
  [[nodiscard]] std::string at(const std::string& key) const;
  [[nodiscard]] bool has(const std::string& key) const;

  // Error(code) at the table, or at the value of `key`: "file:line:col: message".
  [[noreturn]] void bad(const std::string& message) const;
  [[noreturn]] void bad(const std::string& key, const std::string& message) const;

  // A key not in `known` is an error: "unknown key 'x' in [section]", with a did-you-mean.
  void known_keys(const std::set<std::string>& known, const std::string& section) const;

  // [key], which must be a table; nullopt when absent.
  [[nodiscard]] std::optional<TomlTable> table(const std::string& key) const;
  // [[key]], which must be an array of tables; none when absent.
  [[nodiscard]] std::vector<TomlTable> tables(const std::string& key) const;

  // Each reads `key` into `out` when present, and leaves `out` alone when it is absent.
  void text(const std::string& key, std::optional<std::string>& out) const;
  void boolean(const std::string& key, std::optional<bool>& out) const;
  template <typename T>
  void integer(const std::string& key, std::optional<T>& out, std::int64_t min,
               std::int64_t max) const {
    if (const std::optional<std::int64_t> value = integer_in(key, min, max)) {
      out = static_cast<T>(*value);
    }
  }
  // An integer or a float from `min` to `max` (never nan).
  void real(const std::string& key, std::optional<double>& out, double min, double max) const;
  // A string (a comma-separated list) or an array of strings.
  void strings(const std::string& key, std::optional<std::vector<std::string>>& out) const;
  // A TOML local date (2027-01-31), or the same as a string; `key` must be present.
  [[nodiscard]] std::chrono::year_month_day date(const std::string& key) const;

  // This table as a budget ([budget], [[budget]]: median_ms and/or p95_ms); `also` lists the
  // other keys the caller reads in it, `section` names it in errors.
  [[nodiscard]] Budget budget(const std::set<std::string>& also, const std::string& section) const;

 private:
  struct Document;
  friend TomlTable read_toml(std::string_view text, const std::string& file, ExitCode code);
  TomlTable(std::shared_ptr<const Document> document, const void* table)
      : document_(std::move(document)), table_(table) {}
  [[nodiscard]] std::optional<std::int64_t> integer_in(const std::string& key, std::int64_t min,
                                                       std::int64_t max) const;

  std::shared_ptr<const Document> document_;
  const void* table_;  // the toml::table this reads, owned by document_
};

// `text` (the content of `file`) parsed: its root table. Error(`code`) with file:line:col for
// malformed TOML or a key nested too deep.
[[nodiscard]] TomlTable read_toml(std::string_view text, const std::string& file, ExitCode code);

}  // namespace sqlmeasure
