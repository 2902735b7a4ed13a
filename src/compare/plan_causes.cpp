// What kind each plan change is, with its evidence (PRODUCT.md §6: "every plan change says
// what kind it is"). A reviewer should not need to know EXPLAIN to see that `PRIMARY →
// deleted` means "now an index on a 2-valued flag": the class says it, in the words and with
// the rule ids of `sqlmeasure indexes`, from what the runs recorded of the indexes they use.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "plan_diff.h"
#include "sqlmeasure/number_parse.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

struct ClassText {
  PlanClass kind;
  const char* id;
  const char* name;
};
constexpr ClassText kClasses[] = {
    {PlanClass::kHintResolved, "hint-resolved", "hint resolved differently"},
    {PlanClass::kLowCardinality, "low-cardinality", "low cardinality"},
    {PlanClass::kFullScan, "full-scan", "full scan"},
    {PlanClass::kFullIndexScan, "full-index-scan", "full index scan"},
    {PlanClass::kIndexMerge, "index-merge", "index merge"},
    {PlanClass::kIndexChanged, "index-changed", "another index"},
    {PlanClass::kRangeRef, "range-ref", "range ↔ ref"},
    {PlanClass::kJoinOrder, "join-order", "join order changed"},
    {PlanClass::kFilesortAdded, "filesort-added", "filesort added"},
    {PlanClass::kTemporaryAdded, "temporary-added", "temporary added"},
    {PlanClass::kIndexUsed, "index-used", "index now used"},
    {PlanClass::kFilesortRemoved, "filesort-removed", "filesort removed"},
    {PlanClass::kTemporaryRemoved, "temporary-removed", "temporary removed"},
    {PlanClass::kTableAdded, "table-added", "table added"},
    {PlanClass::kTableRemoved, "table-removed", "table removed"},
};

bool is_ref(const std::string& type) {
  return type == "ref" || type == "eq_ref" || type == "ref_or_null" || type == "const";
}

// What a query's SQL says about the table a plan row names: the real table, its hints and the
// values it looks columns up by.
struct TableInQuery {
  std::string table;  // lower case; empty when the plan row names no table of the SQL
  std::string alias;  // as the plan names it
  std::vector<const IndexHint*> hints;
};

TableInQuery table_in(const QueryShape& shape, const std::string& plan_table) {
  TableInQuery found;
  for (std::size_t t = 0; t < shape.tables.size(); ++t) {
    const TableReference& reference = shape.tables[t];
    const std::string& name = reference.alias.empty() ? reference.table : reference.alias;
    if (!iequals(name, plan_table)) continue;
    found.table = ascii_lower(reference.table);
    found.alias = name;
    for (const IndexHint& hint : shape.hints) {
      if (hint.table_reference == t) found.hints.push_back(&hint);
    }
    return found;
  }
  return found;
}

const IndexStatistics* statistics(const RunResult& run, const std::string& table,
                                  const std::string& index) {
  for (const IndexStatistics& s : run.index_statistics) {
    if (iequals(s.table, table) && iequals(s.index, index)) return &s;
  }
  return nullptr;
}

// "42 %", "98.5 %", "0.3 %", "< 0.1 %".
std::string share_text(double share) {
  const double percent = share * 100;
  if (percent > 0 && percent < 0.1) return "< 0.1 %";
  if (percent >= 10) return fmt::format("{:.1f} %", percent);
  return fmt::format("{:.2g} %", percent);
}

// The values `query` looks `column` up by: a literal, or its parameter's values.
std::vector<std::string> looked_up_values(const QueryShape& shape, const QueryResult& query,
                                          const TableInQuery& where, const std::string& column) {
  std::vector<std::string> values;
  for (const ColumnEquality& equality : shape.equalities) {
    if (!iequals(equality.column, column)) continue;
    if (!equality.qualifier.empty() && !iequals(equality.qualifier, where.alias) &&
        !iequals(equality.qualifier, where.table)) {
      continue;
    }
    if (!equality.param.empty()) {
      const auto param = query.params.find(equality.param);
      if (param == query.params.end()) continue;
      for (const ParamValue& value : param->second) {
        if (value.kind != ParamValue::Kind::kNull &&
            std::find(values.begin(), values.end(), value.text) == values.end()) {
          values.push_back(value.text);
        }
      }
    } else if (std::find(values.begin(), values.end(), equality.literal) == values.end()) {
      values.push_back(equality.literal);
    }
  }
  return values;
}

