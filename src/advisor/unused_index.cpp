// Rule unused-index: a secondary index that no plan of the selected scenario queries uses
// (only EXPLAIN's `key` counts; `possible_keys` is what the optimizer considered and
// rejected). Judged only on tables the scenarios read, and only as good as the scenarios'
// coverage: a candidate to drop, to be confirmed with compare --ignore-index.
#include <fmt/format.h>

#include <algorithm>

#include "evidence_text.h"
#include "fix_sql.h"
#include "rule.h"
#include "scenario_use.h"
#include "sqlmeasure/index_model.h"
#include "sqlmeasure/number_text.h"

namespace sqlmeasure::advisor {
namespace {

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  for (const TableInfo& table : input.schema.tables) {
    const std::vector<const QueryEvidence*> reading = queries_reading(input.scenarios, table.name);
    if (reading.empty()) continue;  // the scenarios say nothing about this table
    const auto failed = std::count_if(reading.begin(), reading.end(),
                                      [](const QueryEvidence* q) { return q->error.has_value(); });
    for (const IndexInfo& index : table.indexes) {
      if (index.primary() || index.unique) continue;               // unused-constraint-index
      if (foreign_key_needing(table, index) != nullptr) continue;  // idem
      if (!index.visible) continue;  // hidden-index: a possible leftover, not a drop candidate
      if (!queries_using(input.scenarios, table.name, index.name).empty()) continue;
      Finding finding = make_finding(info, table.name, index.name);
      finding.summary = fmt::format("no scenario query uses {}", index_text(index));
      finding.evidence.push_back(usage_evidence(input.scenarios, table.name, index.name));
      if (failed > 0) {
        finding.evidence.push_back(
            fmt::format("{} of the queries reading {} could not be "
                        "EXPLAINed: their index use is unknown",
                        failed, table.name));
      }
      if (index.size_bytes) {
        finding.evidence.push_back(fmt::format("size: {}", format_bytes(*index.size_bytes)));
      }
      propose_drop_index(table.name, index.name, finding);
      finding.verify.push_back(
          "the scenarios may not cover every query the application runs: "
          "check the slow log or performance_schema too");
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace

const Rule& unused_index_rule() {
  static const Rule rule{
      {"unused-index", "a secondary index no plan of the selected scenario queries uses",
       Severity::kInfo, true},
      check};
  return rule;
}

}  // namespace sqlmeasure::advisor
