// Rule stale-statistics: the optimizer plans from index statistics. Cardinality 0 or NULL on
// a table that has rows (or TABLE_ROWS 0, or a UNIQUE key counting far fewer values than
// rows, or persistent statistics computed on far fewer rows) means they were last computed
// on an empty or much smaller table, as happens with STATS_AUTO_RECALC=0 or after a bulk
// load: plans and every cardinality in this report are then unreliable.
#include <fmt/format.h>

#include "fix_sql.h"
#include "rule.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  for (const TableInfo& table : input.schema.tables) {
    if (!table.statistics_look_stale()) continue;
    Finding finding = make_finding(info, table.name, "");
    finding.summary = fmt::format("statistics of {} look stale: the table has {} rows", table.name,
                                  table.rows_text());
    for (const std::string& reason : table.stale_statistics_evidence()) {
      finding.evidence.push_back(reason);
    }
    finding.evidence.push_back(
        "the optimizer plans from these numbers; the other rules fall "
        "back to counted values for this table");
    finding.fix.push_back(fmt::format("ANALYZE TABLE {};", quote_ident(table.name)));
    // STATS_AUTO_RECALC and STATS_PERSISTENT are InnoDB's; other engines keep what the last
    // ANALYZE TABLE computed.
    finding.verify.push_back(
        iequals(table.engine, "InnoDB")
            ? "if they go stale again, check the table's STATS_AUTO_RECALC and "
              "STATS_PERSISTENT options (SHOW CREATE TABLE)"
            : fmt::format("{} keeps the statistics the last ANALYZE TABLE computed: run it again "
                          "after bulk loads",
                          table.engine.empty() ? "this engine" : table.engine));
    out.push_back(std::move(finding));
  }
}

}  // namespace

const Rule& stale_statistics_rule() {
  static const Rule rule{{"stale-statistics",
                          "index statistics that look stale: cardinality 0/NULL on a non-empty "
                          "table",
                          Severity::kWarning, false},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
