#pragma once
// The words and tables of `indexes` that its terminal, Markdown and HTML renderers share, so
// the formats never disagree. Private to src/report/.
#include <string>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/render.h"

namespace sqlmeasure {

// The talk's SHOW INDEX view: table, rows, key_name, seq, column, cardinality, selectivity, ...
[[nodiscard]] Table index_cardinality_table(const SchemaInfo& schema);
// Each index hint timed with and without it.
[[nodiscard]] Table index_hints_table(const IndexReport& report);
// "demo · MariaDB 10.11.6 · localhost · 12 tables, 30 indexes"
[[nodiscard]] std::string index_header_line(const IndexReport& report);
// "scenarios: DIR · 19 screens, 40 queries explained, ..." or why rules were skipped.
[[nodiscard]] std::string index_scenarios_line(const ScenarioEvidence& scenarios);
// "7 findings: 1 error, 4 warning, 2 info"
[[nodiscard]] std::string index_counts_line(const AdvisorResult& result);
// What `indexes --verify` measured of a finding's drop.
[[nodiscard]] std::string index_measured_line(const Finding::Measured& measured);

}  // namespace sqlmeasure
