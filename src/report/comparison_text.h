#pragma once
// The words every `compare` renderer shares (the terminal table, Markdown, HTML, CSV, JSON),
// so the formats never disagree on a verdict, a delta or what changed. Private to src/report/.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/render.h"

namespace sqlmeasure {

[[nodiscard]] const char* change_name(Change change);
// "p<0.001 n=20+20", or "-" without samples on a side.
[[nodiscard]] std::string evidence(const TimeEvidence& time);
// "+80.2%", or "-".
[[nodiscard]] std::string delta(const TimeEvidence& time);
// Worth a line under its screen: its time, rows, plan, results, warnings or errors changed.
[[nodiscard]] bool query_flagged(const QueryComparison& query);
// "Note 1105 (EXPLAIN): Cannot use key `code` part[0] for lookup: ..."
[[nodiscard]] std::string warning_text(const ServerWarning& warning);

// Which sides have figures: a screen on one side only, or a query that always failed on a
// side, has none there — null, not zero.
struct Sides {
  bool before = true, after = true;
};
[[nodiscard]] Sides sides_of(Presence presence);
[[nodiscard]] Sides sides_of(const QueryComparison& query);

// "works key category_started → (none), ref → ALL [full scan …], rows examined 2.0k → 600k,
// 0.41 → 44.3 ms (+…)": what changed in one query.
[[nodiscard]] std::string query_detail(const QueryComparison& query);
// What a screen's budget and an [[accept]] entry say of it, each a line under its queries:
// "over budget: median 61.2 > 50 ms (screens/home.toml:7:1)", "accepted until 2027-01-31
// (sqlmeasure.toml:21:1): <reason>". A budget held is left out unless `within_too`.
[[nodiscard]] std::vector<std::string> screen_notes(const ScreenComparison& screen,
                                                    bool within_too = false);
// "accepted until 2027-01-31 (sqlmeasure.toml:21:1): <reason>", or "" when not accepted.
[[nodiscard]] std::string accepted_text(const ScreenComparison& screen);
// The accepted screens, one line each: "work_search (regressed), query list: accepted until …".
[[nodiscard]] std::vector<std::string> accepted_lines(const Comparison& comparison);
// "2 of 17 screens regressed", "3 of 17 screens fail the gate (2 regressed, 1 plan changed)",
// then "; 1 accepted" when entries accept some; without `screens`: "2 screens regressed".
[[nodiscard]] std::string gate_count(const Comparison& comparison, std::optional<size_t> screens);
// How a comparison of alternating phases was judged (docs/verdicts.md).
[[nodiscard]] std::string phases_line(const Comparison& comparison);
// With --iterations auto, why each side's sampling of the screens stopped, grouped by reason:
// "sampling: before 16 precise (5–67 views), 3 at the round limit (67 views: a, b, c); after
// 3 decided (3 views: ...), 16 precise (5–62 views)". Empty for a fixed count.
[[nodiscard]] std::string sampling_line(const Comparison& comparison);
// What the DDL itself cost, or why it was not measured; empty when no change is recorded.
[[nodiscard]] std::string ddl_line(const Comparison& comparison);
// With --plans-from: "plans: 13 of 15 queries plan as production (2 differ) (the before side
// against prod.json)"; empty without.
[[nodiscard]] std::string fidelity_line(const Comparison& comparison);
// "index hint breaks: screen/query (file:line): FORCE INDEX (x) on t: ...".
[[nodiscard]] std::vector<std::string> hint_lines(const Comparison& comparison);
// "3 of 19 screens regressed (fail on: errors, time, rows; threshold +10%, ...)".
[[nodiscard]] std::string summary_line(const Comparison& comparison);
// How many screens were judged: the "of N" of the summary. Those that ran on both sides, and a
// new one held to a budget.
[[nodiscard]] size_t screens_compared(const Comparison& comparison);
// One row per screen: screen, before ms, after ms, delta, evidence, rows examined, verdict.
[[nodiscard]] Table screen_table(const Comparison& comparison);
[[nodiscard]] std::vector<std::string> screen_row(const ScreenComparison& screen);

}  // namespace sqlmeasure
