#pragma once
// The whole tool, in-process, with string writers (no terminal, so no progress).
#include <atomic>
#include <sstream>
#include <string>
#include <vector>

#include "sqlmeasure/cli.h"

namespace sqlmeasure::testing {

struct CliResult {
  int code = -1;
  std::string out, err;
};

// `connect`, when given, replaces the real driver: a scripted or recorded fake server.
inline CliResult run_in_process(const std::vector<std::string>& args,
                                const std::atomic<bool>* interrupted = nullptr,
                                const Connector& connect = {}) {
  std::ostringstream out, err;
  Invocation invocation{args, out, err};
  invocation.interrupted = interrupted;
  if (connect) invocation.connect = connect;
  CliResult result;
  result.code = run_cli(invocation);
  result.out = out.str();
  result.err = err.str();
  return result;
}

}  // namespace sqlmeasure::testing
