#pragma once
// The flag that names production's plans (`explain --against`, `run` and `compare
// --plans-from`): a results file or explain's JSON recorded there, read before any work.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/plan_fidelity.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure {

class PlansFromFlag {
 public:
  explicit PlansFromFlag(std::string name) : name_(std::move(name)) {}
  void add_to(CLI::App& app);
  // Reads the file (exit 65 naming it and the JSON path at fault); nothing without the flag.
  void read();
  // This run's plans against production's, or nothing without the flag.
  [[nodiscard]] std::optional<PlanFidelity> check(const RunResult& here) const;
  // A compare's judged comparison, with the plans of the first before run (`before`'s first)
  // against production's noted on it (note_plan_fidelity); as it is without the flag.
  [[nodiscard]] Comparison noted(const Comparison& comparison,
                                 const std::vector<const RunResult*>& before) const;
  [[nodiscard]] bool given() const { return path_.has_value(); }

 private:
  std::string name_;
  std::optional<std::string> path_;
  std::optional<RunResult> production_;
};

}  // namespace sqlmeasure
