#pragma once
// The flags that say what to measure and how: the scenarios and screens, the measurement
// settings; each merged with sqlmeasure.toml.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "sqlmeasure/config.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

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
  [[nodiscard]] RunSettings resolve(const ProjectConfig& config,
                                    const ScenarioFlags& scenarios) const;
  // Everything the runner needs, validated (e.g. --iterations auto with --concurrency above 1
  // is refused here, before anything connects).
  [[nodiscard]] RunOptions options(const Context& context, const ScenarioFlags& scenarios,
                                   const std::string& what) const;
};

}  // namespace sqlmeasure
