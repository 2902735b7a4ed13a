#pragma once
// Flag groups shared by several commands, and how each merges with sqlmeasure.toml:
// flags > config > MySQL option files > built-in defaults.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "sqlmeasure/config.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

struct GlobalFlags {
  std::optional<std::string> config;
  bool quiet = false, verbose = false, no_color = false;
  void add_to(CLI::App& app);
};

struct ConnectionFlags {
  std::optional<std::string> host, socket, user, password, database, defaults_file, dsn,
      ssl_mode, ssl_ca;
  std::optional<unsigned> port, connect_timeout;
  void add_to(CLI::App& app);
  // `dsn_override` replaces the DSN (for --before-dsn / --after-dsn).
  [[nodiscard]] ConnectionOptions resolve(const ProjectConfig& config, const Context& context,
                                          const std::optional<std::string>& dsn_override = {},
                                          const std::string& dsn_flag = "--dsn") const;
};

struct ScenarioFlags {
  std::optional<std::string> scenarios, screens;
  bool allow_writes = false;
  void add_to(CLI::App& app);
  [[nodiscard]] std::string directory(const ProjectConfig& config) const;
  [[nodiscard]] std::vector<std::string> globs(const ProjectConfig& config) const;
  // Loads and selects; errors are exit 65 (files) or 64 (unknown screen).
  [[nodiscard]] std::vector<Screen> load(const ProjectConfig& config) const;
};

struct RunFlags {
  std::optional<int> warmup, iterations;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> order, label;
  std::optional<unsigned> query_timeout_ms;
  int retries = 0;
  bool iterations_auto = false;  // --iterations auto
  int concurrency = 1;           // --concurrency
  void add_to(CLI::App& app);
  [[nodiscard]] RunSettings resolve(const ProjectConfig& config, const ScenarioFlags& scenarios) const;
  // Everything the runner needs, for `run` and `compare` alike.
  [[nodiscard]] RunOptions options(const ProjectConfig& config, const ScenarioFlags& scenarios,
                                   const Context& context, const std::string& what) const;
};

// The measuring session: read-only unless --allow-writes; the statement timeout.
void configure_measuring_session(ConnectionOptions& connection, const RunOptions& run);

struct OutputFlags {
  std::string format = "table";
  void add_to(CLI::App& app, const std::string& formats);
};

// Progress on stderr, only on a terminal and without --quiet; at most ~10 updates/s.
[[nodiscard]] std::function<void(const Progress&)> progress_printer(const Context& context,
                                                                   const std::string& what);

// Opens the connection described by `options`, with a --verbose note that never shows
// secrets.
[[nodiscard]] std::unique_ptr<Connection> open_connection(const ConnectionOptions& options,
                                                          const Context& context);

}  // namespace sqlmeasure
