// Rule low-cardinality: a single-column index on a column with a handful of values, e.g. a
// `deleted` flag (slide 35: cardinality 2, deleted = 0 almost every row, deleted = 1 rarely
// searched). A lookup on the dominant value reads most of the table through the index,
// slower than a scan, so the optimizer avoids it; the index only costs writes and memory.
#include <fmt/format.h>

#include "column_traits.h"
#include "evidence_text.h"
#include "fix_sql.h"
#include "rule.h"
#include "sqlmeasure/index_model.h"
#include "sqlmeasure/number_text.h"

namespace sqlmeasure::advisor {
namespace {

// The rows the distinct values were found in: counted when the profile read the whole
// table, else the table's count or estimate ("~" then).
std::string rows_text(const TableInfo& table, const LowCardinality& low) {
  if (low.profile != nullptr && !low.profile->sampled && !table.rows_counted) {
    return format_thousands(low.profile->rows_read);
  }
  return table.rows_text();
}

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  const AdvisorThresholds& limits = input.thresholds;
  for (const LowCardinalityLead& lead : low_cardinality_leads(input.schema, limits)) {
    const TableInfo& table = *lead.table;
    const IndexInfo& index = *lead.index;
    const LowCardinality& low = lead.low;
    if (index.unique || index.columns.size() != 1) continue;  // single-column, not UNIQUE
    const std::string& column = index.columns[0].column;
    const std::uint64_t rows = table.rows();
    Finding finding = make_finding(info, table.name, index.name);
    const double share = static_cast<double>(low.distinct) / static_cast<double>(rows);
    finding.summary =
        fmt::format("{} has {} distinct value{} in {} rows (selectivity {:.2g})", index_text(index),
                    low.distinct, low.distinct == 1 ? "" : "s", rows_text(table, low), share);
    if (low.profile != nullptr && !low.profile->top.empty()) {
      finding.evidence.push_back(fmt::format("values of {}: {} ({})", column,
                                             top_values_text(*low.profile), low.profile->method));
      if (low.dominant_share >= limits.dominant_value_share) {
        finding.evidence.push_back(fmt::format(
            "a lookup on {} = {} reads {} of the table through the index, slower than a full "
            "scan; only the rare value{} can use the index profitably",
            column, value_text(low.profile->top.front().value), share_text(low.dominant_share),
            low.profile->top.size() > 2 ? "s" : ""));
      } else {
        finding.evidence.push_back(fmt::format(
            "with {} values, every lookup reads about {} of the table through the index",
            low.distinct, share_text(1.0 / static_cast<double>(low.distinct))));
      }
    }
    if (index.columns[0].cardinality) {
      finding.evidence.push_back(fmt::format("SHOW INDEX cardinality: {}",
                                             format_thousands(*index.columns[0].cardinality)));
    }
    if (const ForeignKeyInfo* fk = foreign_key_needing(table, index)) {
      finding.severity = Severity::kInfo;
      finding.evidence.push_back(fmt::format(
          "foreign key {} needs an index on {}: this one cannot simply go", fk->name, column));
      finding.fix.push_back(
          fmt::format("-- replace it by a composite index that leads with {} and adds a selective "
                      "column the screens filter on, e.g.\n",
                      column) +
          redefine_index_sql(table.name, index.name, false,
                             quote_ident(column) + ", <selective column>"));
      finding.verify.push_back(verify_migration_note());
    } else {
      propose_drop_index(table.name, index.name, finding);
      finding.verify.push_back(fmt::format(
          "if a screen does look up a rare value of {}, add {} to a composite index after a "
          "selective column instead (e.g. (user_id, {}))",
          column, column, column));
    }
    out.push_back(std::move(finding));
  }
}

}  // namespace

const Rule& low_cardinality_rule() {
  static const Rule rule{{"low-cardinality",
                          "a single-column index on a column with a handful of values (a "
                          "`deleted` flag)",
                          Severity::kWarning, false},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
