#include "auto_stop.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "sqlmeasure/alternation.h"

namespace sqlmeasure {
namespace {

// What the other side measured of one screen: its first phase's inspection, and the
// per-view samples of all its phases.
struct Reference {
  ScreenResult inspection;
  std::vector<std::int64_t> views;
  bool measured = false;
};

Reference reference_for(const std::string& screen, const std::vector<RunResult>& phases) {
  Reference reference;
  for (const RunResult& phase : phases) {
    for (const ScreenResult& measured : phase.screens) {
      if (measured.name != screen) continue;
      if (!reference.measured) reference.inspection = measured;
      reference.measured = true;
      const std::vector<std::int64_t>& more = measured.view_samples();
      reference.views.insert(reference.views.end(), more.begin(), more.end());
    }
  }
  return reference;
}

}  // namespace

void precise_enough_for(const VerdictRule& rule, RunSettings::AutoIterations& auto_rule) {
  auto_rule.max_relative_half_width = rule.threshold / 2;
  auto_rule.max_absolute_half_width_ns = std::llround(rule.min_delta_ms * 1e6 / 2);
}

void split_over_phases(RunSettings& settings, int phases) {
  if (phases <= 1) return;
  settings.iterations = std::max(1, (settings.iterations + phases - 1) / phases);
  RunSettings::AutoIterations& rule = settings.auto_iterations;
  rule.min_rounds = std::max(5, (rule.min_rounds + phases - 1) / phases);
  rule.budget_s /= phases;
  rule.total_budget_s /= phases;
  const double widen = std::sqrt(static_cast<double>(phases));
  rule.max_relative_half_width *= widen;
  rule.max_absolute_half_width_ns =
      std::llround(static_cast<double>(rule.max_absolute_half_width_ns) * widen);
}

RunOptions::Decided decided_against(const std::vector<Screen>& measuring,
                                    const std::vector<RunResult>& other_side, bool measuring_before,
                                    const VerdictRule& rule) {
  if (other_side.empty()) return {};
  auto references = std::make_shared<std::vector<Reference>>();
  for (const Screen& screen : measuring)
    references->push_back(reference_for(screen.name, other_side));
  return [references, measuring_before, rule](std::size_t screen,
                                              const std::vector<ScreenSoFar>& now) {
    const Reference& other = (*references)[screen];
    if (!other.measured || now.empty()) return false;
    const ScreenSoFar& side = now.front();
    if (measuring_before) {
      return screen_decided(*side.result, side.views, other.inspection, other.views, rule);
    }
    return screen_decided(other.inspection, other.views, *side.result, side.views, rule);
  };
}

RunOptions::Decided decided_between_endpoints(const VerdictRule& rule) {
  return [rule](std::size_t, const std::vector<ScreenSoFar>& endpoints) {
    return endpoints.size() == 2 && screen_decided(*endpoints[0].result, endpoints[0].views,
                                                   *endpoints[1].result, endpoints[1].views, rule);
  };
}

}  // namespace sqlmeasure
