// A screen's latency is the sum of its queries' per view (PRODUCT.md §3): summed here only.
#include <algorithm>
#include <cstdint>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

std::vector<std::int64_t> per_view_samples(const std::vector<QueryResult>& queries) {
  if (queries.empty()) return {};
  std::size_t views = SIZE_MAX;
  for (const QueryResult& query : queries) views = std::min(views, query.samples_ns.size());
  std::vector<std::int64_t> sums(views, 0);
  for (const QueryResult& query : queries) {
    for (std::size_t i = 0; i < views; ++i) sums[i] += query.samples_ns[i] * query.times;
  }
  return sums;
}

std::uint64_t rows_examined_per_view(const std::vector<QueryResult>& queries) {
  std::uint64_t rows = 0;
  for (const QueryResult& query : queries) {
    rows += query.rows_examined * static_cast<std::uint64_t>(query.times);
  }
  return rows;
}

}  // namespace sqlmeasure
