#pragma once
// sqlmeasure.toml, the optional project config (docs/config.md). Command-line flags
// override it; it overrides MySQL option files; those override built-in defaults.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/gate_policy.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/verdict_rule.h"

namespace sqlmeasure {

struct ConnectionConfig {
  std::optional<std::string> host, socket, protocol, user, password_env, password_command, database,
      dsn, ssl_mode, ssl_ca, ssl_cert, ssl_key, defaults_file;
  std::optional<bool> enable_cleartext_plugin;
  std::optional<unsigned> port, connect_timeout_s, query_timeout_ms, password_command_timeout_s;
};

struct ProjectConfig {
  std::string path;  // empty when there is none
  ConnectionConfig connection;
  // [run]
  std::optional<std::string> scenarios;
  std::optional<std::vector<std::string>> screens;
  std::optional<int> warmup, iterations;
  std::optional<std::uint64_t> seed;
  std::optional<Order> order;
  // [compare]
  std::optional<double> threshold, alpha, min_delta_ms;
  std::optional<std::uint64_t> min_rows_delta;
  std::optional<std::set<Gate>> fail_on;
  std::optional<std::string> before_dsn, after_dsn;
  std::optional<int> alternations;         // live compare: times the change is applied and undone
  std::optional<std::string> history_dir;  // [history] dir: where run keeps each run
  GatePolicy policy;                       // [[budget]] and [[accept]] (docs/verdicts.md)
};

// `explicit_path` from --config must exist; otherwise ./sqlmeasure.toml is read if present.
// Throws Error(kBadConfig) with file:line:col.
[[nodiscard]] ProjectConfig load_project_config(const std::optional<std::string>& explicit_path);

// mysql://user[:password]@host[:port]/database[?socket=/path&ssl-mode=REQUIRED&ssl-ca=FILE
//   &ssl-cert=FILE&ssl-key=FILE&enable-cleartext-plugin=true]
// `what` names the flag or key in errors. The password part is accepted (a warning is the
// caller's job) and never echoed.
struct Dsn {
  std::optional<std::string> user, password, host, database, socket, protocol, ssl_mode, ssl_ca,
      ssl_cert, ssl_key;
  std::optional<bool> enable_cleartext_plugin;
  std::optional<unsigned> port;
};
[[nodiscard]] Dsn parse_dsn(const std::string& text, const std::string& what, ExitCode code);

// What a password_command may take: a password is one short line, printed at once.
inline constexpr unsigned kPasswordCommandTimeoutS = 30;  // [connection] password_command_timeout
inline constexpr std::size_t kPasswordCommandMaxBytes = 16 * 1024;  // an IAM token is ~1.5 KB
struct PasswordCommandLimits {
  unsigned timeout_s = kPasswordCommandTimeoutS;
  std::size_t max_bytes = kPasswordCommandMaxBytes;
  const std::atomic<bool>* interrupted = nullptr;  // set by a signal: stop it
};

// Runs a password_command (/bin/sh -c) and returns its one line; its stderr goes to ours.
// A failure (non-zero exit, a signal, nothing printed, more than one line, past the size or
// the time limit: then it is killed with what it started) is Error(kBadConfig) naming `where`
// and the reason, never the output; an interrupt is Error(kRuntime).
[[nodiscard]] std::string run_password_command(const std::string& command, const std::string& where,
                                               const PasswordCommandLimits& limits = {});

[[nodiscard]] SslMode parse_ssl_mode(const std::string& text, const std::string& what,
                                     ExitCode code);
// --protocol, [connection] protocol, a DSN's ?protocol=: TCP or SOCKET, any case.
[[nodiscard]] Protocol parse_protocol(const std::string& text, const std::string& what,
                                      ExitCode code);

}  // namespace sqlmeasure
