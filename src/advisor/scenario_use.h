#pragma once
// Which scenario queries use an index, or only consider it, and the sentence that says so.
#include <string>
#include <vector>

#include "sqlmeasure/index_model.h"
#include "sqlmeasure/scenario_evidence.h"

namespace sqlmeasure::advisor {

// Scenario queries that read `table` (by name, aliases resolved).
[[nodiscard]] std::vector<const QueryEvidence*> queries_reading(const ScenarioEvidence& scenarios,
                                                                const std::string& table);
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

}  // namespace sqlmeasure::advisor
