#pragma once
// Two endpoints side by side (--before-dsn/--after-dsn): every sample taken on each in turn
// (A B A B ...), so drift hits both alike; nothing is changed on either server.
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/runner.h"

namespace sqlmeasure {

struct TwoEndpointOptions {
  ConnectionOptions before, after;  // measuring sessions, set up alike
  RunOptions run;
  VerdictRule rule;
  GatePolicy policy;    // budgets and accepted regressions the comparison is finished with
  std::string out_dir;  // before.json, after.json
};

struct TwoEndpointOutcome {
  Comparison comparison;
  std::vector<std::string> files;
  std::optional<std::string> failure;  // the run was cut short (the comparison is partial)
  RunResult before, after;             // as measured (an HTML report draws their samples)
};

// Parameters are drawn once, on the before endpoint, and used on both.
[[nodiscard]] TwoEndpointOutcome run_two_endpoint_compare(std::vector<Screen> screens,
                                                          const TwoEndpointOptions& options,
                                                          const Connector& connect);

}  // namespace sqlmeasure
