// Which time changes the change can have caused (docs/verdicts.md, "Touched by the change").
// A query that reads none of the tables a migration alters keeps its plan and its rows; if
// it still reads slower, something beside it did that — a neighbour that now scans 300k
// rows leaves the caches cold — and that is no verdict on the change.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "evidence.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

bool altered(const ChangeRecord& change, const std::string& table) {
  const std::string name = ascii_lower(table);
  return std::find(change.tables.begin(), change.tables.end(), name) != change.tables.end();
}

bool names_a_table_of(const QueryResult& query, const ChangeRecord& change) {
  const QueryShape shape = read_query_shape(query.sql);
  for (const TableReference& reference : shape.tables) {
    if (altered(change, reference.table)) return true;
  }
  for (const PlanRow& row : query.plan) {
    if (altered(change, row.table)) return true;
  }
  return false;
}

// The screen total's change is borne out by one of its touched queries: the same effect on
// its own (significance aside: a total can be significant where no part is), or a plan or
// rows change.
bool total_borne_out(const ScreenComparison& screen, const VerdictRule& rule) {
  return std::any_of(screen.queries.begin(), screen.queries.end(), [&](const QueryComparison& q) {
    if (!q.touched) return false;
    return effect(q.time.ratio, q.time.delta_ms, rule) == screen.time.change ||
           !q.plan_changes.empty() || q.rows.change != Change::kUnchanged;
  });
}

}  // namespace

bool reads_a_table_of(const QueryResult& before, const QueryResult& after,
                      const ChangeRecord& change) {
  return names_a_table_of(before, change) || names_a_table_of(after, change);
}

void attribute_time_changes(Comparison& comparison) {
  std::string set_aside;
  for (ScreenComparison& screen : comparison.screens) {
    if (screen.presence != Presence::kBoth) continue;
    const bool touched = screen.touched();
    if (screen.time.change != Change::kUnchanged &&
        (!touched || !total_borne_out(screen, comparison.rule))) {
      set_aside += fmt::format("{}{} {}", set_aside.empty() ? "" : ", ", screen.name,
                               format_percent(screen.time.ratio));
      screen.time.change = Change::kUnchanged;
    }
    // Under a screen flagged for another reason an untouched query shows, marked time only,
    // and flags nothing (time_is); under an unflagged one it is set aside too.
    if (screen.verdict() != Verdict::kUnchanged) continue;
    for (QueryComparison& query : screen.queries) {
      if (query.touched || query.time.change == Change::kUnchanged) continue;
      set_aside += fmt::format("{}{}/{} {}", set_aside.empty() ? "" : ", ", screen.name, query.name,
                               format_percent(query.time.ratio));
      query.time.change = Change::kUnchanged;
    }
  }
  if (set_aside.empty()) return;
  comparison.warnings.push_back(
      {WarningKind::kUntouched,
       "untouched: not flagged because none of their queries that read a table the change "
       "alters changed: " +
           set_aside,
       "heavier queries beside them can slow them; their plans and rows examined did not "
       "change"});
}

}  // namespace sqlmeasure
