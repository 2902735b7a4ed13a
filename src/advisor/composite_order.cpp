// Rule composite-order: a composite index that leads with a column of a handful of values
// while a later column is far more selective (slide 35: "the low-cardinality column comes
// first"). The index cannot serve lookups on the selective column alone, and on the leading
// value alone it narrows little. Putting the selective column first serves both kinds of
// equality lookups; lookups on the leading column alone lose it, so the plans decide.
#include <fmt/format.h>

#include <optional>
#include <string>

#include "column_traits.h"
#include "evidence_text.h"
#include "fix_sql.h"
#include "rule.h"
#include "scenario_use.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

// A later key part far more selective than the leading column.
struct SelectiveColumn {
  size_t position = 0;  // in the index
  std::uint64_t distinct = 0;
  std::string how;  // where the count comes from, for the evidence
};

// The first later key part with composite_selectivity_ratio times the distinct values of the
// leading column: counted, or at least the ratio of the SHOW INDEX prefix cardinalities
// (distinct(b) >= distinct(a, b) / distinct(a)).
std::optional<SelectiveColumn> selective_column(const TableInfo& table, const IndexInfo& index,
                                                std::uint64_t leading_distinct,
                                                const AdvisorThresholds& limits) {
  for (size_t i = 1; i < index.columns.size(); ++i) {
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
    if (distinct && static_cast<double>(*distinct) >= limits.composite_selectivity_ratio *
                                                          static_cast<double>(leading_distinct)) {
      return SelectiveColumn{i, *distinct, source};
    }
  }
  return std::nullopt;
}

// "a 3, b 12,000": the SHOW INDEX cardinality of each prefix, in key order.
std::string cardinalities_text(const IndexInfo& index) {
  std::string cardinalities;
  for (const IndexColumn& column : index.columns) {
    cardinalities +=
        fmt::format("{}{} {}", cardinalities.empty() ? "" : ", ", column.column,
                    column.cardinality ? format_thousands(*column.cardinality) : "NULL");
  }
  return cardinalities;
}

size_t ref_columns(const std::string& ref) {
  if (ref.empty() || ref == "NULL") return 0;
  size_t count = 1;
  for (char c : ref) count += c == ',' ? 1 : 0;
  return count;
}

// What the scenario queries using the index look up: the leading column alone (the new order
// would not serve them), or several columns (it would).
void add_lookup_evidence(const ScenarioEvidence& scenarios, const TableInfo& table,
                         const IndexInfo& index, Finding& finding) {
  const std::string& leading = index.columns[0].column;
  for (const QueryEvidence* query : queries_using(scenarios, table.name, index.name)) {
    for (const IndexUse& use : query->uses) {
      if (use.table != table.name || !iequals(use.index, index.name)) continue;
      const size_t used = ref_columns(use.ref);
      if (use.access_type == "ref" && used == 1) {
        finding.evidence.push_back(fmt::format(
            "{} looks up on {} alone (ref {}): the new order would not serve it, so check "
            "that screen",
            query->label(), leading, use.ref));
      } else if (used > 1) {
        finding.evidence.push_back(
            fmt::format("{} uses {} columns of it (ref {}): the new "
                        "order serves it too",
                        query->label(), used, use.ref));
      }
    }
  }
}

// The same index with the selective column moved to the front.
std::string reorder_sql(const TableInfo& table, const IndexInfo& index, size_t selective) {
  std::string columns = key_part_sql(index.columns[selective]);
  for (size_t i = 0; i < index.columns.size(); ++i) {
    if (i != selective) columns += ", " + key_part_sql(index.columns[i]);
  }
  return redefine_index_sql(table.name, index.name, index.unique, columns);
}

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  for (const LowCardinalityLead& lead : low_cardinality_leads(input.schema, input.thresholds)) {
    const TableInfo& table = *lead.table;
    const IndexInfo& index = *lead.index;
    const LowCardinality& low = lead.low;
    if (index.columns.size() < 2) continue;
    const std::optional<SelectiveColumn> selective =
        selective_column(table, index, low.distinct, input.thresholds);
    if (!selective) continue;
    const std::string& leading = index.columns[0].column;
    const std::string& better = index.columns[selective->position].column;

    Finding finding = make_finding(info, table.name, index.name);
    finding.summary = fmt::format(
        "{} leads with {} ({} distinct values) while {} has {} ({} more selective)",
        index_text(index), leading, low.distinct, better, format_thousands(selective->distinct),
        format_factor(static_cast<double>(selective->distinct) /
                      static_cast<double>(low.distinct)));
    if (low.profile != nullptr && !low.profile->top.empty()) {
      finding.evidence.push_back(fmt::format("values of {}: {} ({})", leading,
                                             top_values_text(*low.profile), low.profile->method));
    }
    finding.evidence.push_back(fmt::format("distinct values of {}: {} ({})", better,
                                           format_thousands(selective->distinct), selective->how));
    finding.evidence.push_back(
        "SHOW INDEX cardinality by seq_in_index (cumulative: each is "
        "the prefix up to that column): " +
        cardinalities_text(index));
    add_lookup_evidence(input.scenarios, table, index, finding);
    finding.fix.push_back(reorder_sql(table, index, selective->position));
    finding.verify.push_back(verify_migration_note());
    out.push_back(std::move(finding));
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