// "2 distinct values in 300k rows; deleted = 0 matches 98.5 %".
std::string low_cardinality_evidence(const IndexStatistics& index, const QueryShape& shape,
                                     const QueryResult& query, const TableInQuery& where) {
  // The rows the values were counted in, when they were counted; else the table's.
  const std::uint64_t rows = index.values_rows > 0 ? index.values_rows : index.table_rows;
  const bool estimated = index.values_rows == 0 && !index.rows_exact;
  std::string text = fmt::format(
      "{} distinct value{} in {}{} rows", index.leading_distinct.value_or(0),
      index.leading_distinct.value_or(0) == 1 ? "" : "s", estimated ? "~" : "", format_count(rows));
  if (index.columns.empty() || index.values_rows == 0) return text;
  const std::string& column = index.columns.front();
  const std::vector<std::string> values = looked_up_values(shape, query, where, column);
  std::vector<std::string> matches;
  for (const std::string& value : values) {
    if (matches.size() == 3) break;
    const auto counted =
        std::find_if(index.leading_values.begin(), index.leading_values.end(),
                     [&](const ValueCount& count) { return count.value && *count.value == value; });
    if (counted != index.leading_values.end()) {
      matches.push_back(fmt::format("{} = {} matches {}", column, value,
                                    share_text(static_cast<double>(counted->count) /
                                               static_cast<double>(index.values_rows))));
    }
  }
  for (const std::string& match : matches) text += "; " + match;
  if (matches.empty() && !index.leading_values.empty() && index.leading_values.front().value) {
    const ValueCount& top = index.leading_values.front();
    text += fmt::format(
        "; {} = {} alone is {} of them", column, *top.value,
        share_text(static_cast<double>(top.count) / static_cast<double>(index.values_rows)));
  }
  return text;
}

// A hint on the table that names another index than the one the plan now uses, by a prefix
// of its name: the server resolved it to that one.
const IndexHint* hint_resolved_to(const TableInQuery& where, const std::string& key,
                                  std::string& named) {
  for (const IndexHint* hint : where.hints) {
    if (hint->optimizer_hint || hint->kind == "IGNORE") continue;
    for (const std::string& index : hint->indexes) {
      if (!iequals(index, key) && key.size() > index.size() &&
          iequals(std::string_view(key).substr(0, index.size()), index)) {
        named = index;
        return hint;
      }
    }
  }
  return nullptr;
}

std::string rows_of(const RunResult& run, const std::string& table, const PlanRow& row) {
  if (run.conditions) {
    const auto counted = run.conditions->table_rows.find(table);
    if (counted != run.conditions->table_rows.end()) {
      return fmt::format("{}{} rows of {}", counted->second.exact ? "all " : "all ~",
                         format_count(counted->second.rows), table);
    }
  }
  const std::string& name = table.empty() ? row.table : table;
  // EXPLAIN gives no estimate for some tables (NULL: every row); a text that is not a number
  // is shown as the plan says it.
  if (row.rows.empty()) return fmt::format("every row of {}", name);
  const std::optional<std::uint64_t> estimate = parse_unsigned(row.rows);
  return fmt::format("~{} rows of {} (estimate)",
                     estimate ? format_count(*estimate) : printable(row.rows), name);
}

