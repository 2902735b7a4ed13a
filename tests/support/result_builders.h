#pragma once
// Measured runs built in memory (no server), for the tests of comparing and rendering them.
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure::testing {

inline constexpr int kSampleCount = 20;

// kSampleCount samples whose median is exactly `median_ms`, spread evenly by `step_ns` and
// visited in a scrambled order (7 is coprime with 20), like interleaved measurements.
inline std::vector<std::int64_t> samples_with_median(double median_ms,
                                                     std::int64_t step_ns = 1000) {
  std::vector<std::int64_t> out;
  const auto center = static_cast<std::int64_t>(std::llround(median_ms * 1e6));
  for (int i = 0; i < kSampleCount; ++i) {
    const int k = (i * 7) % kSampleCount;  // 0..19, each once
    out.push_back(center + step_ns * (2 * k - (kSampleCount - 1)) / 2);
  }
  return out;
}

// The screen's per-view samples and rows, as the runner stores them: sums over queries.
inline ScreenResult screen_result(std::string name, std::vector<QueryResult> queries) {
  ScreenResult s;
  s.name = std::move(name);
  for (const QueryResult& q : queries) {
    if (s.samples_ns.size() < q.samples_ns.size()) s.samples_ns.resize(q.samples_ns.size());
    for (std::size_t i = 0; i < q.samples_ns.size(); ++i) {
      s.samples_ns[i] += q.samples_ns[i] * q.times;
    }
    s.rows_examined += q.rows_examined * static_cast<std::uint64_t>(q.times);
  }
  s.queries = std::move(queries);
  return s;
}

// A run on MariaDB 10.11 of `screens` as given, its summary statistics not computed.
inline RunResult run_result(std::string label, std::vector<ScreenResult> screens) {
  RunResult r;
  r.label = std::move(label);
  r.server.flavor = Flavor::kMariaDB;
  r.server.version = "10.11.6-MariaDB-0+deb12u1";
  r.screens = std::move(screens);
  return r;
}

// run_result() with its statistics computed, as a results file holds them: what is rendered.
inline RunResult run_result_with_stats(std::string label, std::vector<ScreenResult> screens) {
  RunResult r = run_result(std::move(label), std::move(screens));
  recompute_stats(r);
  return r;
}

}  // namespace sqlmeasure::testing
