#pragma once
// What a rule is: its input, its id and check, and one accessor per rule file.
#include <string>
#include <vector>

#include "sqlmeasure/advisor.h"

namespace sqlmeasure::advisor {

// What every rule reads. Rules never talk to the server.
struct RuleInput {
  const SchemaInfo& schema;
  const ScenarioEvidence& scenarios;
  const AdvisorThresholds& thresholds;
};

// A rule: its id, description and default severity (skeema-lint style), and its check.
struct Rule {
  RuleInfo info;
  void (*check)(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out);
};

// One accessor per rule file; registry.cpp lists them in report order.
const Rule& hint_index_missing_rule();
const Rule& hidden_index_rule();
const Rule& hint_worth_rule();
const Rule& duplicate_index_rule();
const Rule& duplicate_foreign_key_rule();
const Rule& redundant_index_rule();
const Rule& low_cardinality_rule();
const Rule& composite_order_rule();
const Rule& order_by_created_rule();
const Rule& stale_statistics_rule();
const Rule& unused_index_rule();
const Rule& unused_constraint_index_rule();

// A finding of rule `info` at its default severity, the rest left to the rule.
[[nodiscard]] inline Finding make_finding(const RuleInfo& info, const std::string& table,
                                          const std::string& index) {
  Finding finding;
  finding.rule = info.id;
  finding.severity = info.default_severity;
  finding.table = table;
  finding.index = index;
  return finding;
}

}  // namespace sqlmeasure::advisor