void classify(PlanChange& change, const QueryShape& after_shape, const QueryResult& after,
              const RunResult& after_run) {
  if (!change.order_before.empty()) {
    change.causes.push_back({PlanClass::kJoinOrder, "", ""});
    return;
  }
  if (!change.before) {
    change.causes.push_back({PlanClass::kTableAdded, "", ""});
    return;
  }
  if (!change.after) {
    change.causes.push_back({PlanClass::kTableRemoved, "", ""});
    return;
  }
  const PlanRow& old_row = *change.before;
  const PlanRow& new_row = *change.after;
  const TableInQuery where = table_in(after_shape, new_row.table);
  const std::string old_key = or_none(old_row.key), new_key = or_none(new_row.key);
  const std::string old_type = or_none(old_row.access_type),
                    new_type = or_none(new_row.access_type);
  const bool key_changed = old_key != new_key;
  bool explained_key = false;
  if (key_changed && new_key != "(none)") {
    std::string named;
    if (const IndexHint* hint = hint_resolved_to(where, new_key, named)) {
      change.causes.push_back({PlanClass::kHintResolved,
                               fmt::format("{} resolves to {} by prefix: no index is named {} now",
                                           hint->text, new_key, named),
                               ""});
      explained_key = true;
    }
    for (const std::string& key : split_list(new_row.key)) {
      const IndexStatistics* index = statistics(after_run, where.table, key);
      if (index == nullptr || index->rule.empty()) continue;
      change.causes.push_back({PlanClass::kLowCardinality,
                               low_cardinality_evidence(*index, after_shape, after, where),
                               index->rule});
      explained_key = true;
    }
  }
  if (new_type == "ALL" && old_type != "ALL") {
    change.causes.push_back({PlanClass::kFullScan, rows_of(after_run, where.table, new_row), ""});
    explained_key = true;
  } else if (new_type == "index" && old_type != "index") {
    change.causes.push_back(
        {PlanClass::kFullIndexScan, fmt::format("every entry of {} read", new_key), ""});
    explained_key = true;
  } else if (new_type == "index_merge" && old_type != "index_merge") {
    change.causes.push_back({PlanClass::kIndexMerge, new_key, ""});
    explained_key = true;
  }
  if (key_changed && !explained_key && new_key != "(none)") {
    std::string evidence;
    if (const IndexStatistics* index = statistics(after_run, where.table, new_key);
        index != nullptr && index->leading_distinct) {
      const bool estimated = index->distinct_method == "SHOW INDEX cardinality";
      evidence = fmt::format("{}: {}{} distinct values of {} in {} rows", new_key,
                             estimated ? "~" : "", format_count(*index->leading_distinct),
                             index->columns.empty() ? "its first column" : index->columns.front(),
                             format_count(index->table_rows));
    }
    change.causes.push_back({PlanClass::kIndexChanged, evidence, ""});
  }
  if ((old_type == "range" && is_ref(new_type)) || (is_ref(old_type) && new_type == "range")) {
    change.causes.push_back({PlanClass::kRangeRef, old_type + " → " + new_type, ""});
  }
  if (!uses_filesort(old_row) && uses_filesort(new_row)) {
    change.causes.push_back({PlanClass::kFilesortAdded, "", ""});
  }
  if (!uses_temporary(old_row) && uses_temporary(new_row)) {
    change.causes.push_back({PlanClass::kTemporaryAdded, "", ""});
  }
  if (old_type == "ALL" && new_type != "ALL") {
    change.causes.push_back({PlanClass::kIndexUsed, "no longer a full scan", ""});
  }
  if (uses_filesort(old_row) && !uses_filesort(new_row)) {
    change.causes.push_back({PlanClass::kFilesortRemoved, "", ""});
  }
  if (uses_temporary(old_row) && !uses_temporary(new_row)) {
    change.causes.push_back({PlanClass::kTemporaryRemoved, "", ""});
  }
  if (change.causes.empty()) change.causes.push_back({PlanClass::kIndexChanged, "", ""});
  std::stable_sort(change.causes.begin(), change.causes.end(),
                   [](const PlanCause& x, const PlanCause& y) { return x.kind < y.kind; });
}

}  // namespace

const char* plan_class_id(PlanClass kind) {
  for (const ClassText& known : kClasses) {
    if (known.kind == kind) return known.id;
  }
  return "index-changed";
}

const char* plan_class_name(PlanClass kind) {
  for (const ClassText& known : kClasses) {
    if (known.kind == kind) return known.name;
  }
  return "another index";
}

std::string PlanChange::causes_text() const {
  std::string text;
  for (const PlanCause& cause : causes) {
    if (!text.empty()) text += " · ";
    text += plan_class_name(cause.kind);
    if (!cause.rule.empty()) text += " (indexes rule " + cause.rule + ")";
    if (!cause.evidence.empty()) text += ": " + cause.evidence;
  }
  return text;
}

void classify_plan_changes(QueryComparison& query, const QueryResult& /*before*/,
                           const QueryResult& after, const RunResult& /*before_run*/,
                           const RunResult& after_run) {
  if (query.plan_changes.empty()) return;
  const QueryShape shape = read_query_shape(after.sql);
  for (PlanChange& change : query.plan_changes) classify(change, shape, after, after_run);
}

}  // namespace sqlmeasure
