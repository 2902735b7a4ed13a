// Drift: a new run against the recent history of its database and endpoint (drift.h). The
// prediction bound is that of continuous-benchmarking tools: the next value of a series whose
// logarithm is normal, one-sided — latencies are skewed, and a log keeps the bound positive.
#include "sqlmeasure/drift.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// A whole run's slowdown is always taken out of each screen's median; the summary says it from
// this much on (less is every run's noise on a shared machine).
constexpr double kSaidRunFactor = 1.05;

// The standard normal's quantile (Acklam's rational approximation, |error| < 1.2e-9).
double normal_quantile(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -normal_quantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// Student's t quantile with `df` degrees of freedom (Cornish-Fisher expansion around the
// normal's: within 2 % from 4 degrees of freedom on, exact as df grows).
double t_quantile(double p, double df) {
  const double z = normal_quantile(p);
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df * df * df);
}

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Each plan change of `screen`'s queries from `before` (a kept run's file) to `after`, as
// compare words it.
std::vector<std::string> plan_changes(const std::string& before_path, const RunResult& after,
                                      const std::string& screen, const VerdictRule& rule) {
  std::error_code error;
  if (!std::filesystem::exists(before_path, error)) {
    return {fmt::format("(its results file {} is gone: how is not known)", before_path)};
  }
  const RunResult before = read_results_file(before_path);
  const Comparison comparison = compare_runs(before, after, rule);
  std::vector<std::string> out;
  for (const ScreenComparison& compared : comparison.screens) {
    if (compared.name != screen) continue;
    for (const QueryComparison& query : compared.queries) {
      for (const PlanChange& change : query.plan_changes) {
        const std::string causes = change.causes_text();
        out.push_back(fmt::format("{}/{}: {}{}", screen, query.name, change.describe(),
                                  causes.empty() ? "" : " [" + causes + "]"));
      }
    }
  }
  return out;
}

}  // namespace

const char* drift_kind_name(DriftKind kind) {
  switch (kind) {
    case DriftKind::kTime:
      return "time";
    case DriftKind::kRows:
      return "rows";
    case DriftKind::kPlan:
      return "plan";
  }
  return "time";
}

ScreenDrift judge_point(const HistoryPoint& point, const std::vector<const HistoryPoint*>& earlier,
                        const DriftRule& rule) {
  ScreenDrift drift;
  drift.screen = point.screen;
  drift.median_ms = point.median_ms;
  drift.rows = point.rows_examined;
  // Against the last run whose queries all ran: a failed EXPLAIN leaves no plan to compare.
  const auto planned = std::find_if(earlier.rbegin(), earlier.rend(),
                                    [](const HistoryPoint* p) { return !p->error && p->n > 0; });
  if (!point.error && point.n > 0 && planned != earlier.rend() && (*planned)->plan != point.plan) {
    drift.kinds.push_back(DriftKind::kPlan);
  }
  std::vector<const HistoryPoint*> measured;
  for (const HistoryPoint* p : earlier) {
    if (p->n > 0 && !p->error && p->median_ms > 0) measured.push_back(p);
  }
  if (measured.size() > rule.window) {
    measured.erase(measured.begin(), measured.end() - static_cast<std::ptrdiff_t>(rule.window));
  }
  drift.against = measured.size();
  if (measured.size() < rule.min_runs || point.n == 0 || point.error) return drift;
  std::vector<double> logs, medians;
  for (const HistoryPoint* p : measured) {
    logs.push_back(std::log(p->median_ms));
    medians.push_back(p->median_ms);
    drift.history_rows_max = std::max(drift.history_rows_max, p->rows_examined);
  }
  const double n = static_cast<double>(logs.size());
  double mean = 0;
  for (const double x : logs) mean += x;
  mean /= n;
  double squares = 0;
  for (const double x : logs) squares += (x - mean) * (x - mean);
  const double sd = std::sqrt(squares / (n - 1));
  drift.bound_ms = std::exp(mean + t_quantile(rule.confidence, n - 1) * sd * std::sqrt(1 + 1 / n));
  drift.history_median_ms = median_of(medians);
  const VerdictRule& verdict = rule.verdict;
  if (point.median_ms > drift.bound_ms &&
      point.median_ms > drift.history_median_ms * (1 + verdict.threshold) &&
      point.median_ms - drift.history_median_ms > verdict.min_delta_ms) {
    drift.kinds.insert(drift.kinds.begin(), DriftKind::kTime);
  }
  const std::uint64_t most = drift.history_rows_max;
  if (point.rows_examined > most && point.rows_examined - most >= verdict.min_rows_delta &&
      static_cast<double>(point.rows_examined) >
          static_cast<double>(most) * (1 + verdict.threshold)) {
    const auto at =
        drift.kinds.begin() + (drift.kinds.empty() || drift.kinds[0] != DriftKind::kTime ? 0 : 1);
    drift.kinds.insert(at, DriftKind::kRows);
  }
  return drift;
}

