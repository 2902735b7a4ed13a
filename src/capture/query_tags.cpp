// The tags an application puts in a comment of each query (docs/capture.md, "Tagging"):
//   sqlcommenter:       /*action='show',controller='works',traceparent='00-..-..-01'*/
//                       (keys and values URL-encoded, values in single quotes, ' escaped \')
//   Rails (legacy):     /*application:Demo,controller:works,action:show*/
// Usually appended; Rails and Django can prepend. The first comment that reads as tags wins.
#include "query_tags.h"

#include <algorithm>

#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// Distinct tag comments remembered (most differ per request, by their traceparent).
constexpr std::size_t kCachedComments = 4096;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
        hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool is_key(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key) {
    if (!(is_ascii_letter(c) || is_sql_digit(c) || c == '_' || c == '-' || c == '.' || c == '%')) {
      return false;
    }
  }
  return true;
}

// key='value',key='value'
std::optional<QueryTags> sqlcommenter(std::string_view body) {
  QueryTags tags;
  std::size_t i = 0;
  while (i < body.size()) {
    const std::size_t eq = body.find('=', i);
    if (eq == std::string_view::npos || eq + 1 >= body.size() || body[eq + 1] != '\'') {
      return std::nullopt;
    }
    const std::string_view key = body.substr(i, eq - i);
    if (!is_key(key)) return std::nullopt;
    std::string value;
    std::size_t j = eq + 2;
    for (; j < body.size() && body[j] != '\''; ++j) {
      if (body[j] == '\\' && j + 1 < body.size()) ++j;
      value += body[j];
    }
    if (j >= body.size()) return std::nullopt;  // unclosed
    tags.pairs.emplace_back(url_decoded(key), url_decoded(value));
    i = j + 1;
    if (i < body.size()) {
      if (body[i] != ',') return std::nullopt;
      ++i;
    }
  }
  if (tags.pairs.empty()) return std::nullopt;
  return tags;
}

// application:A,controller:C,action:D
std::optional<QueryTags> rails(std::string_view body) {
  QueryTags tags;
  for (const std::string& item : split_list(std::string(body))) {
    const std::size_t colon = item.find(':');
    if (colon == std::string::npos || !is_key(item.substr(0, colon))) return std::nullopt;
    tags.pairs.emplace_back(item.substr(0, colon), item.substr(colon + 1));
  }
  if (tags.pairs.empty()) return std::nullopt;
  return tags;
}

// "trace:<trace id>" from a W3C traceparent (version-traceid-parentid-flags) into `out`, else
// empty.
void assign_trace_key(std::string_view traceparent, std::string& out) {
  out.clear();
  const std::size_t first = traceparent.find('-');
  const std::size_t second =
      first == std::string_view::npos ? std::string_view::npos : traceparent.find('-', first + 1);
  if (second == std::string_view::npos) return;
  out.assign("trace:");
  out.append(traceparent.substr(first + 1, second - first - 1));
}

// The comment without the value of its one traceparent='...' tag, into `key`, and that value
// into `value`; false when there is none, more than one, or one the sqlcommenter reader would
// decode (a '%' or '\\' in it).
bool split_traceparent(std::string_view comment, std::string& key, std::string_view& value) {
  constexpr std::string_view kTag = "traceparent='";
  const std::size_t at = comment.find(kTag);
  if (at == std::string_view::npos || at < 2) return false;
  const char before = comment[at - 1];
  if (before != ',' && before != '*' && before != ' ') return false;
  const std::size_t begin = at + kTag.size();
  const std::size_t end = comment.find('\'', begin);
  if (end == std::string_view::npos || comment.find(kTag, at + 1) != std::string_view::npos) {
    return false;
  }
  value = comment.substr(begin, end - begin);
  // (not find_first_of, which searches its set once per character)
  if (std::any_of(value.begin(), value.end(), [](char c) { return c == '%' || c == '\\'; })) {
    return false;
  }
  key.assign(comment.substr(0, begin));
  key.append(comment.substr(end));
  return true;
}

}  // namespace

const std::string* QueryTags::get(std::string_view key) const {
  for (const auto& [name, value] : pairs) {
    if (name == key) return &value;
  }
  return nullptr;
}

