#pragma once
// The flags of comparisons: the verdict rule (compare), and how a live change is made and
// measured (compare --migration / --ignore-index, indexes --verify), declared once here.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "context.h"
#include "sqlmeasure/config.h"
#include "sqlmeasure/live_compare.h"
#include "sqlmeasure/verdict_rule.h"

namespace sqlmeasure {

// --threshold, --alpha, --min-delta, --min-rows-delta, --fail-on, over [compare].
struct VerdictFlags {
  static constexpr const char* kGroup = "Verdicts (docs/verdicts.md)";
  std::optional<double> threshold, alpha, min_delta_ms;
  std::optional<std::uint64_t> min_rows_delta;
  std::optional<std::string> fail_on;
  void add_to(CLI::App& app);
  [[nodiscard]] VerdictRule rule(const ProjectConfig& config) const;
};

// --alternations, --allow-replicated-ddl, --no-binlog and --out-dir: what every live change
// shares. `Words` say what the change is in each command's help.
struct LiveChangeFlags {
  struct Words {
    const char* alternations;  // "Apply and undo the change K times, measuring between ..."
    const char* act;           // "Apply the change", "Ignore indexes"
    const char* out_dir;       // "Where results files go (default ...)"
    const char* out_dir_name;  // the default's prefix under sqlmeasure-results/: "compare"
  };
  std::optional<int> alternations;
  bool allow_replicated_ddl = false, no_binlog = false;
  std::optional<std::string> out_dir;

  // Declared in three steps, so that each command lists them among its own flags in --help.
  LiveChangeFlags(std::string group, const Words& words)
      : group_(std::move(group)), words_(words) {}
  void add_alternations(CLI::App& app);
  void add_replication(CLI::App& app);  // --allow-replicated-ddl, --no-binlog
  void add_out_dir(CLI::App& app);
  // --out-dir, else sqlmeasure-results/NAME-TIMESTAMP; checked to be new or empty (exit 64).
  // Asked once, before any work.
  [[nodiscard]] std::string out_directory() const;
  // The default out-dir just claimed, to be removed if the command ends with nothing in it;
  // empty when --out-dir named one (the user's directory stays, empty or not).
  [[nodiscard]] std::string claimed(const std::string& directory) const {
    return out_dir ? "" : directory;
  }
  // Sets what these flags say (the alternations over [compare] alternations, the safety flags)
  // and the events of the change printed on stderr as they happen; the out-dir is the caller's.
  void apply_to(LiveCompareOptions& options, const Context& context) const;

 private:
  std::string group_;
  Words words_;
};

}  // namespace sqlmeasure
