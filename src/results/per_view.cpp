// A screen's latency is the sum of its queries' per view (PRODUCT.md §3): summed here only.
#include <algorithm>
#include <cstdint>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

std::vector<std::int64_t> per_view_samples(const std::vector<QueryResult>& queries) {
  if (queries.empty()) return {};
  auto executions = [](const QueryResult& query) {
    return static_cast<std::size_t>(std::max(1, query.executions_per_view));
  };
  std::size_t views = SIZE_MAX;
  for (const QueryResult& query : queries) {
    views = std::min(views, query.samples_ns.size() / executions(query));
  }
  std::vector<std::int64_t> sums(views, 0);
  for (const QueryResult& query : queries) {
    const std::size_t per_view = executions(query);
    // A version-1 sample stands for all `times` executions of its view; since version 2 each
    // execution has its own.
    const std::int64_t scale = per_view == 1 ? query.times : 1;
    for (std::size_t i = 0; i < views; ++i) {
      for (std::size_t k = 0; k < per_view; ++k) {
        sums[i] += query.samples_ns[i * per_view + k] * scale;
      }
    }
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
