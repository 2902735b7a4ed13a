// Rule hidden-index: an index the optimizer may not use — IGNORED (MariaDB) or INVISIBLE
// (MySQL 8). Hiding one is how `compare --ignore-index` tries a drop, and a run killed before
// it could restore visibility leaves exactly this behind: the index the screens need, hidden.
// So it is reported as a possible leftover to restore, never as a drop candidate.
#include <fmt/format.h>

#include "evidence_text.h"
#include "fix_sql.h"
#include "rule.h"

namespace sqlmeasure::advisor {
namespace {

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  const bool mariadb = input.schema.server.flavor == Flavor::kMariaDB;
  const char* hidden = mariadb ? "IGNORED" : "INVISIBLE";
  const char* shown = mariadb ? "NOT IGNORED" : "VISIBLE";
  for (const TableInfo& table : input.schema.tables) {
    for (const IndexInfo& index : table.indexes) {
      if (index.visible) continue;
      Finding finding = make_finding(info, table.name, index.name);
      finding.summary =
          fmt::format("{} is {}: the optimizer cannot use it", index_text(index), hidden);
      finding.evidence.push_back(fmt::format(
          "a `sqlmeasure compare --ignore-index {}.{}` that was killed before it could restore "
          "the index leaves it {}: if nobody hid it on purpose, it is such a leftover",
          table.name, index.name, hidden));
      finding.fix.push_back(fmt::format("ALTER TABLE {} ALTER INDEX {} {};",
                                        quote_ident(table.name), quote_ident(index.name), shown));
      finding.verify.push_back(
          "sqlmeasure recover (it lists the journals of live compares that did not finish, and "
          "puts back what they changed)");
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace

const Rule& hidden_index_rule() {
  static const Rule rule{{"hidden-index",
                          "an IGNORED/INVISIBLE index: possibly left by an interrupted "
                          "compare --ignore-index",
                          Severity::kWarning, false},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
