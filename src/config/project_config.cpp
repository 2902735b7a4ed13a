// sqlmeasure.toml. Like scenario files, every key is checked: a typo is an error (exit 78).
#include <fmt/format.h>
#include <toml++/toml.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "scenario/budget_table.h"
#include "scenario/toml_document.h"
#include "sqlmeasure/config.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

class ConfigReader {
 public:
  explicit ConfigReader(std::string path) : path_(std::move(path)) {}

  // file:line:col of a value.
  [[nodiscard]] std::string at(const toml::node& node) const {
    const auto& begin = node.source().begin;
    return fmt::format("{}:{}:{}", path_, begin.line, begin.column);
  }

  [[noreturn]] void bad(const toml::node& node, const std::string& message) const {
    fail(ExitCode::kBadConfig, fmt::format("{}: {}", at(node), message));
  }

  void known_keys(const toml::table& table, const std::set<std::string>& known,
                  const std::string& section) const {
    for (const auto& [key, value] : table) {
      if (known.count(std::string(key.str())) != 0) continue;
      bad(value,
          fmt::format("unknown key '{}'{}{}", printable(key.str()),
                      section.empty() ? "" : " in [" + section + "]",
                      did_you_mean_hint(std::string(key.str()), {known.begin(), known.end()})));
    }
  }

  const toml::table* section(const toml::table& root, const char* name) const {
    const toml::node* node = root.get(name);
    if (node == nullptr) return nullptr;
    if (!node->is_table()) bad(*node, fmt::format("[{}] must be a table", name));
    return node->as_table();
  }

  void text(const toml::table& table, const char* key, std::optional<std::string>& out) const {
    if (const toml::node* node = table.get(key)) {
      if (!node->is_string()) bad(*node, fmt::format("'{}' must be a string", key));
      out = node->as_string()->get();
    }
  }

  void boolean(const toml::table& table, const char* key, std::optional<bool>& out) const {
    if (const toml::node* node = table.get(key)) {
      if (!node->is_boolean()) bad(*node, fmt::format("'{}' must be true or false", key));
      out = node->as_boolean()->get();
    }
  }

  template <typename T>
  void integer(const toml::table& table, const char* key, std::optional<T>& out, std::int64_t min,
               std::int64_t max) const {
    if (const toml::node* node = table.get(key)) {
      const auto* value = node->as_integer();
      if (value == nullptr || value->get() < min || value->get() > max) {
        bad(*node, fmt::format("'{}' must be an integer from {} to {}", key, min, max));
      }
      out = static_cast<T>(value->get());
    }
  }

  void real(const toml::table& table, const char* key, std::optional<double>& out, double min,
            double max) const {
    if (const toml::node* node = table.get(key)) {
      std::optional<double> value;
      if (const auto* f = node->as_floating_point()) value = f->get();
      if (const auto* i = node->as_integer()) value = static_cast<double>(i->get());
      // NaN fails every comparison, so it must be refused by name (TOML allows nan).
      if (!value || std::isnan(*value) || *value < min || *value > max) {
        bad(*node, fmt::format("'{}' must be a number from {} to {}", key, min, max));
      }
      out = value;
    }
  }

  // The tables of an array of tables ([[name]]); none when absent.
  std::vector<const toml::table*> tables(const toml::table& root, const char* name) const {
    std::vector<const toml::table*> found;
    const toml::node* node = root.get(name);
    if (node == nullptr) return found;
    const toml::array* list = node->as_array();
    if (list == nullptr || !list->is_array_of_tables()) {
      bad(*node, fmt::format("'{}' must be an array of tables: [[{}]]", name, name));
    }
    for (const toml::node& item : *list) found.push_back(item.as_table());
    return found;
  }

