#pragma once
// `sqlmeasure indexes` (docs/indexes.md): the rules that turn what was collected
// (index_model.h, scenario_evidence.h) into findings with evidence and the SQL to act on them.
//
// The rules are pure functions of what was collected, so they are tested on synthetic
// metadata without a server.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/index_model.h"
#include "sqlmeasure/scenario_evidence.h"

namespace sqlmeasure {

// Ordered: a finding "at or above" a level compares with >=.
enum class Severity { kInfo, kWarning, kError };
[[nodiscard]] const char* severity_name(Severity severity);
// "info", "warning" or "error"; anything else is a usage error naming `flag`.
[[nodiscard]] Severity parse_severity(const std::string& text, const std::string& flag);

// ---------------------------------------------------------------- rules and findings

struct Finding {
  std::string rule;
  Severity severity = Severity::kWarning;
  std::string table, index;  // index may be empty (e.g. order-by-created)
  std::string summary;       // one line
  std::vector<std::string> evidence;
  std::vector<std::string> fix;     // SQL, each a complete statement
  std::vector<std::string> verify;  // how to check before acting
  // The index the fix drops, when it drops one: what `indexes --verify` measures.
  std::string drops;
  // `indexes --verify`: what measuring the drop showed. verdict: "unchanged", "keep" (a
  // screen needs the index: the finding is then info) or "not measured".
  struct Measured {
    std::string verdict, text;
  };
  std::optional<Measured> measured;
};

struct RuleInfo {
  std::string id;
  std::string description;
  Severity default_severity = Severity::kWarning;
  bool needs_scenarios = false;
};

// Every rule, in report order.
[[nodiscard]] std::vector<RuleInfo> advisor_rules();

// The limits the rules judge by (docs/indexes.md explains each).
struct AdvisorThresholds {
  std::uint64_t min_rows = 1000;  // smaller tables are never judged on selectivity
  // A column has "low cardinality" when it has at most this many values and either one value
  // covers dominant_value_share of the rows, or there are so few values
  // (<= few_values_max_distinct) that any lookup reads a large share of the table.
  std::uint64_t low_cardinality_max_distinct = 16;
  double dominant_value_share = 0.5;
  std::uint64_t few_values_max_distinct = 5;
  double composite_selectivity_ratio = 10.0;  // later column this many times more distinct
  double hint_effect_ratio = 1.2;             // "helps"/"hurts" from this factor on
  double order_agreement_min = 0.99;          // created order must match id order this often
};

struct AdvisorResult {
  std::vector<Finding> findings;     // most severe first, then by table and index
  std::vector<std::string> skipped;  // rules not run, and why
};

// Runs every rule. Pure: reads only its arguments.
[[nodiscard]] AdvisorResult run_advisor(const SchemaInfo& schema, const ScenarioEvidence& scenarios,
                                        const AdvisorThresholds& thresholds = {});

// Duplicate and redundant keys of one table, found the way pt-duplicate-key-checker finds
// them (unique vs non-unique, FULLTEXT compared only with FULLTEXT and in any column order,
// prefix lengths, InnoDB clustered-key suffixes). Two deliberate differences, both cases where
// the tool reports an index that is not redundant: a full-column index is never "a left prefix"
// of a prefix-length index on that column, and a DESC key part differs from an ASC one.
enum class DuplicateKind { kExact, kLeftPrefix, kClusteredSuffix };
struct DuplicateKey {
  std::string index;         // the one to drop (or shorten)
  std::string duplicate_of;  // the one that makes it redundant
  DuplicateKind kind = DuplicateKind::kExact;
  std::string uniqueness_ignored_because;  // "ub2 is a duplicate constraint", when relevant
  std::vector<std::string> shortened;      // kClusteredSuffix: the columns without the suffix
  std::vector<std::string> repeated;       // kClusteredSuffix: the clustered key's columns it
                                           // ends with (all of them, or a leading part)
};
[[nodiscard]] std::vector<DuplicateKey> find_duplicate_keys(const TableInfo& table);

// ---------------------------------------------------------------- the report

// Everything `indexes` shows: render_index_report (render.h) writes it.
struct IndexReport {
  SchemaInfo schema;
  ScenarioEvidence scenarios;
  AdvisorResult result;
  AdvisorThresholds thresholds;
};

}  // namespace sqlmeasure
