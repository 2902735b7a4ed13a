#pragma once
// Run history (docs/history.md): every run kept in a directory of plain files — its results
// file under runs/, and one line of index.jsonl with what `history` shows of it — so a cron
// job or a CI artifact holds it and nothing else needs to run.
//
//   DIR/index.jsonl         one JSON object a line, appended under DIR/.lock
//   DIR/runs/ID.json        the run's results file, as `run -o` writes it
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

inline constexpr int kHistoryIndexVersion = 1;

// One screen of one recorded run, as the index keeps it: enough to draw it over time without
// reading the run's results file.
struct HistoryPoint {
  std::string screen;
  std::size_t n = 0;  // views measured; 0 when it was not (an error, an interrupted run)
  double median_ms = 0, p95_ms = 0;
  std::uint64_t rows_examined = 0;  // per view
  // Of its queries' plans: table, access type, key and the Extra flags a plan change is made
  // of (filesort, temporary), not the rows estimate. Another value: another plan.
  std::string plan;
  bool error = false;  // a query of it failed
  // Of its queries' names and SQL: a screen whose SQL changed is another screen to drift.
  std::string queries;
  bool operator==(const HistoryPoint&) const = default;
};

// An index hint timed with and without it in a run (run --check-hints).
struct HintPoint {
  std::string screen, query, hint;  // hint as written: FORCE INDEX (created)
  std::string sql_without;          // the query without it: the fix when it no longer pays
  bool measured = false;            // false: it could not be run
  double with_ms = 0, without_ms = 0;
  std::uint64_t rows_with = 0, rows_without = 0;
  bool operator==(const HintPoint&) const = default;
};

// A hint pays when the query is this much faster with it: the factor `indexes` judges hints by.
inline constexpr double kHintPaysRatio = 1.2;
[[nodiscard]] bool hint_pays(const HintPoint& hint);

// One recorded run.
struct HistoryEntry {
  std::string id;           // 20261207-151200-3fa9c2: its time and a hash of its file
  std::string recorded_at;  // ISO 8601 UTC, when it was kept
  std::string started_at;   // the run's own
  std::string label;        // --label: a commit, a build
  // Whose figures these are: runs of one endpoint, database and set of screens' SQL are set
  // side by side (drift, `history`); others are told apart.
  std::string endpoint, database, server;  // server: "MariaDB 10.11.19-MariaDB-0+deb12u1"
  std::string scenarios;                   // a hash of every screen's queries' names and SQL
  bool complete = true;
  std::vector<HistoryPoint> screens;
  std::vector<HintPoint> hints;                // run --check-hints; none otherwise
  [[nodiscard]] std::string identity() const;  // "shop at 127.0.0.1:3306"
  [[nodiscard]] std::string name() const;      // "20261207-030012-e3b208 (nightly-41)"
  [[nodiscard]] const HistoryPoint* point(const std::string& screen) const;
  bool operator==(const HistoryEntry&) const = default;
};

// What a run is kept as: its summary and its id (the run itself is written beside it).
[[nodiscard]] HistoryEntry summarize_run(const RunResult& run, const std::string& recorded_at,
                                         const std::string& salt = "");

// The plan signature of some queries (HistoryPoint::plan).
[[nodiscard]] std::string plan_signature(const std::vector<QueryResult>& queries);

struct HistoryFilter {
  std::vector<std::string> screens;  // names or globs; empty: all
  std::string since;                 // ISO 8601 date or time: runs recorded from then on
  std::string endpoint, database;    // only runs of this endpoint, of this database ("": all)
  // Only the newest N runs of those (0: all), the others' lines never parsed: what a run's
  // drift check reads, so that a long history does not make every run slower.
  std::size_t last_runs = 0;
};

struct HistoryRead {
  std::vector<HistoryEntry> runs;     // oldest first, each with only the screens filtered in
  std::vector<std::string> warnings;  // an interrupted last line, a run file gone
};

