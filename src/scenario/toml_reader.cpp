// sqlmeasure.toml's values, read through toml++ here so that config/ never sees it.
#include "sqlmeasure/toml_reader.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <cstdio>

#include "budget_table.h"
#include "sqlmeasure/text.h"
#include "toml_document.h"

namespace sqlmeasure {

struct TomlTable::Document {
  toml::table root;
  std::string file;
  ExitCode code;
};

namespace {

const toml::table& as_table(const void* table) { return *static_cast<const toml::table*>(table); }

std::string position(const std::string& file, const toml::node& node) {
  const auto& begin = node.source().begin;
  return fmt::format("{}:{}:{}", file, begin.line, begin.column);
}

}  // namespace

TomlTable read_toml(std::string_view text, const std::string& file, ExitCode code) {
  auto document = std::make_shared<TomlTable::Document>(
      TomlTable::Document{parse_toml(text, file, code), file, code});
  const toml::table* root = &document->root;
  return TomlTable(std::move(document), root);
}

std::string TomlTable::at() const { return position(document_->file, as_table(table_)); }

std::string TomlTable::at(const std::string& key) const {
  return position(document_->file, *as_table(table_).get(key));
}

bool TomlTable::has(const std::string& key) const { return as_table(table_).get(key) != nullptr; }

void TomlTable::bad(const std::string& message) const {
  fail(document_->code, fmt::format("{}: {}", at(), message));
}

void TomlTable::bad(const std::string& key, const std::string& message) const {
  fail(document_->code, fmt::format("{}: {}", at(key), message));
}

void TomlTable::known_keys(const std::set<std::string>& known, const std::string& section) const {
  for (const auto& [key, value] : as_table(table_)) {
    if (known.count(std::string(key.str())) != 0) continue;
    fail(document_->code,
         fmt::format("{}: unknown key '{}'{}{}", position(document_->file, value),
                     printable(key.str()), section.empty() ? "" : " in [" + section + "]",
                     did_you_mean_hint(std::string(key.str()), {known.begin(), known.end()})));
  }
}

std::optional<TomlTable> TomlTable::table(const std::string& key) const {
  const toml::node* node = as_table(table_).get(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_table()) bad(key, fmt::format("[{}] must be a table", key));
  return TomlTable(document_, node->as_table());
}

std::vector<TomlTable> TomlTable::tables(const std::string& key) const {
  std::vector<TomlTable> found;
  const toml::node* node = as_table(table_).get(key);
  if (node == nullptr) return found;
  const toml::array* list = node->as_array();
  if (list == nullptr || !list->is_array_of_tables()) {
    bad(key, fmt::format("'{}' must be an array of tables: [[{}]]", key, key));
  }
  for (const toml::node& item : *list) found.push_back(TomlTable(document_, item.as_table()));
  return found;
}

void TomlTable::text(const std::string& key, std::optional<std::string>& out) const {
  if (const toml::node* node = as_table(table_).get(key)) {
    if (!node->is_string()) bad(key, fmt::format("'{}' must be a string", key));
    out = node->as_string()->get();
  }
}

void TomlTable::boolean(const std::string& key, std::optional<bool>& out) const {
  if (const toml::node* node = as_table(table_).get(key)) {
    if (!node->is_boolean()) bad(key, fmt::format("'{}' must be true or false", key));
    out = node->as_boolean()->get();
  }
}

std::optional<std::int64_t> TomlTable::integer_in(const std::string& key, std::int64_t min,
                                                  std::int64_t max) const {
  const toml::node* node = as_table(table_).get(key);
  if (node == nullptr) return std::nullopt;
  const auto* value = node->as_integer();
  if (value == nullptr || value->get() < min || value->get() > max) {
    bad(key, fmt::format("'{}' must be an integer from {} to {}", key, min, max));
  }
  return value->get();
}

void TomlTable::real(const std::string& key, std::optional<double>& out, double min,
                     double max) const {
  if (const toml::node* node = as_table(table_).get(key)) {
    std::optional<double> value;
    if (const auto* f = node->as_floating_point()) value = f->get();
    if (const auto* i = node->as_integer()) value = static_cast<double>(i->get());
    // NaN fails every comparison, so it must be refused by name (TOML allows nan).
    if (!value || std::isnan(*value) || *value < min || *value > max) {
      bad(key, fmt::format("'{}' must be a number from {} to {}", key, min, max));
    }
    out = value;
  }
}

void TomlTable::strings(const std::string& key,
                        std::optional<std::vector<std::string>>& out) const {
  if (const toml::node* node = as_table(table_).get(key)) {
    std::vector<std::string> values;
    if (const auto* single = node->as_string()) {
      values = split_list(single->get());
    } else if (const auto* list = node->as_array()) {
      for (const auto& item : *list) {
        if (!item.is_string()) {
          fail(document_->code,
               fmt::format("{}: '{}' must list strings", position(document_->file, item), key));
        }
        values.push_back(item.as_string()->get());
      }
    } else {
      bad(key, fmt::format("'{}' must be a string or a list of strings", key));
    }
    out = values;
  }
}

std::chrono::year_month_day TomlTable::date(const std::string& key) const {
  const toml::node& node = *as_table(table_).get(key);
  std::optional<std::chrono::year_month_day> day;
  if (const auto* toml_date = node.as_date()) {
    const toml::date& v = toml_date->get();
    day = std::chrono::year_month_day{std::chrono::year{v.year}, std::chrono::month{v.month},
                                      std::chrono::day{v.day}};
  } else if (const auto* s = node.as_string()) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(s->get().c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3 &&
        s->get().size() == 10) {
      day = std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
    }
  }
  if (!day || !day->ok()) bad(key, fmt::format("'{}' must be a date: {} = 2027-01-31", key, key));
  return *day;
}

Budget TomlTable::budget(const std::set<std::string>& also, const std::string& section) const {
  const toml::table& table = as_table(table_);
  return read_budget(document_->file, table, table, also, section, document_->code);
}

}  // namespace sqlmeasure
