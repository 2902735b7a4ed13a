#pragma once
// The tags an application puts in a comment of each query: sqlcommenter and Rails' legacy
// query_log_tags (docs/capture.md, "Tagging"). Private to src/capture/.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqlmeasure {

struct QueryTags {
  std::vector<std::pair<std::string, std::string>> pairs;  // decoded, in the comment's order
  [[nodiscard]] const std::string* get(std::string_view key) const;
  // What identifies the request across statements: "trace:<trace id>" from a traceparent,
  // else empty (statements of one thread with the same tags then make one request).
  [[nodiscard]] std::string request_key() const;
  // key='value',... without the per-request keys (traceparent, tracestate): what stays the
  // same across requests of one screen.
  [[nodiscard]] std::string text() const;
};

[[nodiscard]] std::optional<QueryTags> read_query_tags(std::string_view sql);

}  // namespace sqlmeasure
