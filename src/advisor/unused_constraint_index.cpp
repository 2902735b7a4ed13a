// Rule unused-constraint-index: a UNIQUE index, or the only index a foreign key can use, that
// no scenario query's plan uses. Reported apart from unused-index: it enforces a constraint,
// so "unused by the screens" is no reason to drop it. PRIMARY is never reported: on InnoDB
// it is the table itself.
#include <fmt/format.h>

#include "evidence_text.h"
#include "rule.h"
#include "scenario_use.h"
#include "sqlmeasure/index_model.h"

namespace sqlmeasure::advisor {
namespace {

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  for (const TableInfo& table : input.schema.tables) {
    if (queries_reading(input.scenarios, table.name).empty()) continue;
    for (const IndexInfo& index : table.indexes) {
      if (index.primary()) continue;
      const ForeignKeyInfo* fk = foreign_key_needing(table, index);
      if (!index.unique && fk == nullptr) continue;
      if (!queries_using(input.scenarios, table.name, index.name).empty()) continue;
      Finding finding = make_finding(info, table.name, index.name);
      finding.summary =
          index.unique ? fmt::format(
                             "no scenario query uses UNIQUE {}; it enforces uniqueness: keep it "
                             "unless the constraint is not wanted",
                             index_text(index))
                       : fmt::format("no scenario query uses {}; foreign key {} needs it: keep it",
                                     index_text(index), fk->name);
      finding.evidence.push_back(usage_evidence(input.scenarios, table.name, index.name));
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace

const Rule& unused_constraint_index_rule() {
  static const Rule rule{{"unused-constraint-index",
                          "a UNIQUE (or foreign-key) index no scenario query uses: it enforces a "
                          "constraint, reported apart",
                          Severity::kInfo, true},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
