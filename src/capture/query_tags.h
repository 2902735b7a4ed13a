#pragma once
// The tags an application puts in a comment of each query: sqlcommenter and Rails' legacy
// query_log_tags (docs/capture.md, "Tagging"). Private to src/capture/.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text_hash.h"

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

// The tags of the first comment of `sql` that holds some.
[[nodiscard]] std::optional<QueryTags> read_query_tags(std::string_view sql);
// The tags one comment ("/* ... */") holds, if any.
[[nodiscard]] std::optional<QueryTags> read_query_tags_in(std::string_view comment);

// What the tags of a statement say, for grouping it into a request and a screen.
struct ReadTags {
  bool found = false;  // a comment held tags
  bool utf8 = true;
  std::string screen;  // the values of the tags that name a screen, each ended by '\x1f'
  std::string trace;   // QueryTags::request_key
  std::string text;    // QueryTags::text
};

// Reads statements' tags, once per distinct comment (a request's statements share theirs,
// traceparent and all): memory bounded, a few thousand comments remembered.
class QueryTagReader {
 public:
  // `screen_tags`: the keys that name a screen (--screen-tag); empty: controller + action,
  // else route.
  explicit QueryTagReader(std::vector<std::string> screen_tags);
  // The tags of the first of `comments` ("/* ... */", in order) that holds some.
  [[nodiscard]] ReadTags from_comments(const std::vector<std::string_view>& comments);
  // The tags of one comment (found: false when it holds none), into `out` (its buffers
  // reused: a request's comment is new, and read, once per request).
  void from_comment(std::string_view comment, ReadTags& out);
  // The tags of a statement's text.
  [[nodiscard]] ReadTags from_sql(std::string_view sql);

 private:
  [[nodiscard]] ReadTags read(const std::optional<QueryTags>& tags) const;
  [[nodiscard]] std::vector<std::string> name_values(const QueryTags& tags) const;

  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return text_hash(text); }
  };
  std::vector<std::string> screen_tags_;
  bool names_by_trace_ = false;  // --screen-tag traceparent: screens differ by it
  std::unordered_map<std::string, ReadTags, TextHash, std::equal_to<>> cache_;  // by comment
  std::string key_;  // a comment without its traceparent (buffer reused)
};

}  // namespace sqlmeasure
