// Rule hint-worth: an index hint is a temporary measure that must be re-checked regularly
// (slide 35). Each hint is timed with and without it (interleaved, same parameter values)
// and its rows examined counted both ways: "still helps 40×", "now hurts: 3.1× slower than
// the optimizer's own plan", or "no measurable effect: no longer needed".
#include <fmt/format.h>

#include "evidence_text.h"
#include "rule.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  const double threshold = input.thresholds.hint_effect_ratio;
  for (const HintEvidence& hint : input.scenarios.hints) {
    if (!hint.measured && !hint.error) continue;  // not runnable: hint-index-missing says why
    const TableInfo* table = input.schema.table(hint.table);
    if (table == nullptr) continue;
    bool target_missing = false;
    for (const std::string& name : hint.indexes) {
      const IndexInfo* index = table->index(name);
      target_missing = target_missing || index == nullptr || !index->visible;
    }
    if (target_missing) continue;
    Finding finding = make_finding(info, table->name, hint.indexes.empty() ? "" : hint.indexes[0]);
    finding.evidence.push_back(fmt::format("{} in {}", hint.hint, hint.label()));
    const std::string remove_fix = "-- the query without the hint (" + hint.label() + "):\n" +
                                   one_line(hint.sql_without) + ";";
    if (!hint.measured) {
      finding.summary = fmt::format("{} could not be measured: re-check it by hand", hint.hint);
      finding.evidence.push_back(*hint.error);
      out.push_back(std::move(finding));
      continue;
    }
    const HintMeasurement& m = *hint.measured;
    const bool same_plan = m.plan_with == m.plan_without;
    const double speedup = m.with_ms > 0 ? m.without_ms / m.with_ms : 1.0;
    const double slowdown = m.without_ms > 0 ? m.with_ms / m.without_ms : 1.0;
    finding.evidence.push_back(
        fmt::format("with the hint: median {} ms, {} rows examined; without: median {} ms, {} rows "
                    "examined ({} interleaved samples each{})",
                    format_ms(m.with_ms), format_thousands(m.rows_examined_with),
                    format_ms(m.without_ms), format_thousands(m.rows_examined_without), m.samples,
                    m.variants > 1 ? fmt::format(", {} parameter variants", m.variants) : ""));
    finding.evidence.push_back("plan with the hint: " + plan_text(m.plan_with));
    finding.evidence.push_back(same_plan ? "plan without the hint: the same; the optimizer "
                                           "chooses it on its own"
                                         : "plan without the hint: " + plan_text(m.plan_without));
    if (!same_plan && speedup >= threshold) {
      finding.severity = Severity::kInfo;
      finding.summary = fmt::format("{} still helps {}: keep it, and keep re-checking", hint.hint,
                                    format_factor(speedup));
      finding.verify.push_back(
          "a hint freezes today's best plan; re-run sqlmeasure indexes as "
          "the data grows (e.g. in CI)");
    } else if (!same_plan && slowdown >= threshold) {
      finding.summary = fmt::format("{} now hurts: {} slower than the optimizer's own plan",
                                    hint.hint, format_factor(slowdown));
      finding.fix.push_back(remove_fix);
      finding.verify.push_back(
          "measure the screen before and after the edit: sqlmeasure run "
          "--screens " +
          hint.screen);
    } else {
      finding.severity = Severity::kInfo;
      finding.summary = same_plan
                            ? fmt::format(
                                  "{}: no measurable effect, the optimizer picks the same plan "
                                  "without it: the hint is no longer needed",
                                  hint.hint)
                            : fmt::format(
                                  "{}: no measurable effect ({} {} with it, under the {} "
                                  "threshold): the hint is no longer needed",
                                  hint.hint, format_factor(std::max(speedup, slowdown)),
                                  speedup >= 1 ? "faster" : "slower", format_factor(threshold));
      finding.fix.push_back(remove_fix);
      finding.verify.push_back("without the hint the optimizer can adapt when the data changes");
    }
    out.push_back(std::move(finding));
  }
}

}  // namespace

const Rule& hint_worth_rule() {
  static const Rule rule{{"hint-worth",
                          "an index hint timed with and without it: still helps, now hurts, or "
                          "no longer needed",
                          Severity::kWarning, true},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
