// The verdict rule's flags and the flags every live change shares (compare_flags.h).
#include "compare_flags.h"

#include <fmt/format.h>

#include "output_flags.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {

void VerdictFlags::add_to(CLI::App& app) {
  // The defaults the help shows are the ones rule() falls back to: VerdictRule{}'s.
  const VerdictRule defaults;
  app.add_option("--threshold", threshold, "Relative effect to flag, e.g. 0.10 = +10%")
      ->group(kGroup)
      ->default_str(fmt::format("{:g}", defaults.threshold))
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--alpha", alpha, "Significance level of the Mann-Whitney test")
      ->group(kGroup)
      ->default_str(fmt::format("{:g}", defaults.alpha))
      ->check(CLI::Range(1e-12, 0.5));
  app.add_option("--min-delta", min_delta_ms, "Noise floor on a median, in ms")
      ->group(kGroup)
      ->default_str(fmt::format("{:g}", defaults.min_delta_ms))
      ->check(CLI::Range(0.0, 1e9));
  app.add_option("--min-rows-delta", min_rows_delta, "Floor on rows examined per view")
      ->group(kGroup)
      ->default_str(std::to_string(defaults.min_rows_delta));
  std::vector<std::string> gates;
  for (Gate gate : {Gate::kErrors, Gate::kTime, Gate::kRows, Gate::kPlan, Gate::kResults,
                    Gate::kWarnings, Gate::kBudget}) {
    gates.emplace_back(gate_name(gate));
  }
  std::vector<std::string> default_gates;
  for (Gate gate : defaults.fail_on) default_gates.emplace_back(gate_name(gate));
  app.add_option("--fail-on", fail_on, "Gates for exit code 1, comma-separated: " + join(gates))
      ->group(kGroup)
      ->type_name("GATES")
      ->default_str(join(default_gates, ","));
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
  if (rule.fail_on.contains(Gate::kDrift)) {
    fail(ExitCode::kUsage,
         "--fail-on drift is a gate of `run --history` (a run against its history); a "
         "comparison of two runs has time, rows and plan");
  }
  return rule;
}

void LiveChangeFlags::add_alternations(CLI::App& app) {
  app.add_option("--alternations", alternations, words_.alternations)
      ->group(group_)
      ->default_str(std::to_string(LiveCompareOptions{}.alternations))
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
  app.add_option("--out-dir", out_dir, words_.out_dir)
      ->group(group_)
      ->type_name("DIR")
      ->default_str(fmt::format("sqlmeasure-results/{}-TIMESTAMP", words_.out_dir_name));
}

std::string LiveChangeFlags::out_directory() const {
  if (!out_dir) return claim_default_directory("sqlmeasure-results", words_.out_dir_name);
  check_output_directory(*out_dir, "--out-dir");
  return *out_dir;
}

void LiveChangeFlags::apply_to(LiveCompareOptions& options, const Context& context) const {
  options.alternations =
      alternations.value_or(context.config().alternations.value_or(options.alternations));
  options.allow_replicated_ddl = allow_replicated_ddl;
  options.no_binlog = no_binlog;
  // -q: warnings only; by default a line per alternation too; -v every step.
  options.on_event = [&context](EventLevel level, const std::string& event) {
    const GlobalFlags& flags = context.flags();
    if ((level == EventLevel::kPhase && flags.quiet) ||
        (level == EventLevel::kDetail && !flags.verbose)) {
      return;
    }
    context.err() << "sqlmeasure: " << event << '\n';
    context.err().flush();
  };
}

}  // namespace sqlmeasure
