#pragma once
// `run --check-hints` (docs/history.md, "Hints over time"): each FORCE/USE/IGNORE INDEX of the
// screens timed with and without it — the measurement `indexes` judges hints by — so that a
// history shows when a hint stopped paying (slide 35: a hint is temporary, observe it).
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

struct HintRecheck {
  std::string screen, query;
  std::string hint;         // as written: FORCE INDEX (created)
  std::string sql_without;  // the query without it: the fix when it no longer pays
  std::optional<HintMeasurement> measured;
  std::optional<std::string> error;  // it could not be run (with or without)
  // Faster with the hint by `ratio` or more (HintTiming's effect ratio, as `indexes` judges).
  [[nodiscard]] bool pays(double ratio) const;
  // "FORCE INDEX (created) on works_feed/feed: pays 3.1× (with 0.41 ms, without 1.27 ms)", or
  // "… does not pay (with 0.41 ms, without 0.39 ms)".
  [[nodiscard]] std::string describe(double ratio) const;
};

// Every index hint of `screens` (parameters resolved), timed with and without it on
// `connection` (read-only). A hint that cannot be run either way is kept with its error.
[[nodiscard]] std::vector<HintRecheck> recheck_hints(Connection& connection,
                                                     const std::vector<Screen>& screens,
                                                     const HintTiming& timing);

}  // namespace sqlmeasure
