// Rule hint-index-missing: a FORCE/USE/IGNORE INDEX hint in a scenario names an index that
// does not exist, or that is ignored (MariaDB) / invisible (MySQL 8). The server refuses such
// a query ("Key 'x' doesn't exist in table 't'"), so the screen is broken, not slow.
#include <fmt/format.h>

#include "evidence_text.h"
#include "fix_sql.h"
#include "rule.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  const bool mariadb = input.schema.server.flavor == Flavor::kMariaDB;
  for (const HintEvidence& hint : input.scenarios.hints) {
    const TableInfo* table = input.schema.table(hint.table);
    if (table == nullptr) continue;  // a table outside --tables or another database
    for (const std::string& name : hint.indexes) {
      const IndexInfo* index = table->index(name);
      if (index != nullptr && index->visible) continue;
      Finding finding = make_finding(info, table->name, name);
      finding.evidence.push_back(fmt::format(
          "{} in {}: {}", hint.hint, hint.label(),
          index == nullptr ? "no such index"
                           : (mariadb ? "the index is IGNORED" : "the index is INVISIBLE")));
      if (index == nullptr) {
        std::vector<std::string> names;
        for (const IndexInfo& candidate : table->indexes) names.push_back(candidate.name);
        std::string hint_name = did_you_mean(name, names);
        finding.summary =
            fmt::format("{} names index {}, which {} does not have{}", hint.kind, name, table->name,
                        hint_name.empty() ? "" : " (did you mean " + hint_name + "?)");
        finding.evidence.push_back(fmt::format("indexes of {}: {}", table->name, join(names)));
      } else {
        finding.summary = fmt::format(
            "{} names index {}, which is {}: the optimizer may not use "
            "it",
            hint.kind, name, mariadb ? "IGNORED" : "INVISIBLE");
        finding.fix.push_back(fmt::format("ALTER TABLE {} ALTER INDEX {} {};",
                                          quote_ident(table->name), quote_ident(name),
                                          mariadb ? "NOT IGNORED" : "VISIBLE"));
      }
      if (hint.error) finding.evidence.push_back(*hint.error);
      finding.evidence.push_back(
          "the screen's query fails on the server until the hint or "
          "the index is fixed");
      finding.fix.push_back("-- or remove the hint from " + hint.label() + ":\n" +
                            one_line(hint.sql_without) + ";");
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace

const Rule& hint_index_missing_rule() {
  static const Rule rule{{"hint-index-missing",
                          "an index hint in a scenario names an index that does not exist or is "
                          "ignored/invisible",
                          Severity::kError, true},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
