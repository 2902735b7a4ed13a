#pragma once
// Index hints checked against a changed schema, before anything is measured (docs/verdicts.md,
// "Index hints"): a hint naming an index the change drops, renames or hides breaks its query
// (error 1176), and one whose name now matches another index by prefix silently uses that one.
// Live, against the schema the server shows after each apply; offline (`check --migration`),
// against what the migration's statements do.
#include <string>
#include <vector>

#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/index_model.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/schema_change.h"

namespace sqlmeasure {

// What a hint naming an index resolves to among a table's indexes, as MariaDB and MySQL
// resolve FORCE/USE/IGNORE INDEX: the index of that name (any case) if it is visible; an
// index of that name that is ignored/invisible fails; otherwise the one visible index whose
// name starts with it (a prefix match); none, or several, fail. Optimizer hints (/*+ INDEX() */)
// take exact names only, and an unresolved one is ignored with a warning, not an error.
struct HintResolution {
  enum class Kind { kExact, kPrefix, kMissing, kAmbiguous, kHidden };
  Kind kind = Kind::kMissing;
  std::string index;  // what it resolves to (kExact, kPrefix)
  [[nodiscard]] bool resolves() const { return kind == Kind::kExact || kind == Kind::kPrefix; }
};
[[nodiscard]] HintResolution resolve_hint(const std::string& named, const TableInfo& table,
                                          bool optimizer_hint);

// Every hint of `screens` on a table of `after`, resolved against `before` and `after`: the
// ones the change breaks or redirects. A hint that already failed before is not the change's.
[[nodiscard]] std::vector<HintProblem> check_hints(const std::vector<Screen>& screens,
                                                   const SchemaInfo& before,
                                                   const SchemaInfo& after);

// The tables the hints of `screens` are on (lower case): what to read before and after.
[[nodiscard]] std::vector<std::string> hinted_tables(const std::vector<Screen>& screens);

// Offline, with no server: the hints naming an index the migration drops, renames or hides
// (its statements read with the lexer). Without the schema a prefix match cannot be ruled out,
// and the problem says so.
[[nodiscard]] std::vector<HintProblem> check_hints_offline(const std::vector<Screen>& screens,
                                                           const SchemaChange& migration);

// After a change that adds indexes (in `after`, not in `before`): each FORCE/USE INDEX of
// `screens` (parameters resolved) on such a table whose query, without the hint, would use a
// new index that it does not use with it — timed with and without the hint on `connection`
// (interleaved, same values: measure_hint), as kKeepsOff problems.
[[nodiscard]] std::vector<HintProblem> hints_keeping_off_new_indexes(
    Connection& connection, const std::vector<Screen>& screens, const SchemaInfo& before,
    const SchemaInfo& after, const HintTiming& timing);

}  // namespace sqlmeasure
