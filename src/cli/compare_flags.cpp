// The verdict rule's flags and the flags every live change shares (compare_flags.h).
#include "compare_flags.h"

#include "output_flags.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {

void VerdictFlags::add_to(CLI::App& app) {
  app.add_option("--threshold", threshold, "Relative effect to flag, e.g. 0.10 = +10%")
      ->group(kGroup)
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--alpha", alpha, "Significance level of the Mann-Whitney test (default 0.01)")
      ->group(kGroup)
      ->check(CLI::Range(1e-12, 0.5));
  app.add_option("--min-delta", min_delta_ms, "Noise floor on a median, in ms (default 0.05)")
      ->group(kGroup)
      ->check(CLI::Range(0.0, 1e9));
  app.add_option("--min-rows-delta", min_rows_delta,
                 "Floor on rows examined per view (default 100)")
      ->group(kGroup);
  app.add_option("--fail-on", fail_on,
                 "Gates for exit code 1: errors,time,rows,plan,results,warnings (default "
                 "errors,time,rows)")
      ->group(kGroup);
}

VerdictRule VerdictFlags::rule(const ProjectConfig& config) const {
  VerdictRule rule;
  rule.threshold = threshold.value_or(config.threshold.value_or(rule.threshold));
  rule.alpha = alpha.value_or(config.alpha.value_or(rule.alpha));
  rule.min_delta_ms = min_delta_ms.value_or(config.min_delta_ms.value_or(rule.min_delta_ms));
  rule.min_rows_delta =
      min_rows_delta.value_or(config.min_rows_delta.value_or(rule.min_rows_delta));
  if (fail_on) {
    rule.fail_on = parse_gates(split_list(*fail_on), "--fail-on", ExitCode::kUsage);
  } else if (config.fail_on) {
    rule.fail_on = *config.fail_on;
  }
  return rule;
}

void LiveChangeFlags::add_alternations(CLI::App& app) {
  app.add_option("--alternations", alternations, words_.alternations)
      ->group(group_)
      ->check(CLI::Range(1, 100));
}

void LiveChangeFlags::add_replication(CLI::App& app) {
  app.add_flag("--allow-replicated-ddl", allow_replicated_ddl,
               std::string(words_.act) + " even though a binary log or replicas would replay it")
      ->group(group_);
  app.add_flag(
         "--no-binlog", no_binlog,
         std::string(words_.act) + " with SET SESSION sql_log_bin = 0 (needs SUPER/BINLOG ADMIN)")
      ->group(group_);
}

void LiveChangeFlags::add_out_dir(CLI::App& app) {
  app.add_option("--out-dir", out_dir, words_.out_dir)->group(group_);
}

std::string LiveChangeFlags::out_directory() const {
  std::string directory =
      out_dir.value_or("sqlmeasure-results/" + std::string(words_.out_dir_name) + "-" +
                       utc_now(TimestampFormat::kFileName));
  check_output_directory(directory, "--out-dir");
  return directory;
}

void LiveChangeFlags::apply_to(LiveCompareOptions& options, const Context& context) const {
  options.alternations =
      alternations.value_or(context.config().alternations.value_or(options.alternations));
  options.allow_replicated_ddl = allow_replicated_ddl;
  options.no_binlog = no_binlog;
  options.on_event = [&context](const std::string& event) {
    context.err() << "sqlmeasure: " << event << '\n';
    context.err().flush();
  };
}

}  // namespace sqlmeasure
