#pragma once
// Why a comparison may not mean what it seems: the two runs differ in something other
// than the migration. Private to src/compare/.
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"

namespace sqlmeasure {

// Incomplete runs, differing run settings, differing servers.
[[nodiscard]] std::vector<Warning> run_warnings(const RunResult& before, const RunResult& after);

// One matched query: differing parameter values, SQL text or times per view.
[[nodiscard]] std::vector<Warning> query_warnings(const std::string& screen,
                                                  const QueryResult& before,
                                                  const QueryResult& after);

}  // namespace sqlmeasure
