#pragma once
// `indexes --verify`: every index a finding proposes to drop, measured — each screen timed
// with the index IGNORED/INVISIBLE against without, by the live compare's machinery (the
// journal, the lock, the replication check, the undo on every path: docs/safety.md) —
// within a time budget. Indexes of different tables are measured together, and a batch is
// split only when something in it regresses (docs/indexes.md, "--verify").
#include <functional>
#include <string>
#include <vector>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/live_compare.h"
#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

struct IndexToDrop {
  std::string table, index;
  [[nodiscard]] std::string spec() const { return table + "." + index; }  // table.index
};

enum class DropVerdict {
  kUnchanged,    // no screen changes with the index ignored: the drop is safe for them
  kRegressed,    // a screen regressed, or a query failed: keep the index
  kNotMeasured,  // the budget ran out, or the measurement could not finish
};

struct VerifiedDrop {
  IndexToDrop drop;
  DropVerdict verdict = DropVerdict::kNotMeasured;
  // "no screen changes (17 screens, 3 alternations)", "top regressed +250 % (works key
  // deleted → (none), ref → ALL) — keep it, or change the query first", "budget".
  std::string text;
};

struct VerifyOptions {
  // The live compare each batch runs: connection, run settings, verdict rule, alternations,
  // safety flags, events. Its ignore_indexes is set per batch, its out_dir gets one
  // directory per batch (verify-1, verify-2, ...).
  LiveCompareOptions compare;
  double budget_s = 600;  // no batch starts after this many seconds
};

struct VerifyOutcome {
  std::vector<VerifiedDrop> drops;     // in the order given
  std::optional<std::string> failure;  // a batch that did not finish, with the server's state
};

[[nodiscard]] VerifyOutcome verify_drops(const std::vector<Screen>& screens,
                                         const std::vector<IndexToDrop>& drops,
                                         const VerifyOptions& options, const Connector& connect);

// `indexes --verify`: the indexes the findings propose to drop, each once, in the order found.
// A finding about an index already ignored is marked "not measured" instead: ignoring it again
// would be refused, and the optimizer does not use it anyway.
[[nodiscard]] std::vector<IndexToDrop> drops_proposed(AdvisorResult& result,
                                                      const SchemaInfo& schema);
// Each measured drop's verdict on the findings that propose it — "unchanged", "keep" (a screen
// needs it: the finding becomes info, which never fails --fail-on) or "not measured" — with
// the findings kept in order of severity.
void attach_verdicts(AdvisorResult& result, const VerifyOutcome& outcome);

}  // namespace sqlmeasure