  // [[accept]]: screen, query (optional), reason, expires — each required but query, so an
  // acceptance always says who may regress, why, and until when.
  Acceptance acceptance(const toml::table& table) const {
    known_keys(table, {"screen", "query", "reason", "expires"}, "[accept]");
    Acceptance entry;
    entry.source = at(table);
    std::optional<std::string> screen, reason;
    text(table, "screen", screen);
    text(table, "query", entry.query);
    text(table, "reason", reason);
    if (!screen || !is_valid_name(*screen)) {
      bad(screen ? *table.get("screen") : static_cast<const toml::node&>(table),
          "[[accept]] needs the screen's name: screen = \"home\" (a name, not a glob: an "
          "acceptance is reviewed screen by screen)");
    }
    if (entry.query && !is_valid_name(*entry.query)) {
      bad(*table.get("query"), "'query' must be the name of one of the screen's queries");
    }
    if (!reason || reason->find_first_not_of(" \t\r\n") == std::string::npos) {
      bad(reason ? *table.get("reason") : static_cast<const toml::node&>(table),
          "[[accept]] needs a reason: reason = \"why this regression is accepted\"");
    }
    entry.screen = *screen;
    entry.reason = *reason;
    const toml::node* expires = table.get("expires");
    if (expires == nullptr) {
      bad(table, "[[accept]] needs an expiry date: expires = 2027-01-31 (the day it last applies)");
    }
    entry.expires = date(*expires, "expires");
    return entry;
  }

  // A TOML local date (2027-01-31) or the same as a string.
  std::chrono::year_month_day date(const toml::node& node, const char* key) const {
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
    if (!day || !day->ok()) {
      bad(node, fmt::format("'{}' must be a date: {} = 2027-01-31", key, key));
    }
    return *day;
  }

  void strings(const toml::table& table, const char* key,
               std::optional<std::vector<std::string>>& out) const {
    if (const toml::node* node = table.get(key)) {
      std::vector<std::string> values;
      if (const auto* single = node->as_string()) {
        values = split_list(single->get());
      } else if (const auto* list = node->as_array()) {
        for (const auto& item : *list) {
          if (!item.is_string()) bad(item, fmt::format("'{}' must list strings", key));
          values.push_back(item.as_string()->get());
        }
      } else {
        bad(*node, fmt::format("'{}' must be a string or a list of strings", key));
      }
      out = values;
    }
  }

 private:
  std::string path_;
};

}  // namespace