std::string ScreenDrift::describe() const {
  std::vector<std::string> parts;
  for (const DriftKind kind : kinds) {
    switch (kind) {
      case DriftKind::kTime:
        parts.push_back(fmt::format(
            "median {} ms above {} ms (the prediction bound of its last {} runs, whose median "
            "is {} ms: {}{})",
            format_ms(median_ms), format_ms(bound_ms * run_factor), against,
            format_ms(history_median_ms), format_percent(median_ms / history_median_ms),
            run_factor > 1 ? fmt::format("; {} beyond the whole run's {}",
                                         format_percent(median_ms / run_factor / history_median_ms),
                                         format_percent(run_factor))
                           : ""));
        break;
      case DriftKind::kRows:
        parts.push_back(fmt::format("rows examined {} above its last {} runs' most, {}",
                                    format_thousands(rows), against,
                                    format_thousands(history_rows_max)));
        break;
      case DriftKind::kPlan:
        parts.push_back(fmt::format("plan changed since {}{}", plan_since,
                                    plan_changes.empty() ? "" : ": " + join(plan_changes, "; ")));
        break;
    }
  }
  return join(parts, "; ");
}

std::size_t DriftReport::drifted() const {
  return static_cast<std::size_t>(std::count_if(screens.begin(), screens.end(),
                                                [](const ScreenDrift& s) { return s.drifted(); }));
}

bool DriftReport::any(DriftKind kind) const {
  return std::any_of(screens.begin(), screens.end(), [&](const ScreenDrift& s) {
    return std::find(s.kinds.begin(), s.kinds.end(), kind) != s.kinds.end();
  });
}

std::string DriftReport::summary() const {
  if (history_runs == 0) {
    return fmt::format("drift: nothing to judge against yet (the first run of {} in the history)",
                       identity);
  }
  std::string line =
      fmt::format("drift: {} of {} screen{} drifted, against the {} earlier run{} of {} ({} … {})",
                  drifted(), screens.size(), screens.size() == 1 ? "" : "s", history_runs,
                  history_runs == 1 ? "" : "s", identity, first_run, last_run);
  if (run_factor >= kSaidRunFactor) {
    line += fmt::format(
        "; the whole run was {} slower than its history (its screens' median change: the "
        "machine or the server, not one screen), and each screen is judged beyond that",
        format_percent(run_factor));
  }
  return line;
}

DriftReport judge_drift(const RunResult& run, const HistoryEntry& entry, const HistoryRead& history,
                        const std::string& directory, const DriftRule& rule) {
  DriftReport report;
  report.identity = entry.identity();
  std::vector<const HistoryEntry*> earlier;
  for (const HistoryEntry& kept : history.runs) {
    if (kept.identity() == entry.identity() && kept.complete && kept.id != entry.id) {
      earlier.push_back(&kept);
    }
  }
  report.history_runs = earlier.size();
  if (!earlier.empty()) {
    const std::size_t from = earlier.size() > rule.window ? earlier.size() - rule.window : 0;
    report.first_run = earlier[from]->name();
    report.last_run = earlier.back()->name();
  }
  // Each screen's earlier points: the same screen and SQL, the newest window of them.
  std::vector<std::vector<const HistoryPoint*>> points(entry.screens.size());
  std::vector<std::vector<const HistoryEntry*>> runs(entry.screens.size());
  std::vector<double> ratios;
  for (std::size_t s = 0; s < entry.screens.size(); ++s) {
    const HistoryPoint& point = entry.screens[s];
    for (auto kept = earlier.rbegin(); kept != earlier.rend() && points[s].size() < rule.window;
         ++kept) {
      const HistoryPoint* p = (*kept)->point(point.screen);
      if (p == nullptr || p->queries != point.queries) continue;
      points[s].insert(points[s].begin(), p);
      runs[s].insert(runs[s].begin(), *kept);
    }
    const ScreenDrift raw = judge_point(point, points[s], rule);
    if (raw.history_median_ms > 0 && raw.against >= rule.min_runs) {
      ratios.push_back(point.median_ms / raw.history_median_ms);
    }
  }
  if (ratios.size() >= 3) report.run_factor = std::max(1.0, median_of(ratios));
  for (std::size_t s = 0; s < entry.screens.size(); ++s) {
    const HistoryPoint& point = entry.screens[s];
    HistoryPoint adjusted = point;
    adjusted.median_ms /= report.run_factor;
    ScreenDrift drift = judge_point(adjusted, points[s], rule);
    drift.median_ms = point.median_ms;
    drift.run_factor = report.run_factor;
    if (std::find(drift.kinds.begin(), drift.kinds.end(), DriftKind::kPlan) != drift.kinds.end()) {
      std::size_t k = runs[s].size();
      while (k > 0 && (points[s][k - 1]->error || points[s][k - 1]->n == 0)) --k;
      const HistoryEntry& since = *runs[s][k - 1];  // judge_point found one
      drift.plan_since = since.name();
      try {
        drift.plan_changes =
            plan_changes((std::filesystem::path(directory) / "runs" / (since.id + ".json")), run,
                         point.screen, rule.verdict);
      } catch (const Error& error) {
        drift.plan_changes = {fmt::format("(its results file cannot be read: {})", error.what())};
      }
    }
    report.screens.push_back(std::move(drift));
  }
  return report;
}

}  // namespace sqlmeasure
