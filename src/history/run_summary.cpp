// What the history keeps of a run in its index: per screen the figures `history` draws and a
// signature of its plans, and what tells one run's endpoint and screens from another's.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sqlmeasure/hash.h"
#include "sqlmeasure/history.h"

namespace sqlmeasure {
namespace {

// The index keeps times in whole nanoseconds: the entry a run is kept as reads back the same.
double to_whole_ns(double ms) { return static_cast<double>(std::llround(ms * 1e6)) / 1e6; }

}  // namespace

std::string HistoryEntry::identity() const { return database + " at " + endpoint; }

std::string HistoryEntry::name() const {
  return label.empty() ? id : fmt::format("{} ({})", id, label);
}

const HistoryPoint* HistoryEntry::point(const std::string& screen) const {
  const auto found = std::find_if(screens.begin(), screens.end(),
                                  [&](const HistoryPoint& p) { return p.screen == screen; });
  return found == screens.end() ? nullptr : &*found;
}

std::string plan_signature(const std::vector<QueryResult>& queries) {
  std::string text;
  for (const QueryResult& query : queries) {
    text += query.name + ":";
    for (const PlanRow& row : query.plan) {
      const bool filesort = row.extra.find("Using filesort") != std::string::npos;
      const bool temporary = row.extra.find("Using temporary") != std::string::npos;
      text += fmt::format("{}|{}|{}|{}|{}{};", row.id, row.table, row.access_type, row.key,
                          filesort ? "F" : "", temporary ? "T" : "");
    }
    text += "\n";
  }
  return fmt::format("{:016x}", mix64(stable_hash(text)));
}

HistoryEntry summarize_run(const RunResult& run, const std::string& recorded_at,
                           const std::string& salt) {
  HistoryEntry entry;
  entry.recorded_at = recorded_at;
  entry.started_at = run.started_at;
  entry.label = run.label;
  entry.endpoint = run.server.endpoint;
  entry.database = run.server.database;
  entry.server = fmt::format("{} {}", flavor_name(run.server.flavor), run.server.version);
  entry.complete = run.complete;
  std::string scenarios;
  for (const ScreenResult& screen : run.screens) {
    HistoryPoint point;
    point.screen = screen.name;
    point.n = screen.stats_ms.n;
    point.median_ms = to_whole_ns(screen.stats_ms.median);
    point.p95_ms = to_whole_ns(screen.stats_ms.p95);
    point.rows_examined = screen.rows_examined;
    point.plan = plan_signature(screen.queries);
    point.error = std::any_of(screen.queries.begin(), screen.queries.end(),
                              [](const QueryResult& q) { return q.error.has_value(); });
    std::string sql = screen.name + "\n";
    for (const QueryResult& query : screen.queries) sql += query.name + "\n" + query.sql + "\n";
    point.queries = fmt::format("{:016x}", mix64(stable_hash(sql)));
    entry.screens.push_back(std::move(point));
    scenarios += sql;
  }
  entry.scenarios = fmt::format("{:016x}", mix64(stable_hash(scenarios)));
  // Its time, then a hash of the run (and of `salt`): what tells two runs of one second apart.
  std::string compact = recorded_at;
  std::erase_if(compact, [](char c) { return c == '-' || c == ':' || c == 'Z'; });
  std::replace(compact.begin(), compact.end(), 'T', '-');
  entry.id = fmt::format("{}-{:06x}", compact,
                         mix64(stable_hash(run.started_at + run.finished_at + run.label +
                                           entry.identity() + entry.scenarios + salt)) &
                             0xffffff);
  return entry;
}

}  // namespace sqlmeasure
