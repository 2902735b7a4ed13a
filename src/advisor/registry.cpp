// The list of rules, severities, and the run that applies the rules and merges their findings.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "rule.h"
#include "scenario_use.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

namespace advisor {
namespace {

// In report order: what breaks a screen first, then what wastes, then what is merely unused.
std::vector<const Rule*> all_rules() {
  return {
      &hint_index_missing_rule(), &hidden_index_rule(),          &hint_worth_rule(),
      &duplicate_index_rule(),    &duplicate_foreign_key_rule(), &redundant_index_rule(),
      &low_cardinality_rule(),    &composite_order_rule(),       &order_by_created_rule(),
      &stale_statistics_rule(),   &unused_index_rule(),          &unused_constraint_index_rule()};
}

}  // namespace
}  // namespace advisor

namespace {

// The one place a severity gets its name: reports, JSON and --fail-on all read it here.
constexpr std::pair<Severity, const char*> kSeverityNames[] = {
    {Severity::kInfo, "info"}, {Severity::kWarning, "warning"}, {Severity::kError, "error"}};

}  // namespace

const char* severity_name(Severity severity) {
  for (const auto& [each, name] : kSeverityNames) {
    if (each == severity) return name;
  }
  return "warning";
}

Severity parse_severity(const std::string& text, const std::string& flag) {
  for (const auto& [severity, name] : kSeverityNames) {
    if (ascii_lower(text) == name) return severity;
  }
  fail(ExitCode::kUsage,
       fmt::format("{}: unknown severity '{}' (expected info, warning or error)", flag, text));
}

std::vector<RuleInfo> advisor_rules() {
  std::vector<RuleInfo> infos;
  for (const advisor::Rule* rule : advisor::all_rules()) infos.push_back(rule->info);
  return infos;
}

AdvisorResult run_advisor(const SchemaInfo& schema, const ScenarioEvidence& scenarios,
                          const AdvisorThresholds& thresholds) {
  using namespace advisor;
  AdvisorResult result;
  const RuleInput input{schema, scenarios, thresholds};
  std::vector<std::string> order;
  for (const Rule* rule : all_rules()) {
    order.push_back(rule->info.id);
    if (rule->info.needs_scenarios && !scenarios.loaded) {
      result.skipped.push_back(
          fmt::format("{}: needs --scenarios (the plans of the screens' queries)", rule->info.id));
      continue;
    }
    rule->check(input, rule->info, result.findings);
  }

  // One finding per index problem: an index that is also unused gets that as evidence on its
  // other finding rather than a second finding.
  auto is_unused_rule = [](const Finding& f) {
    return f.rule == unused_index_rule().info.id ||
           f.rule == unused_constraint_index_rule().info.id;
  };
  auto is_index_rule = [&](const Finding& f) {
    return !f.index.empty() && !is_unused_rule(f) && f.rule != hint_index_missing_rule().info.id &&
           f.rule != hint_worth_rule().info.id && f.rule != stale_statistics_rule().info.id;
  };
  std::vector<std::pair<std::string, std::string>> covered;  // (table, lower-case index)
  for (const Finding& finding : result.findings) {
    if (is_index_rule(finding)) covered.emplace_back(finding.table, ascii_lower(finding.index));
  }
  std::vector<Finding> kept;
  for (Finding& finding : result.findings) {
    if (is_unused_rule(finding)) {
      const std::pair<std::string, std::string> key{finding.table, ascii_lower(finding.index)};
      if (std::find(covered.begin(), covered.end(), key) != covered.end()) continue;
    } else if (is_index_rule(finding)) {
      std::string usage = usage_evidence(scenarios, finding.table, finding.index);
      if (!usage.empty()) finding.evidence.push_back(usage);
    }
    kept.push_back(std::move(finding));
  }
  result.findings = std::move(kept);

  auto rank = [&](const std::string& rule) {
    return std::find(order.begin(), order.end(), rule) - order.begin();
  };
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [&](const Finding& a, const Finding& b) {
                     if (a.severity != b.severity) return a.severity > b.severity;
                     if (a.rule != b.rule) return rank(a.rule) < rank(b.rule);
                     if (a.table != b.table) return a.table < b.table;
                     return a.index < b.index;
                   });
  return result;
}

}  // namespace sqlmeasure