std::string QueryTags::request_key() const {
  // W3C traceparent: version-traceid-parentid-flags: one request is one trace id.
  std::string key;
  if (const std::string* trace = get("traceparent")) assign_trace_key(*trace, key);
  return key;
}

std::string QueryTags::text() const {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (name == "traceparent" || name == "tracestate") continue;  // one per request
    if (!out.empty()) out += ',';
    out += name + "='" + value + "'";
  }
  return out;
}

std::optional<QueryTags> read_query_tags_in(std::string_view comment) {
  if (!comment.starts_with("/*") || comment.starts_with("/*+") || comment.size() < 4) {
    return std::nullopt;
  }
  std::string_view body = comment.substr(2, comment.size() - 4);
  while (!body.empty() && body.front() == ' ') body.remove_prefix(1);
  while (!body.empty() && body.back() == ' ') body.remove_suffix(1);
  if (auto tags = sqlcommenter(body)) return tags;
  return rails(body);
}

std::optional<QueryTags> read_query_tags(std::string_view sql) {
  for (const SqlToken& token : tokenize_sql(sql)) {
    if (token.kind != SqlToken::Kind::kComment) continue;
    if (auto tags = read_query_tags_in(token.text)) return tags;
  }
  return std::nullopt;
}

QueryTagReader::QueryTagReader(std::vector<std::string> screen_tags)
    : screen_tags_(std::move(screen_tags)),
      names_by_trace_(std::find(screen_tags_.begin(), screen_tags_.end(), "traceparent") !=
                      screen_tags_.end()) {}

ReadTags QueryTagReader::from_comments(const std::vector<std::string_view>& comments) {
  ReadTags tags;
  for (std::string_view comment : comments) {
    from_comment(comment, tags);
    if (tags.found) return tags;
  }
  return ReadTags{};
}

void QueryTagReader::from_comment(std::string_view comment, ReadTags& out) {
  // Each request's traceparent makes its comment new: what the tags say is kept by the
  // comment without the traceparent's value, and the trace id is read from that value.
  std::string_view trace;
  const bool split = !names_by_trace_ && split_traceparent(comment, key_, trace);
  const std::string_view key = split ? std::string_view(key_) : comment;
  auto found = cache_.find(key);
  if (found == cache_.end()) {
    if (cache_.size() >= kCachedComments) cache_.clear();
    found = cache_.emplace(key, read(read_query_tags_in(comment))).first;
  }
  const ReadTags& said = found->second;
  out.found = said.found;
  out.utf8 = said.utf8;
  out.screen.assign(said.screen);
  out.text.assign(said.text);
  if (said.found && split) {
    assign_trace_key(trace, out.trace);
  } else {
    out.trace.assign(said.trace);
  }
}

ReadTags QueryTagReader::from_sql(std::string_view sql) { return read(read_query_tags(sql)); }

ReadTags QueryTagReader::read(const std::optional<QueryTags>& tags) const {
  ReadTags read;
  if (!tags) return read;
  read.found = true;
  read.text = tags->text();
  read.utf8 = is_utf8(read.text);
  // A screen is what its naming tags say (controller and action): other tags (framework,
  // db_driver, ...) may differ from request to request.
  for (const std::string& value : name_values(*tags)) read.screen += value + '\x1f';
  read.trace = tags->request_key();
  return read;
}

// What names a screen: --screen-tag keys, else controller + action, else route.
std::vector<std::string> QueryTagReader::name_values(const QueryTags& tags) const {
  std::vector<std::string> values;
  if (!screen_tags_.empty()) {
    for (const std::string& key : screen_tags_) {
      if (const std::string* value = tags.get(key)) values.push_back(*value);
    }
    return values;
  }
  const std::string* controller = tags.get("controller");
  const std::string* action = tags.get("action");
  if (controller != nullptr && action != nullptr) return {*controller, *action};
  if (const std::string* route = tags.get("route")) return {*route};
  if (controller != nullptr) return {*controller};
  if (action != nullptr) return {*action};
  return {};
}

}  // namespace sqlmeasure
