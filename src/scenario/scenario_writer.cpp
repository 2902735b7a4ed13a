#include "sqlmeasure/scenario_writer.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <limits>

#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// A TOML basic string: "..." with \" \\ and control characters escaped.
std::string basic_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// SQL as a multi-line basic string when it spans lines and needs no escape there, else basic.
std::string sql_string(const std::string& sql) {
  const bool multiline = sql.find('\n') != std::string::npos;
  const bool plain = sql.find('\\') == std::string::npos &&
                     sql.find("\"\"\"") == std::string::npos &&
                     sql.find('\r') == std::string::npos && !sql.ends_with("\"");
  if (!multiline || !plain) return basic_string(sql);
  for (char c : sql) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      return basic_string(sql);
    }
  }
  return "\"\"\"\n" + sql + "\"\"\"";
}

std::string value_text(const ParamValue& value) {
  switch (value.kind) {
    case ParamValue::Kind::kNull:
      return "\"NULL\"";  // TOML has no null; no captured value is NULL (a literal stays)
    case ParamValue::Kind::kBoolean:
      return value.text == "TRUE" ? "true" : "false";
    case ParamValue::Kind::kString:
      return basic_string(value.text);
    case ParamValue::Kind::kBinary:
      return "{ hex = " + basic_string(value.text) + " }";
    case ParamValue::Kind::kInteger: {
      std::int64_t parsed = 0;
      const auto [end, error] =
          std::from_chars(value.text.data(), value.text.data() + value.text.size(), parsed);
      if (error == std::errc() && end == value.text.data() + value.text.size()) {
        return std::to_string(parsed);
      }
      return basic_string(value.text);  // beyond TOML's 64-bit integers
    }
    case ParamValue::Kind::kFloat: {
      double parsed = 0;
      const auto [end, error] =
          std::from_chars(value.text.data(), value.text.data() + value.text.size(), parsed);
      // As a TOML float only when the loader reads back the very same text.
      if (error == std::errc() && end == value.text.data() + value.text.size() &&
          fmt::format("{}", parsed) == value.text && value.text.find('.') != std::string::npos) {
        return value.text;
      }
      return basic_string(value.text);
    }
  }
  return basic_string(value.text);
}

bool is_bare_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string screen_to_toml(const Screen& screen, const std::vector<std::string>& comments) {
  std::string out;
  for (const std::string& comment : comments) {
    // One line, and UTF-8 as TOML requires: a stray byte (from a file name) becomes '?'.
    std::string line;
    for (std::size_t i = 0; i < comment.size();) {
      const std::size_t length = utf8_length(comment, i);
      if (length == 0 || comment[i] == '\n' || comment[i] == '\r' || comment[i] == 0x7f ||
          (length == 1 && static_cast<unsigned char>(comment[i]) < 0x20 && comment[i] != '\t')) {
        line += comment[i] == '\n' || comment[i] == '\r' ? ' ' : '?';
        i += length == 0 ? 1 : length;
        continue;
      }
      line.append(comment, i, length);
      i += length;
    }
    out += "# " + line + "\n";
  }
  if (!screen.description.empty())
    out += "description = " + basic_string(screen.description) + "\n";
  for (const Query& query : screen.queries) {
    out += "\n[[query]]\n";
    out += "name = " + basic_string(query.name) + "\n";
    out += "sql = " + sql_string(query.sql) + "\n";
    if (query.times != 1) out += fmt::format("times = {}\n", query.times);
    for (const auto& [name, spec] : query.params) {
      const std::string key = is_bare_key(name) ? name : basic_string(name);
      if (spec.from_sql) {
        out += fmt::format("params.{} = {{ from = {}, sample = {} }}\n", key,
                           basic_string(*spec.from_sql), spec.sample);
        continue;
      }
      out += "params." + key + " = [";
      for (std::size_t i = 0; i < spec.values.size(); ++i) {
        out += (i == 0 ? "" : ", ") + value_text(spec.values[i]);
      }
      out += "]\n";
    }
  }
  return out;
}

}  // namespace sqlmeasure