// The history in `directory`: Error(kBadInput) for a directory that is not one, or an index
// line that does not read (naming index.jsonl:LINE:COL); a missing directory is kUsage.
[[nodiscard]] HistoryRead read_history(const std::string& directory, const HistoryFilter& filter);

// The history as `history` shows it: per database and endpoint, each screen's points over its
// runs, oldest first, with the runs where its plan changed marked.
struct ScreenSeries {
  std::string screen;
  std::vector<std::size_t> runs;            // the points' runs: indexes into IdentityHistory::runs
  std::vector<const HistoryPoint*> points;  // into the runs' entries (HistoryRead's)
  std::vector<bool> plan_changed;           // against the previous point (the first: false)
  [[nodiscard]] std::size_t plan_changes() const;
};
// One hint over the runs that checked it, and what they say of it now.
struct HintHistory {
  std::string screen, query, hint;
  std::vector<std::size_t> runs;  // indexes into IdentityHistory::runs
  std::vector<const HintPoint*> points;
  // "FORCE INDEX (created) on works_feed/feed no longer faster since RUN: with 0.41 ms, without
  // 0.39 ms", "… still pays 3.1× (with …, without …): paid in 12 of 12 runs", …
  [[nodiscard]] std::string finding(const std::vector<const HistoryEntry*>& all_runs) const;
  [[nodiscard]] bool pays_now() const;
  [[nodiscard]] const std::string& fix() const;  // the query without the hint
};

struct IdentityHistory {
  std::string identity;                   // "shop at 127.0.0.1:3306"
  std::vector<const HistoryEntry*> runs;  // oldest first
  std::vector<ScreenSeries> screens;      // in the order the newest run measured them
  std::vector<HintHistory> hints;         // in the order the newest run checked them
};
// Points into `read`, which must outlive the result.
[[nodiscard]] std::vector<IdentityHistory> group_history(const HistoryRead& read);

// Before any work: `directory` is one, or can be made (Error(kUsage) naming it otherwise).
void check_history_directory(const std::string& directory);

// Keeps `run` in `directory` (made if missing): its results file, then its index line. Returns
// its entry. `recorded_at` (ISO 8601 UTC) is when it counts as kept: now for a run just made,
// its own end for one added afterwards (`history add`). Error(kRuntime) naming the path when
// either cannot be written; the results file is not left without its line.
// `salt` tells apart two runs kept in the same second with the same label (the process and the
// clock's nanoseconds, for a run just made); empty, the id is the run's own, so that the same
// file added twice is refused (kUsage).
HistoryEntry record_run(const std::string& directory, const RunResult& run,
                        const std::string& recorded_at, std::vector<HintPoint> hints = {},
                        const std::string& salt = "");

// 2026-12-07T03:00:00Z, exactly: what the index keeps and orders by.
[[nodiscard]] bool is_utc_second(const std::string& text);

// The results file of a recorded run named by its id, a unique prefix of one, or `latest` /
// `latest~N` (N runs before the newest in the directory).
// Error(kUsage) naming what matched nothing or more than one.
[[nodiscard]] std::string recorded_run_path(const std::string& directory, const std::string& name);

// --keep: 90d (runs recorded in the last 90 days), 12w, 6m (30-day months), or N (the newest
// N runs of each database and endpoint). Error(kUsage) naming `text` otherwise.
struct Retention {
  std::optional<int> days;
  std::optional<std::size_t> runs;
};
[[nodiscard]] Retention parse_retention(const std::string& text);

struct PruneResult {
  std::size_t kept = 0, removed = 0;
  std::vector<std::string> warnings;  // as read_history's
};
// Drops the runs `keep` does not keep: their index lines (the index rewritten whole, never
// half-written) and then their files.
PruneResult prune_history(const std::string& directory, const Retention& keep,
                          const std::string& now_iso8601);

}  // namespace sqlmeasure
