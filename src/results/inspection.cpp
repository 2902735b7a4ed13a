// A query's inspection, variant by variant (docs/measurement.md, "Inspection"): the figures
// the comparison reads are totals over the variants inspected, and two sides inspected to
// different depths are compared on the variants both ran.
#include <fmt/format.h>

#include <algorithm>

#include "sqlmeasure/hash.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure {
namespace {

bool align(QueryResult& before, QueryResult& after) {
  if (before.variants.empty() || after.variants.empty() ||
      before.variants.size() == after.variants.size()) {
    return false;
  }
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

bool align_inspections(ScreenResult& before, ScreenResult& after) {
  bool changed = false;
  for (QueryResult& query : before.queries) {
    for (QueryResult& other : after.queries) {
      if (other.name == query.name) changed = align(query, other) || changed;
    }
  }
  if (changed) {
    before.rows_examined = rows_examined_per_view(before.queries);
    after.rows_examined = rows_examined_per_view(after.queries);
  }
  return changed;
}

bool align_inspections(RunResult& before, RunResult& after) {
  bool changed = false;
  for (ScreenResult& screen : before.screens) {
    for (ScreenResult& other : after.screens) {
      if (other.name == screen.name) changed = align_inspections(screen, other) || changed;
    }
  }
  return changed;
}

}  // namespace sqlmeasure
