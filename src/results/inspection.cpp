// A query's inspection, variant by variant (docs/measurement.md, "Inspection"): the figures
// the comparison reads are totals over the variants inspected, and two sides inspected to
// different depths are compared on the variants both ran.
#include <fmt/format.h>

#include <algorithm>

#include "sqlmeasure/hash.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure {
namespace {

// Both recorded per variant, to different depths: what align_inspections cuts.
bool inspected_unlike(const QueryResult& before, const QueryResult& after) {
  return !before.variants.empty() && !after.variants.empty() &&
         before.variants.size() != after.variants.size();
}

// Calls `visit(before_query, after_query)` for each query the two screens share, by name.
template <typename Screen, typename Visit>
void for_shared_queries(Screen& before, Screen& after, Visit&& visit) {
  for (auto& query : before.queries) {
    for (auto& other : after.queries) {
      if (other.name == query.name) visit(query, other);
    }
  }
}

// The same for each screen the two runs share, by name.
template <typename Run, typename Visit>
void for_shared_screens(Run& before, Run& after, Visit&& visit) {
  for (auto& screen : before.screens) {
    for (auto& other : after.screens) {
      if (other.name == screen.name) visit(screen, other);
    }
  }
}

bool align(QueryResult& before, QueryResult& after) {
  if (!inspected_unlike(before, after)) return false;
  const std::size_t common = std::min(before.variants.size(), after.variants.size());
  before.variants.resize(common);
  after.variants.resize(common);
  total_inspection(before);
  total_inspection(after);
  return true;
}

}  // namespace

void total_inspection(QueryResult& query) {
  const std::uint64_t variants = query.variants.size();
  std::uint64_t examined = 0, sent = 0, combined = 0;
  for (const VariantInspection& variant : query.variants) {
    examined += variant.rows_examined;
    sent += variant.rows_sent;
    combined = mix64(combined ^ variant.checksum);
  }
  query.variants_inspected = static_cast<int>(variants);
  if (variants == 0) return;
  query.rows_examined = (examined + variants / 2) / variants;
  query.rows_sent = (sent + variants / 2) / variants;
  query.checksum = fmt::format("{:016x}", combined);
}

bool inspected_alike(const ScreenResult& before, const ScreenResult& after) {
  bool alike = true;
  for_shared_queries(before, after, [&alike](const QueryResult& query, const QueryResult& other) {
    alike = alike && !inspected_unlike(query, other);
  });
  return alike;
}

bool inspected_alike(const RunResult& before, const RunResult& after) {
  bool alike = true;
  for_shared_screens(before, after,
                     [&alike](const ScreenResult& screen, const ScreenResult& other) {
                       alike = alike && inspected_alike(screen, other);
                     });
  return alike;
}

bool align_inspections(ScreenResult& before, ScreenResult& after) {
  bool changed = false;
  for_shared_queries(before, after, [&changed](QueryResult& query, QueryResult& other) {
    changed = align(query, other) || changed;
  });
  if (changed) {
    before.rows_examined = rows_examined_per_view(before.queries);
    after.rows_examined = rows_examined_per_view(after.queries);
  }
  return changed;
}

bool align_inspections(RunResult& before, RunResult& after) {
  bool changed = false;
  for_shared_screens(before, after, [&changed](ScreenResult& screen, ScreenResult& other) {
    changed = align_inspections(screen, other) || changed;
  });
  return changed;
}

}  // namespace sqlmeasure
