#pragma once
// The connection flags (as the mysql client's), and how they merge with sqlmeasure.toml, a DSN
// and the environment into the options a command connects with.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "sqlmeasure/config.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/runner.h"

namespace sqlmeasure {

// -p or --password with no value (the last argument, or another flag next): the password
// is asked for on the terminal, as the mysql client does.
[[nodiscard]] bool asks_for_password(const std::vector<std::string>& args);

struct ConnectionFlags {
  std::optional<std::string> host, socket, protocol, user, password, database, defaults_file, dsn,
      ssl_mode, ssl_ca, ssl_cert, ssl_key;
  std::optional<unsigned> port, connect_timeout;
  // What -p alone was answered with: asked once, whatever number of endpoints resolve() makes.
  mutable std::optional<std::string> prompted;
  bool enable_cleartext_plugin = false;
  void add_to(CLI::App& app);
  // `dsn_override` replaces the DSN (for --before-dsn / --after-dsn).
  [[nodiscard]] ConnectionOptions resolve(const ProjectConfig& config, const Context& context,
                                          const std::optional<std::string>& dsn_override = {},
                                          const std::string& dsn_flag = "--dsn") const;
};

// The measuring session: read-only unless --allow-writes; the statement timeout.
[[nodiscard]] ConnectionOptions measuring_session(ConnectionOptions connection,
                                                  const RunOptions& run);

// The invocation's connector, with a --verbose note that never shows secrets.
[[nodiscard]] Connector verbose_connector(const Context& context);

}  // namespace sqlmeasure
