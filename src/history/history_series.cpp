// The history grouped as `history` shows it (history.h, group_history).
#include <algorithm>
#include <map>
#include <unordered_map>

#include "sqlmeasure/history.h"

namespace sqlmeasure {

std::size_t ScreenSeries::plan_changes() const {
  return static_cast<std::size_t>(std::count(plan_changed.begin(), plan_changed.end(), true));
}

std::vector<IdentityHistory> group_history(const HistoryRead& read) {
  std::vector<IdentityHistory> out;
  std::map<std::string, std::size_t> at;  // identity → index in out, in first-seen order
  for (const HistoryEntry& run : read.runs) {
    const auto [found, added] = at.try_emplace(run.identity(), out.size());
    if (added) out.push_back({run.identity(), {}, {}});
    out[found->second].runs.push_back(&run);
  }
  for (IdentityHistory& identity : out) {
    // Screens in the newest run's order, then those only older runs measured. One pass over
    // the points, each found by name in a map: runs × screens, not runs × screens².
    std::unordered_map<std::string, std::size_t> series_of;
    for (auto run = identity.runs.rbegin(); run != identity.runs.rend(); ++run) {
      for (const HistoryPoint& point : (*run)->screens) {
        if (series_of.try_emplace(point.screen, identity.screens.size()).second) {
          identity.screens.push_back({point.screen, {}, {}, {}});
        }
      }
    }
    for (std::size_t i = 0; i < identity.runs.size(); ++i) {
      for (const HistoryPoint& point : identity.runs[i]->screens) {
        ScreenSeries& series = identity.screens[series_of.at(point.screen)];
        series.plan_changed.push_back(!series.points.empty() &&
                                      series.points.back()->plan != point.plan);
        series.runs.push_back(i);
        series.points.push_back(&point);
      }
    }
  }
  return out;
}

}  // namespace sqlmeasure
