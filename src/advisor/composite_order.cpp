// Rule composite-order: a composite index that leads with a column of a handful of values
// while a later column is far more selective (slide 35: "the low-cardinality column comes
// first"). The index cannot serve lookups on the selective column alone, and on the leading
// value alone it narrows little. Putting the selective column first serves both kinds of
// equality lookups; lookups on the leading column alone lose it, so the plans decide.
#include <fmt/format.h>

#include <cmath>

#include "advisor/column_traits.h"
#include "advisor/evidence_text.h"
#include "advisor/fix_sql.h"
#include "advisor/rule.h"
#include "advisor/scenario_use.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

std::string column_text(const IndexColumn& column) {
  std::string text =
      column.column.empty() ? "(" + column.expression + ")" : quote_ident(column.column);
  if (column.sub_part) text += fmt::format("({})", *column.sub_part);
  if (column.descending) text += " DESC";
  return text;
}

size_t ref_columns(const std::string& ref) {
  if (ref.empty() || ref == "NULL") return 0;
  size_t count = 1;
  for (char c : ref) count += c == ',' ? 1 : 0;
  return count;
}

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  const AdvisorThresholds& limits = input.thresholds;
  for (const TableInfo& table : input.schema.tables) {
    const std::uint64_t rows = table.rows();
    if (rows < limits.min_rows) continue;
    for (const IndexInfo& index : table.indexes) {
      if (index.primary() || !index.btree() || index.columns.size() < 2 ||
          index.columns[0].column.empty()) {
        continue;
      }
      const IndexColumn& leading = index.columns[0];
      const std::optional<LowCardinality> low = low_cardinality(table, leading.column, limits);
      if (!low) continue;
      const std::optional<std::uint64_t> leading_distinct = low->distinct;
      // The first later column that is far more selective: counted, or at least the ratio of
      // the SHOW INDEX prefix cardinalities (distinct(b) >= distinct(a, b) / distinct(a)).
      size_t selective = 0;
      std::uint64_t selective_distinct = 0;
      std::string how;
      for (size_t i = 1; i < index.columns.size() && selective == 0; ++i) {
        const IndexColumn& column = index.columns[i];
        if (column.column.empty()) continue;
        std::optional<std::uint64_t> distinct;
        std::string source;
        if (const ColumnProfile* profile = table.profile(column.column)) {
          distinct = profile->distinct;
          source = profile->method;
        } else if (column.cardinality && index.columns[i - 1].cardinality &&
                   *index.columns[i - 1].cardinality > 0 && !table.statistics_look_stale()) {
          distinct = *column.cardinality / *index.columns[i - 1].cardinality;
          source = "at least, from the SHOW INDEX prefix cardinalities";
        } else {
          distinct = table.distinct(column.column);
          source = "SHOW INDEX";
        }
        if (distinct &&
            static_cast<double>(*distinct) >=
                limits.composite_selectivity_ratio * static_cast<double>(*leading_distinct)) {
          selective = i;
          selective_distinct = *distinct;
          how = source;
        }
      }
      if (selective == 0) continue;
      const IndexColumn& better = index.columns[selective];

      Finding finding = make_finding(info, table.name, index.name);
      finding.summary =
          fmt::format("{} leads with {} ({} distinct values) while {} has {} ({} more selective)",
                      index_text(index), leading.column, *leading_distinct, better.column,
                      format_thousands(selective_distinct),
                      format_factor(static_cast<double>(selective_distinct) /
                                  static_cast<double>(*leading_distinct)));
      if (low->profile != nullptr && !low->profile->top.empty()) {
        finding.evidence.push_back(fmt::format("values of {}: {} ({})", leading.column,
                                               top_values_text(*low->profile),
                                               low->profile->method));
      }
      finding.evidence.push_back(fmt::format("distinct values of {}: {} ({})", better.column,
                                             format_thousands(selective_distinct), how));
      std::string cardinalities;
      for (const IndexColumn& column : index.columns) {
        cardinalities +=
            fmt::format("{}{} {}", cardinalities.empty() ? "" : ", ", column.column,
                        column.cardinality ? format_thousands(*column.cardinality) : "NULL");
      }
      finding.evidence.push_back(
          "SHOW INDEX cardinality by seq_in_index (cumulative: each is "
          "the prefix up to that column): " +
          cardinalities);
      for (const QueryEvidence* query : queries_using(input.scenarios, table.name, index.name)) {
        for (const IndexUse& use : query->uses) {
          if (use.table != table.name || !iequals(use.index, index.name)) continue;
          const size_t used = ref_columns(use.ref);
          if (use.access_type == "ref" && used == 1) {
            finding.evidence.push_back(fmt::format(
                "{} looks up on {} alone (ref {}): the new order would not serve it, so check "
                "that screen",
                query->label(), leading.column, use.ref));
          } else if (used > 1) {
            finding.evidence.push_back(
                fmt::format("{} uses {} columns of it (ref {}): the new "
                            "order serves it too",
                            query->label(), used, use.ref));
          }
        }
      }
      std::string columns = column_text(better);
      for (size_t i = 0; i < index.columns.size(); ++i) {
        if (i != selective) columns += ", " + column_text(index.columns[i]);
      }
      finding.fix.push_back(fmt::format("ALTER TABLE {} DROP INDEX {}, ADD {}INDEX {} ({});",
                                        quote_ident(table.name), quote_ident(index.name),
                                        index.unique ? "UNIQUE " : "", quote_ident(index.name),
                                        columns));
      finding.verify.push_back(verify_migration_note());
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace

const Rule& composite_order_rule() {
  static const Rule rule{{"composite-order",
                          "a composite index whose leading column is far less selective than a "
                          "later one",
                          Severity::kWarning, false},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
