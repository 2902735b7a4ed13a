// Rule order-by-created: ORDER BY a creation timestamp on a table with an AUTO_INCREMENT
// primary key (slide 35). Rows are inserted when they are created, so created order and id
// order agree; ORDER BY id walks the clustered index and needs neither a filesort nor a
// separate index on the timestamp. We check that claim on the data (the latest rows) and on
// the query (same rows returned), and show both plans.
#include <fmt/format.h>

#include "column_traits.h"
#include "evidence_text.h"
#include "rule.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

std::string table_access(const std::vector<PlanRow>& plan) {
  const bool filesort = plan_has_filesort(plan);
  return plan_text(plan) + (filesort ? "" : " — no filesort");
}

// Why ORDER BY the key plans worse than the query as it is, or empty: advice is checked on
// the rewritten query's own plan before it is given (a filesort it adds, more rows read).
std::string plans_worse(const OrderByEvidence& order) {
  if (order.plan_by_key.empty()) return "";
  if (plan_has_filesort(order.plan_by_key) && !plan_has_filesort(order.plan)) {
    return fmt::format("ORDER BY {} needs a filesort where ORDER BY {} has none", order.key_column,
                       order.column);
  }
  if (order.rows_examined && order.rows_examined_by_key &&
      *order.rows_examined_by_key > *order.rows_examined) {
    return fmt::format("ORDER BY {} examines {} rows where ORDER BY {} examines {}",
                       order.key_column, format_thousands(*order.rows_examined_by_key),
                       order.column, format_thousands(*order.rows_examined));
  }
  return "";
}

// The columns the index in use has before the ordered one (the WHERE's equalities): what an
// index must start with for ORDER BY the key to walk it in order.
std::vector<std::string> leading_columns(const TableInfo& table, const std::string& index_name,
                                         const std::string& column) {
  const IndexInfo* index = index_name.empty() ? nullptr : table.index(index_name);
  if (index == nullptr) return {};
  std::vector<std::string> leading;
  for (const std::string& name : index->column_names()) {
    if (iequals(name, column)) return leading;
    leading.push_back(name);
  }
  return {};
}

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  for (const OrderByEvidence& order : input.scenarios.order_bys) {
    const TableInfo* table = input.schema.table(order.table);
    if (table == nullptr) continue;
    const ColumnInfo* column = table->column(order.column);
    if (column == nullptr || !creation_time(*column)) continue;
    if (order.order_agreement && *order.order_agreement < input.thresholds.order_agreement_min) {
      continue;  // the data says the two orders differ: not a safe rewrite
    }
    std::string index_name;
    for (const PlanRow& row : order.plan) {
      if (!row.key.empty() && (row.table == order.table || order.plan.size() == 1)) {
        index_name = row.key;
      }
    }
    Finding finding = make_finding(info, table->name, index_name);
    finding.summary = fmt::format(
        "ORDER BY {}{} in {}: order by the AUTO_INCREMENT key {} "
        "instead",
        order.column, order.direction.empty() ? "" : " " + order.direction, order.label(),
        order.key_column);
    if (order.order_agreement) {
      finding.evidence.push_back(fmt::format(
          "{} order agrees with {} order in {} of the latest {} rows (rows are created in id "
          "order)",
          order.column, order.key_column, share_text(*order.order_agreement),
          format_thousands(order.agreement_rows)));
    }
    if (order.error) {
      finding.evidence.push_back("could not check everything: " + *order.error);
    }
    if (!order.plan.empty()) {
      finding.evidence.push_back(
          fmt::format("plan, ORDER BY {}: {}", order.column, table_access(order.plan)));
      finding.evidence.push_back(
          fmt::format("plan, ORDER BY {}: {}", order.key_column, table_access(order.plan_by_key)));
    }
    if (order.rows_examined && order.rows_examined_by_key) {
      finding.evidence.push_back(fmt::format("rows examined: {} → {}",
                                             format_thousands(*order.rows_examined),
                                             format_thousands(*order.rows_examined_by_key)));
    }
    if (order.same_rows) {
      finding.evidence.push_back(*order.same_rows
                                     ? "both orders return the same rows (checksum)"
                                     : "the two orders return different rows here (ties or "
                                       "back-dated rows): check before changing");
      if (!*order.same_rows) finding.severity = Severity::kInfo;
    }
    if (const std::string worse = plans_worse(order); !worse.empty()) {
      // Not advised: said, with why and what the rewrite would need.
      finding.severity = Severity::kInfo;
      finding.summary = fmt::format(
          "ORDER BY {}{} in {}: ORDER BY {} gives the same order, but not advised here: {}",
          order.column, order.direction.empty() ? "" : " " + order.direction, order.label(),
          order.key_column, worse);
      const std::vector<std::string> leading = leading_columns(*table, index_name, order.column);
      if (!leading.empty()) {
        finding.evidence.push_back(fmt::format(
            "ORDER BY {} walks an index in order only where the WHERE's columns ({}) are "
            "followed by {}: an index on ({}) alone, which InnoDB ends with the primary key, or "
            "({}, {}); {} serves ORDER BY {} instead",
            order.key_column, join(leading), order.key_column, join(leading), join(leading),
            order.key_column, index_name, order.column));
      }
      out.push_back(std::move(finding));
      continue;
    }
    finding.fix.push_back("-- " + order.label() + ", ordered by the key:\n" +
                          one_line(order.sql_by_key) + ";");
    if (!index_name.empty() && !iequals(index_name, "PRIMARY")) {
      finding.verify.push_back(fmt::format(
          "afterwards {} may have no other user: re-run sqlmeasure indexes and see unused-index",
          index_name));
    }
    finding.verify.push_back("measure the screen before and after: sqlmeasure run --screens " +
                             order.screen);
    out.push_back(std::move(finding));
  }
}

}  // namespace

const Rule& order_by_created_rule() {
  static const Rule rule{{"order-by-created",
                          "ORDER BY a creation timestamp on a table with an AUTO_INCREMENT id: "
                          "ORDER BY id gives the same order",
                          Severity::kWarning, true},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
