// sqlmeasure.toml. Like scenario files, every key is checked: a typo is an error (exit 78).
#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "sqlmeasure/config.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/toml_reader.h"

namespace sqlmeasure {
namespace {

// [[accept]]: screen, query (optional), reason, expires — each required but query, so an
// acceptance always says who may regress, why, and until when.
Acceptance acceptance(const TomlTable& table) {
  table.known_keys({"screen", "query", "reason", "expires"}, "[accept]");
  Acceptance entry;
  entry.source = table.at();
  std::optional<std::string> screen, reason;
  table.text("screen", screen);
  table.text("query", entry.query);
  table.text("reason", reason);
  if (!screen || !is_valid_name(*screen)) {
    const std::string message =
        "[[accept]] needs the screen's name: screen = \"home\" (a name, not a glob: an "
        "acceptance is reviewed screen by screen)";
    screen ? table.bad("screen", message) : table.bad(message);
  }
  if (entry.query && !is_valid_name(*entry.query)) {
    table.bad("query", "'query' must be the name of one of the screen's queries");
  }
  if (!reason || reason->find_first_not_of(" \t\r\n") == std::string::npos) {
    const std::string message =
        "[[accept]] needs a reason: reason = \"why this regression is accepted\"";
    reason ? table.bad("reason", message) : table.bad(message);
  }
  entry.screen = *screen;
  entry.reason = *reason;
  if (!table.has("expires")) {
    table.bad("[[accept]] needs an expiry date: expires = 2027-01-31 (the day it last applies)");
  }
  entry.expires = table.date("expires");
  return entry;
}

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
  const TomlTable root = read_toml(content, path, ExitCode::kBadConfig);
  root.known_keys({"connection", "run", "compare", "budget", "accept", "history"}, "");
  if (const std::optional<TomlTable> h = root.table("history")) {
    h->known_keys({"dir"}, "history");
    h->text("dir", config.history_dir);
    if (config.history_dir && config.history_dir->empty()) h->bad("dir", "'dir' is empty");
  }
  if (const std::optional<TomlTable> c = root.table("connection")) {
    c->known_keys({"host", "port", "socket", "protocol", "user", "password_env", "password_command",
                   "database", "dsn", "ssl_mode", "ssl_ca", "ssl_cert", "ssl_key",
                   "enable_cleartext_plugin", "defaults_file", "connect_timeout",
                   "query_timeout_ms", "password", "password_command_timeout"},
                  "connection");
    if (c->has("password")) {
      c->bad("password",
             "passwords do not belong in sqlmeasure.toml; name an environment "
             "variable with password_env = \"VAR\", give a command that prints it with "
             "password_command = \"...\", or use an option file");
    }
    ConnectionConfig& conn = config.connection;
    c->text("host", conn.host);
    c->integer("port", conn.port, 1, 65535);
    c->text("socket", conn.socket);
    c->text("protocol", conn.protocol);
    c->text("user", conn.user);
    c->text("password_env", conn.password_env);
    c->text("password_command", conn.password_command);
    c->text("database", conn.database);
    c->text("dsn", conn.dsn);
    c->text("ssl_mode", conn.ssl_mode);
    c->text("ssl_ca", conn.ssl_ca);
    c->text("ssl_cert", conn.ssl_cert);
    c->text("ssl_key", conn.ssl_key);
    c->boolean("enable_cleartext_plugin", conn.enable_cleartext_plugin);
    c->text("defaults_file", conn.defaults_file);
    c->integer("connect_timeout", conn.connect_timeout_s, 1, 3600);
    c->integer("query_timeout_ms", conn.query_timeout_ms, 0, 86400000);
    c->integer("password_command_timeout", conn.password_command_timeout_s, 1, 3600);
    // Checked here, so a bad value is named by file:line:col like every other config error.
    if (conn.ssl_mode) {
      (void)parse_ssl_mode(*conn.ssl_mode, c->at("ssl_mode") + ": [connection] ssl_mode",
                           ExitCode::kBadConfig);
    }
    if (conn.protocol) {
      (void)parse_protocol(*conn.protocol, c->at("protocol") + ": [connection] protocol",
                           ExitCode::kBadConfig);
    }
    if (conn.dsn) {
      (void)parse_dsn(*conn.dsn, c->at("dsn") + ": [connection] dsn", ExitCode::kBadConfig);
    }
    // One source of the password: which one would win is not for the reader to guess.
    if (conn.password_command) {
      if (conn.password_command->empty()) {
        c->bad("password_command",
               "'password_command' is empty; give the command that prints the password");
      }
      if (conn.password_env) {
        c->bad("password_command",
               "password_command and password_env both give the password; keep one of them");
      }
      if (conn.dsn && parse_dsn(*conn.dsn, "", ExitCode::kBadConfig).password) {
        c->bad("password_command",
               "password_command and the password in dsn both give the password; keep one "
               "of them");
      }
    }
  }
  if (const std::optional<TomlTable> r = root.table("run")) {
    r->known_keys({"scenarios", "screens", "warmup", "iterations", "seed", "order"}, "run");
    r->text("scenarios", config.scenarios);
    r->strings("screens", config.screens);
    r->integer("warmup", config.warmup, 0, 100000);
    r->integer("iterations", config.iterations, 1, 10000000);
    r->integer("seed", config.seed, 0, INT64_MAX);
    std::optional<std::string> order;
    r->text("order", order);
    if (order) {
      config.order = order_named(*order);
      if (!config.order) r->bad("order", "'order' must be \"round-robin\" or \"shuffled\"");
    }
  }
  if (const std::optional<TomlTable> c = root.table("compare")) {
    c->known_keys({"threshold", "alpha", "min_delta_ms", "min_rows_delta", "fail_on", "before_dsn",
                   "after_dsn", "alternations"},
                  "compare");
    c->real("threshold", config.threshold, 0.0, 100.0);
    c->real("alpha", config.alpha, 1e-12, 0.5);
    c->real("min_delta_ms", config.min_delta_ms, 0.0, 1e9);
    c->integer("min_rows_delta", config.min_rows_delta, 0, INT64_MAX);
    std::optional<std::vector<std::string>> gates;
    c->strings("fail_on", gates);
    if (gates) {
      config.fail_on =
          parse_gates(*gates, c->at("fail_on") + ": [compare] fail_on", ExitCode::kBadConfig);
      if (config.fail_on->contains(Gate::kDrift)) {
        c->bad("fail_on", "'drift' is a gate of `run --fail-on`, not of a comparison");
      }
    }
    c->integer("alternations", config.alternations, 1, 100);
    c->text("before_dsn", config.before_dsn);
    c->text("after_dsn", config.after_dsn);
  }
  for (const TomlTable& b : root.tables("budget")) {
    BudgetRule rule;
    rule.budget = b.budget({"screens"}, "[[budget]]");
    std::optional<std::vector<std::string>> screens;
    b.strings("screens", screens);
    if (!screens || screens->empty()) {
      b.bad("[[budget]] names no screens: screens = \"home\" or a list of names or globs");
    }
    rule.screens = *screens;
    config.policy.budgets.push_back(std::move(rule));
  }
  for (const TomlTable& a : root.tables("accept")) {
    config.policy.accepted.push_back(acceptance(a));
  }
  return config;
}

}  // namespace sqlmeasure