ProjectConfig load_project_config(const std::optional<std::string>& explicit_path) {
  ProjectConfig config;
  std::string path = explicit_path.value_or("sqlmeasure.toml");
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (explicit_path) fail(ExitCode::kBadConfig, fmt::format("{}: config file not found", path));
    return config;
  }
  config.path = path;
  const std::string content = read_input_file(path, "the config", ExitCode::kBadConfig);
  const toml::table root = parse_toml(content, path, ExitCode::kBadConfig);
  ConfigReader read(path);
  read.known_keys(root, {"connection", "run", "compare", "budget", "accept"}, "");
  if (const toml::table* c = read.section(root, "connection")) {
    read.known_keys(
        *c,
        {"host", "port", "socket", "user", "password_env", "password_command", "database", "dsn",
         "ssl_mode", "ssl_ca", "ssl_cert", "ssl_key", "enable_cleartext_plugin", "defaults_file",
         "connect_timeout", "query_timeout_ms", "password"},
        "connection");
    if (const toml::node* password = c->get("password")) {
      read.bad(*password,
               "passwords do not belong in sqlmeasure.toml; name an environment "
               "variable with password_env = \"VAR\", give a command that prints it with "
               "password_command = \"...\", or use an option file");
    }
    ConnectionConfig& conn = config.connection;
    read.text(*c, "host", conn.host);
    read.integer(*c, "port", conn.port, 1, 65535);
    read.text(*c, "socket", conn.socket);
    read.text(*c, "user", conn.user);
    read.text(*c, "password_env", conn.password_env);
    read.text(*c, "password_command", conn.password_command);
    read.text(*c, "database", conn.database);
    read.text(*c, "dsn", conn.dsn);
    read.text(*c, "ssl_mode", conn.ssl_mode);
    read.text(*c, "ssl_ca", conn.ssl_ca);
    read.text(*c, "ssl_cert", conn.ssl_cert);
    read.text(*c, "ssl_key", conn.ssl_key);
    read.boolean(*c, "enable_cleartext_plugin", conn.enable_cleartext_plugin);
    read.text(*c, "defaults_file", conn.defaults_file);
    read.integer(*c, "connect_timeout", conn.connect_timeout_s, 1, 3600);
    read.integer(*c, "query_timeout_ms", conn.query_timeout_ms, 0, 86400000);
    // Checked here, so a bad value is named by file:line:col like every other config error.
    if (conn.ssl_mode) {
      (void)parse_ssl_mode(*conn.ssl_mode, read.at(*c->get("ssl_mode")) + ": [connection] ssl_mode",
                           ExitCode::kBadConfig);
    }
    if (conn.dsn) {
      (void)parse_dsn(*conn.dsn, read.at(*c->get("dsn")) + ": [connection] dsn",
                      ExitCode::kBadConfig);
    }
    // One source of the password: which one would win is not for the reader to guess.
    if (conn.password_command) {
      const toml::node& command = *c->get("password_command");
      if (command.as_string()->get().empty()) {
        read.bad(command, "'password_command' is empty; give the command that prints the password");
      }
      if (conn.password_env) {
        read.bad(command,
                 "password_command and password_env both give the password; keep one of them");
      }
      if (conn.dsn && parse_dsn(*conn.dsn, "", ExitCode::kBadConfig).password) {
        read.bad(command,
                 "password_command and the password in dsn both give the password; keep one "
                 "of them");
      }
    }
  }
  if (const toml::table* r = read.section(root, "run")) {
    read.known_keys(*r, {"scenarios", "screens", "warmup", "iterations", "seed", "order"}, "run");
    read.text(*r, "scenarios", config.scenarios);
    read.strings(*r, "screens", config.screens);
    read.integer(*r, "warmup", config.warmup, 0, 100000);
    read.integer(*r, "iterations", config.iterations, 1, 10000000);
    read.integer(*r, "seed", config.seed, 0, INT64_MAX);
    std::optional<std::string> order;
    read.text(*r, "order", order);
    if (order) {
      config.order = order_named(*order);
      if (!config.order)
        read.bad(*r->get("order"), "'order' must be \"round-robin\" or \"shuffled\"");
    }
  }
  if (const toml::table* c = read.section(root, "compare")) {
    read.known_keys(*c,
                    {"threshold", "alpha", "min_delta_ms", "min_rows_delta", "fail_on",
                     "before_dsn", "after_dsn", "alternations"},
                    "compare");
    read.real(*c, "threshold", config.threshold, 0.0, 100.0);
    read.real(*c, "alpha", config.alpha, 1e-12, 0.5);
    read.real(*c, "min_delta_ms", config.min_delta_ms, 0.0, 1e9);
    read.integer(*c, "min_rows_delta", config.min_rows_delta, 0, INT64_MAX);
    std::optional<std::vector<std::string>> gates;
    read.strings(*c, "fail_on", gates);
    if (gates) {
      config.fail_on = parse_gates(*gates, read.at(*c->get("fail_on")) + ": [compare] fail_on",
                                   ExitCode::kBadConfig);
    }
    read.integer(*c, "alternations", config.alternations, 1, 100);
    read.text(*c, "before_dsn", config.before_dsn);
    read.text(*c, "after_dsn", config.after_dsn);
  }
  for (const toml::table* b : read.tables(root, "budget")) {
    BudgetRule rule;
    rule.budget = read_budget(path, *b, *b, {"screens"}, "[[budget]]", ExitCode::kBadConfig);
    std::optional<std::vector<std::string>> screens;
    read.strings(*b, "screens", screens);
    if (!screens || screens->empty()) {
      read.bad(*b, "[[budget]] names no screens: screens = \"home\" or a list of names or globs");
    }
    rule.screens = *screens;
    config.policy.budgets.push_back(std::move(rule));
  }
  for (const toml::table* a : read.tables(root, "accept")) {
    config.policy.accepted.push_back(read.acceptance(*a));
  }
  return config;
}

}  // namespace sqlmeasure
