#pragma once
// --iterations auto in a live compare: how precise each phase must be, and when the runner
// may stop sampling a screen. Both derive from the verdict rule: sampling stops where no
// verdict can change (docs/measurement.md). Private to src/live/.
#include <vector>

#include "sqlmeasure/results.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/verdict_rule.h"

namespace sqlmeasure {

// A median known to half the smallest change the rule can flag (its threshold, its noise
// floor): a change that size then moves the median out of the interval, and more precision
// changes no verdict.
void precise_enough_for(const VerdictRule& rule, RunSettings::AutoIterations& auto_rule);

// Each side's samples are spread over its `phases`: the total stays what was asked for.
// --iterations auto aims each phase at √K × the precision, which K phases pooled reach (an
// interval's width shrinks with √n).
void split_over_phases(RunSettings& settings, int phases);

// The runner's stop rule for one phase of a live compare: screen i of `measuring` is done
// once screen_decided holds against what `other_side`'s phases measured of it so far (none
// in before-1: then nothing stops early). `measuring_before`: this phase is a before phase.
[[nodiscard]] RunOptions::Decided decided_against(const std::vector<Screen>& measuring,
                                                  const std::vector<RunResult>& other_side,
                                                  bool measuring_before, const VerdictRule& rule);

// The same between two endpoints measured together: target 0 is before, target 1 after.
[[nodiscard]] RunOptions::Decided decided_between_endpoints(const VerdictRule& rule);

}  // namespace sqlmeasure
