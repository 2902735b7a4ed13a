// The indexes a run's plans use, described as `sqlmeasure indexes` describes them: what a
// compare needs to say why a plan changed ("now a low-cardinality index"), recorded in the run
// so that a compare of its results file, much later, names the cause too (docs/verdicts.md,
// "Plan changes").
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/schema_reader.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// The (table, index) pairs the plans of `run` name in their `key` column, each table as the
// query's SQL names it (an alias resolved), in lower case.
// The plan `other` has for `query` of `screen`, or null.
const std::vector<PlanRow>* plan_in(const RunResult& other, const std::string& screen,
                                    const QueryResult& query) {
  for (const ScreenResult& there : other.screens) {
    if (there.name != screen) continue;
    for (const QueryResult& same : there.queries) {
      if (same.name == query.name) return &same.plan;
    }
  }
  return nullptr;
}

std::set<std::pair<std::string, std::string>> plan_indexes(const RunResult& run,
                                                           const RunResult* compared_with) {
  std::set<std::pair<std::string, std::string>> used;
  for (const ScreenResult& screen : run.screens) {
    for (const QueryResult& query : screen.queries) {
      if (query.plan.empty()) continue;
      const std::vector<PlanRow>* other =
          compared_with != nullptr ? plan_in(*compared_with, screen.name, query) : nullptr;
      if (compared_with != nullptr && other == nullptr) continue;
      std::map<std::string, std::string> tables;  // alias or name → name, lower case
      for (const TableReference& reference : read_query_shape(query.sql).tables) {
        if (!reference.database.empty() && !iequals(reference.database, run.server.database)) {
          continue;
        }
        const std::string table = ascii_lower(reference.table);
        tables[reference.alias.empty() ? table : ascii_lower(reference.alias)] = table;
      }
      for (const PlanRow& row : query.plan) {
        const bool left_alone =
            other != nullptr && std::any_of(other->begin(), other->end(), [&row](const PlanRow& o) {
              return o.same_access_path(row);
            });
        if (left_alone) continue;  // a row the change left alone
        const auto table = tables.find(ascii_lower(row.table));
        if (table == tables.end()) continue;  // <derived2>, another database
        for (const std::string& key : split_list(row.key)) {
          if (!key.empty() && key != "NULL") used.emplace(table->second, ascii_lower(key));
        }
      }
    }
  }
  return used;
}

IndexStatistics statistics_of(const TableInfo& table, const IndexInfo& index,
                              const std::vector<Finding>& findings) {
  IndexStatistics out;
  out.table = table.name;
  out.index = index.name;
  out.columns = index.column_names();
  out.unique = index.unique;
  out.table_rows = table.rows();
  out.rows_exact = table.rows_counted.has_value() && !table.rows_counted_is_lower_bound;
  if (!index.columns.empty() && !index.columns[0].column.empty()) {
    const std::string& leading = index.columns[0].column;
    if (const ColumnProfile* profile = table.profile(leading)) {
      out.leading_distinct = profile->distinct;
      out.distinct_method = profile->method;
      out.leading_values = profile->top;
      out.values_rows = profile->rows_read;
    } else if (index.columns[0].cardinality) {
      out.leading_distinct = index.columns[0].cardinality;
      out.distinct_method = "SHOW INDEX cardinality";
    }
  }
  for (const Finding& finding : findings) {
    if ((finding.rule == "low-cardinality" || finding.rule == "composite-order") &&
        iequals(finding.table, table.name) && iequals(finding.index, index.name)) {
      out.rule = finding.rule;
      out.finding = finding.summary;
    }
  }
  return out;
}

}  // namespace

std::vector<IndexStatistics> plan_index_statistics(Connection& connection, const RunResult& run,
                                                   const AdvisorThresholds& thresholds,
                                                   const RunResult* compared_with) {
  const std::set<std::pair<std::string, std::string>> used = plan_indexes(run, compared_with);
  if (used.empty() || run.server.database.empty()) return {};
  // Only base tables of this database the run counted (RunConditions: the tables its screens
  // name): a view's plan names its base tables, which may be elsewhere, and `indexes --tables`
  // refuses a name it does not know.
  if (!run.conditions) return {};
  CollectOptions options;
  options.min_rows = thresholds.min_rows;
  options.low_cardinality_max_distinct = thresholds.low_cardinality_max_distinct;
  for (const auto& [table, index] : used) {
    if (run.conditions->table_rows.contains(table) &&
        std::find(options.tables.begin(), options.tables.end(), table) == options.tables.end()) {
      options.tables.push_back(table);
    }
  }
  if (options.tables.empty()) return {};
  const SchemaInfo schema = collect_schema(connection, run.server.database, options);
  const std::vector<Finding> findings =
      run_advisor(schema, ScenarioEvidence{}, thresholds).findings;
  std::vector<IndexStatistics> out;
  for (const auto& [table_name, index_name] : used) {
    const TableInfo* table = schema.table(table_name);
    if (table == nullptr) continue;
    const IndexInfo* index = table->index(index_name);
    if (index == nullptr) continue;
    out.push_back(statistics_of(*table, *index, findings));
  }
  return out;
}

}  // namespace sqlmeasure
