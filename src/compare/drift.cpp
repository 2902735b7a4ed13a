// A-B-A bracketing (docs/verdicts.md, "Drift"). Phases of a live compare run one after
// another, so a machine that slows down between them would otherwise read as a regression.
#include <fmt/format.h>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/render.h"

namespace sqlmeasure {
namespace {

const QueryComparison* find_query(const ScreenComparison& screen, const std::string& name) {
  for (const QueryComparison& query : screen.queries) {
    if (query.name == name) return &query;
  }
  return nullptr;
}

const ScreenComparison* find_screen(const Comparison& comparison, const std::string& name) {
  for (const ScreenComparison& screen : comparison.screens) {
    if (screen.name == name) return &screen;
  }
  return nullptr;
}

// Keeps `time`'s verdict only if `other` reached the same one; returns true if dropped.
bool confirm(TimeEvidence& time, const TimeEvidence& other) {
  if (time.change == Change::kUnchanged || time.change == other.change) return false;
  time.change = Change::kUnchanged;
  return true;
}

}  // namespace

void confirm_with_second_baseline(Comparison& comparison, const Comparison& second) {
  std::string dropped;
  for (ScreenComparison& screen : comparison.screens) {
    const ScreenComparison* other = find_screen(second, screen.name);
    if (other == nullptr || screen.presence != Presence::kBoth) continue;
    std::string label = screen.name + " " + format_percent(screen.time.ratio);
    bool screen_dropped = confirm(screen.time, other->time);
    for (QueryComparison& query : screen.queries) {
      const QueryComparison* other_query = find_query(*other, query.name);
      std::string query_label = screen.name + "/" + query.name + " " + format_percent(query.time.ratio);
      if (other_query != nullptr && confirm(query.time, other_query->time)) {
        dropped += (dropped.empty() ? "" : ", ") + query_label;
      }
    }
    if (screen_dropped) dropped += (dropped.empty() ? "" : ", ") + label;
  }
  if (!dropped.empty()) {
    comparison.warnings.push_back(
        "drift: not flagged because before-again (measured after the rollback) does not "
        "confirm it: " + dropped);
  }
  comparison.resort();
}

}  // namespace sqlmeasure
