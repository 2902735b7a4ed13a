// The history grouped as `history` shows it (history.h, group_history).
#include <algorithm>
#include <map>

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
    // Screens in the newest run's order, then those only older runs measured.
    std::vector<std::string> order;
    for (auto run = identity.runs.rbegin(); run != identity.runs.rend(); ++run) {
      for (const HistoryPoint& point : (*run)->screens) {
        if (std::find(order.begin(), order.end(), point.screen) == order.end()) {
          order.push_back(point.screen);
        }
      }
    }
    for (const std::string& screen : order) {
      ScreenSeries series;
      series.screen = screen;
      for (std::size_t i = 0; i < identity.runs.size(); ++i) {
        const HistoryPoint* point = identity.runs[i]->point(screen);
        if (point == nullptr) continue;
        series.plan_changed.push_back(!series.points.empty() &&
                                      series.points.back().plan != point->plan);
        series.runs.push_back(i);
        series.points.push_back(*point);
      }
      identity.screens.push_back(std::move(series));
    }
  }
  return out;
}

}  // namespace sqlmeasure
