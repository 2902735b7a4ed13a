#pragma once
// A command's Context in memory, for tests of what the cli layer resolves (flags over config
// over defaults) without running a command: its stdout and stderr are strings.
#include <sstream>

#include "cli/context.h"
#include "sqlmeasure/cli.h"
#include "sqlmeasure/config.h"

namespace sqlmeasure::testing {

struct StringContext {
  std::ostringstream out, err;
  Invocation invocation{{}, out, err};
  GlobalFlags flags;
  Context context{invocation, flags};
};

// A project config (as if read from ./sqlmeasure.toml) that holds only `connection`.
inline ProjectConfig config_with(const ConnectionConfig& connection) {
  ProjectConfig config;
  config.path = "sqlmeasure.toml";
  config.connection = connection;
  return config;
}

}  // namespace sqlmeasure::testing
