#pragma once
// `sqlmeasure indexes` on one connection, end to end (docs/indexes.md): the schema, what the
// screens do with its indexes when there are screens, and the rules' findings. Read-only.
#include <cstdint>
#include <string>
#include <vector>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/schema_reader.h"

namespace sqlmeasure {

struct IndexAuditOptions {
  CollectOptions collect;  // its profiling limits are the rules' (AdvisorThresholds)
  EvidenceOptions evidence;
  std::uint64_t seed = 1;           // for the parameters the screens draw with `from`
  std::string scenarios_directory;  // where the screens came from; empty: no scenarios
};

// `connection` has no database selected, so that a wrong `database` is a usage error with a
// "did you mean" rather than the server's "Unknown database"; it is USEd once the schema is
// read. Without scenarios, the rules that need them are skipped and the report says so.
[[nodiscard]] IndexReport audit_indexes(Connection& connection, const std::string& database,
                                        std::vector<Screen> screens,
                                        const IndexAuditOptions& options);

}  // namespace sqlmeasure
