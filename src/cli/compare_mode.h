#pragma once
// Which comparison `compare`'s flags ask for, and the flags each mode reads: any other given
// on the command line is refused before any work (refuse_unused_flags).
#include <CLI/CLI.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/config.h"

namespace sqlmeasure {

enum class CompareMode { kOffline, kMigration, kIgnoreIndex, kTwoEndpoints };

// The flags that choose the mode.
struct CompareModeFlags {
  std::vector<std::string> files;  // two results files, or a live compare's out-dir
  std::optional<std::string> migration, rollback, ignore_index, before_dsn, after_dsn;
  bool keep = false, no_before_again = false;
  std::optional<int> alternations;
};

// The one mode the flags ask for (the config's before_dsn alone selects two endpoints); a
// contradiction is a usage error (exit 64).
[[nodiscard]] CompareMode choose_compare_mode(const CompareModeFlags& flags,
                                              const ProjectConfig& config);
// "a live compare with --migration", for the message that refuses a flag.
[[nodiscard]] const char* compare_mode_name(CompareMode mode);
// Every flag of `app` (compare's) the mode reads.
[[nodiscard]] std::set<std::string> compare_flags_used_by(CompareMode mode, const CLI::App& app);

}  // namespace sqlmeasure
