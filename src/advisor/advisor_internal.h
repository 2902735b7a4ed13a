#pragma once
// What the advisor's files share: the rule type, one accessor per rule file, and the
// helpers that write evidence and fix SQL the same way everywhere.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {

// What every rule reads. Rules never talk to the server.
struct RuleInput {
  const SchemaInfo& schema;
  const ScenarioEvidence& scenarios;
  const AdvisorThresholds& thresholds;
};

// A rule: its id, description and default severity (skeema-lint style), and its check.
struct Rule {
  RuleInfo info;
  void (*check)(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out);
};

// One accessor per rule file; registry.cpp lists them in report order.
const Rule& hint_index_missing_rule();
const Rule& hint_worth_rule();
const Rule& duplicate_index_rule();
const Rule& redundant_index_rule();
const Rule& low_cardinality_rule();
const Rule& composite_order_rule();
const Rule& order_by_created_rule();
const Rule& stale_statistics_rule();
const Rule& unused_index_rule();
const Rule& unused_constraint_index_rule();

// ---- helpers (registry.cpp) ----

// `name` as SQL: bare when it is a plain, non-reserved identifier, else in backticks.
[[nodiscard]] std::string quote_ident(std::string_view name);
// Always in backticks (for SQL we run).
[[nodiscard]] std::string backtick(std::string_view name);
[[nodiscard]] std::string drop_index_sql(const std::string& table, const std::string& index);
[[nodiscard]] std::string what_if_command(const std::string& table, const std::string& index);
[[nodiscard]] std::string verify_migration_note();
// 98.5 %, 0.02 %
[[nodiscard]] std::string share_text(double share);
// 'text', 17 or NULL, for a value in the evidence.
[[nodiscard]] std::string value_text(const std::optional<std::string>& value);
// "`deleted` (deleted)" style: the index and its columns.
[[nodiscard]] std::string index_text(const IndexInfo& index);
// As CREATE TABLE writes it: UNIQUE KEY email (email), PRIMARY KEY (id), FULLTEXT KEY ...
[[nodiscard]] std::string key_definition(const IndexInfo& index);
[[nodiscard]] Finding make_finding(const RuleInfo& info, const std::string& table,
                                   const std::string& index);
// SQL on one line: runs of whitespace become one space.
[[nodiscard]] std::string one_line(std::string_view sql);
// "works: ref on category_id (rows 120; Using where)" for each plan row, joined by " | ".
[[nodiscard]] std::string plan_text(const std::vector<PlanRow>& plan);
[[nodiscard]] bool plan_has_filesort(const std::vector<PlanRow>& plan);

// A column with few values, as the low-cardinality and composite-order rules define it.
struct LowCardinality {
  std::uint64_t distinct = 0;
  const ColumnProfile* profile = nullptr;  // counted values, when there are
  double dominant_share = 0;               // of the most frequent value, when counted
};
[[nodiscard]] std::optional<LowCardinality> low_cardinality(const TableInfo& table,
                                                            const std::string& column,
                                                            const AdvisorThresholds& limits);
// "0 → 98.5 %, 1 → 1.5 %"
[[nodiscard]] std::string top_values_text(const ColumnProfile& profile);

// A DATETIME/TIMESTAMP/DATE column that records when the row was created: by name (creat...,
// insert...), or by a CURRENT_TIMESTAMP default that no update changes.
[[nodiscard]] bool creation_time(const ColumnInfo& column);

// Scenario queries whose plan uses (table, index), and those listing it in possible_keys.
[[nodiscard]] std::vector<const QueryEvidence*> queries_using(const ScenarioEvidence& scenarios,
                                                              const std::string& table,
                                                              const std::string& index);
[[nodiscard]] std::vector<const QueryEvidence*> queries_considering(
    const ScenarioEvidence& scenarios, const std::string& table, const std::string& index);
// "used by 2 scenario queries: top/new_works, ..." or "no scenario query's plan uses it ...";
// empty without scenarios.
[[nodiscard]] std::string usage_evidence(const ScenarioEvidence& scenarios,
                                         const std::string& table, const std::string& index);
// Foreign keys (declared here or pointing here) whose columns are a left prefix of `index`.
[[nodiscard]] std::vector<const ForeignKeyInfo*> foreign_keys_served(const TableInfo& table,
                                                                     const IndexInfo& index);
// True when some foreign key needs `index`: it is the only index whose left prefix covers
// the foreign key's columns.
[[nodiscard]] const ForeignKeyInfo* foreign_key_needing(const TableInfo& table,
                                                        const IndexInfo& index);

}  // namespace sqlmeasure::advisor
