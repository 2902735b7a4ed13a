// The history grouped as `history` shows it (history.h, group_history).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "sqlmeasure/history.h"
#include "sqlmeasure/number_text.h"

namespace sqlmeasure {

bool hint_pays(const HintPoint& hint) {
  return hint.measured && hint.with_ms > 0 && hint.without_ms >= hint.with_ms * kHintPaysRatio;
}

bool HintHistory::pays_now() const { return !points.empty() && hint_pays(*points.back()); }

const std::string& HintHistory::fix() const { return points.back()->sql_without; }

std::string HintHistory::finding(const std::vector<const HistoryEntry*>& all_runs) const {
  const HintPoint& last = *points.back();
  const std::string where = fmt::format("{} on {}/{}", hint, screen, query);
  if (!last.measured) return fmt::format("{}: could not be measured in the newest run", where);
  const std::string figures =
      fmt::format("with {} ms, without {} ms", format_ms(last.with_ms), format_ms(last.without_ms));
  // Runs where it could not be measured say nothing either way: left out of the counts.
  std::size_t paid = 0, measured = 0;
  for (const HintPoint* p : points) {
    measured += p->measured;
    paid += hint_pays(*p);
  }
  if (pays_now()) {
    return fmt::format("{} still pays {} ({}): paid in {} of {} run{} measured", where,
                       format_factor(last.without_ms / last.with_ms), figures, paid, measured,
                       measured == 1 ? "" : "s");
  }
  if (paid == 0) {
    return fmt::format("{} not faster in any of the {} run{} measured ({} in the newest)", where,
                       measured, measured == 1 ? "" : "s", figures);
  }
  // The first measured run of the newest streak in which it does not pay.
  std::size_t since = points.size() - 1;
  for (std::size_t k = points.size() - 1; k > 0; --k) {
    const HintPoint& before = *points[k - 1];
    if (hint_pays(before)) break;
    if (before.measured) since = k - 1;
  }
  return fmt::format("{} no longer faster since {}: {}", where, all_runs[runs[since]]->name(),
                     figures);
}

std::size_t ScreenSeries::plan_changes() const {
  return static_cast<std::size_t>(std::count(plan_changed.begin(), plan_changed.end(), true));
}

std::vector<IdentityHistory> group_history(const HistoryRead& read) {
  std::vector<IdentityHistory> out;
  std::map<std::string, std::size_t> at;  // identity → index in out, in first-seen order
  for (const HistoryEntry& run : read.runs) {
    const auto [found, added] = at.try_emplace(run.identity(), out.size());
    if (added) out.push_back({run.identity(), {}, {}, {}});
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
    // Hints likewise, by screen, query and hint.
    std::map<std::string, std::size_t> hint_of;
    for (auto run = identity.runs.rbegin(); run != identity.runs.rend(); ++run) {
      for (const HintPoint& hint : (*run)->hints) {
        const std::string key = hint.screen + "\n" + hint.query + "\n" + hint.hint;
        if (hint_of.try_emplace(key, identity.hints.size()).second) {
          identity.hints.push_back({hint.screen, hint.query, hint.hint, {}, {}});
        }
      }
    }
    for (std::size_t i = 0; i < identity.runs.size(); ++i) {
      for (const HintPoint& hint : identity.runs[i]->hints) {
        HintHistory& series =
            identity.hints[hint_of.at(hint.screen + "\n" + hint.query + "\n" + hint.hint)];
        series.runs.push_back(i);
        series.points.push_back(&hint);
      }
    }
    for (std::size_t i = 0; i < identity.runs.size(); ++i) {
      for (const HistoryPoint& point : identity.runs[i]->screens) {
        ScreenSeries& series = identity.screens[series_of.at(point.screen)];
        // Against the last point whose queries all ran: a failed EXPLAIN has no plan.
        const auto planned =
            std::find_if(series.points.rbegin(), series.points.rend(),
                         [](const HistoryPoint* p) { return !p->error && p->n > 0; });
        series.plan_changed.push_back(!point.error && point.n > 0 &&
                                      planned != series.points.rend() &&
                                      (*planned)->plan != point.plan);
        series.runs.push_back(i);
        series.points.push_back(&point);
      }
    }
  }
  return out;
}

}  // namespace sqlmeasure
