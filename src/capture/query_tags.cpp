// The tags an application puts in a comment of each query (docs/capture.md, "Tagging"):
//   sqlcommenter:       /*action='show',controller='works',traceparent='00-..-..-01'*/
//                       (keys and values URL-encoded, values in single quotes, ' escaped \')
//   Rails (legacy):     /*application:Demo,controller:works,action:show*/
// Usually appended; Rails and Django can prepend. The first comment that reads as tags wins.
#include "capture/query_tags.h"

#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

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

}  // namespace

const std::string* QueryTags::get(std::string_view key) const {
  for (const auto& [name, value] : pairs) {
    if (name == key) return &value;
  }
  return nullptr;
}

std::string QueryTags::request_key() const {
  // W3C traceparent: version-traceid-parentid-flags: one request is one trace id.
  if (const std::string* trace = get("traceparent")) {
    const std::size_t first = trace->find('-');
    const std::size_t second =
        first == std::string::npos ? std::string::npos : trace->find('-', first + 1);
    if (second != std::string::npos) return "trace:" + trace->substr(first + 1, second - first - 1);
  }
  return "";
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

std::optional<QueryTags> read_query_tags(std::string_view sql) {
  for (const SqlToken& token : tokenize_sql(sql)) {
    if (token.kind != SqlToken::Kind::kComment || !token.text.starts_with("/*") ||
        token.text.starts_with("/*+") || token.text.size() < 4) {
      continue;
    }
    std::string_view body = token.text.substr(2, token.text.size() - 4);
    while (!body.empty() && body.front() == ' ') body.remove_prefix(1);
    while (!body.empty() && body.back() == ' ') body.remove_suffix(1);
    if (auto tags = sqlcommenter(body)) return tags;
    if (auto tags = rails(body)) return tags;
  }
  return std::nullopt;
}

}  // namespace sqlmeasure
