#pragma once
// The results files the compare golden cases read (tests/cli/data/results/), built as
// RunResult values and written by the real writer, so that they are always what sqlmeasure
// writes. Hand-made rather than measured, so that every verdict path shows
// deterministically:
//
//   screen              before.json -> after.json
//   work_search         list: 1 ms -> 40 ms, rows examined 2000 -> 600000, ref -> ALL (regressed)
//   top                 the same, measured again (~)
//   mypage_profile      3 ms -> 1 ms (improved)
//   help_beginner       another index, same time and rows (plan changed)
//   message_list        other rows returned (results differ)
//   old_landing         before only (removed)
//   work_search_design  after only (added)
//
// after-time-only.json: work_search 1 ms -> 1.5 ms, nothing else changed (a time-only
// regression: fails the default gates, passes --fail-on plan).
// after-incomplete.json: like before.json, interrupted after 12 of 20 iterations.
#include <string>
#include <utility>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure::testing {

// File name (in tests/cli/data/results/) and its run, in a fixed order.
[[nodiscard]] std::vector<std::pair<std::string, RunResult>> compare_fixtures();

}  // namespace sqlmeasure::testing
