// compare's modes: chosen from the flags, each with the flags it reads (compare_mode.h).
#include "compare_mode.h"

#include <fmt/format.h>

#include <filesystem>

#include "compare_flags.h"
#include "options.h"
#include "sqlmeasure/error.h"

namespace sqlmeasure {

CompareMode choose_compare_mode(const CompareModeFlags& flags, const ProjectConfig& config) {
  const std::vector<std::string>& files = flags.files;
  const int modes = !files.empty() + flags.migration.has_value() + flags.ignore_index.has_value() +
                    (flags.before_dsn || flags.after_dsn ? 1 : 0);
  if (modes > 1) {
    fail(ExitCode::kUsage,
         "compare takes one of: two results files, --migration, --ignore-index, or "
         "--before-dsn/--after-dsn");
  }
  const bool directory = files.size() == 1 && std::filesystem::is_directory(files[0]);
  if (!files.empty() && files.size() != 2 && !directory) {
    fail(ExitCode::kUsage, fmt::format("compare needs two results files (BEFORE.json "
                                       "AFTER.json) or a live compare's out-dir; got {} {}",
                                       files.size(), files.size() == 1 ? "file" : "files"));
  }
  if ((flags.rollback || flags.keep) && !flags.migration) {
    fail(ExitCode::kUsage, "--rollback and --keep go with --migration");
  }
  if ((flags.alternations || flags.no_before_again) && !flags.migration && !flags.ignore_index) {
    fail(ExitCode::kUsage,
         "--alternations and --no-before-again go with --migration or --ignore-index");
  }
  if (flags.alternations && *flags.alternations > 1 &&
      (flags.keep || (flags.migration && !flags.rollback))) {
    fail(ExitCode::kUsage,
         "--alternations needs a --rollback, and cannot go with --keep: the change is applied "
         "and undone between phases");
  }
  if (!files.empty()) return CompareMode::kOffline;
  if (flags.migration) return CompareMode::kMigration;
  if (flags.ignore_index) return CompareMode::kIgnoreIndex;
  if (flags.before_dsn || flags.after_dsn || config.before_dsn) return CompareMode::kTwoEndpoints;
  fail(ExitCode::kUsage,
       "compare needs two results files, --migration UP.sql, --ignore-index TABLE.INDEX, or "
       "--before-dsn/--after-dsn");
}

const char* compare_mode_name(CompareMode mode) {
  switch (mode) {
    case CompareMode::kOffline:
      return "an offline compare of two results files";
    case CompareMode::kMigration:
      return "a live compare with --migration";
    case CompareMode::kIgnoreIndex:
      return "a live compare with --ignore-index";
    case CompareMode::kTwoEndpoints:
      return "a compare of two endpoints";
  }
  return "compare";
}

std::set<std::string> compare_flags_used_by(CompareMode mode, const CLI::App& app) {
  std::set<std::string> used = flag_names(app, VerdictFlags::kGroup);
  used.insert({"--format", "--report-url", "--report", "--plans-from"});
  if (mode == CompareMode::kOffline) {
    used.insert("files");
    return used;
  }
  for (const char* group : {"Connection (as the mysql client)", "Scenarios", "Measurement"}) {
    used.merge(flag_names(app, group));
  }
  used.erase("--concurrency");  // only `run` replays screens on several connections
  used.insert("--out-dir");
  switch (mode) {
    case CompareMode::kMigration:
      used.insert({"--migration", "--rollback", "--keep", "--apply-ddl", "--alternations",
                   "--no-before-again", "--reconnect-timeout", "--allow-replicated-ddl",
                   "--no-binlog", "--lock-wait-timeout", "--stats"});
      break;
    case CompareMode::kIgnoreIndex:
      used.insert({"--ignore-index", "--alternations", "--no-before-again", "--reconnect-timeout",
                   "--allow-replicated-ddl", "--no-binlog", "--lock-wait-timeout", "--stats"});
      break;
    case CompareMode::kTwoEndpoints:
      used.insert({"--before-dsn", "--after-dsn"});
      used.erase("--dsn");  // each endpoint has its own
      break;
    case CompareMode::kOffline:
      break;
  }
  return used;
}

}  // namespace sqlmeasure
