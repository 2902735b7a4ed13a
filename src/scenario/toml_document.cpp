#include "toml_document.h"

#include <fmt/format.h>

#include <vector>

namespace sqlmeasure {
namespace {

// A single pass over the text that knows just enough TOML to tell where a key is: strings
// (basic, literal, multi-line), comments, table headers, inline tables and arrays.
class KeyDepthScanner {
 public:
  KeyDepthScanner(std::string_view text, const std::string& file, ExitCode code)
      : text_(text), file_(file), code_(code) {}

  void scan() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        new_line();
      } else if (c == '#') {
        skip_comment();
        continue;
      } else if (c == '"' || c == '\'') {
        skip_string(c);
        continue;
      } else {
        punctuation(c);
      }
      ++pos_;
    }
  }

 private:
  enum class Nest { kArray, kInlineTable };

  void new_line() {
    ++line_;
    line_start_ = pos_ + 1;
    // A newline ends a key=value pair at the top level (not inside an array value).
    if (nesting_.empty()) start_key();
  }

  void punctuation(char c) {
    if (c == '[' && in_key_ && parts_ == 1 && nesting_.empty() && at_line_start()) {
      // A table header ([a.b] or [[a.b]]): its key runs to the closing bracket.
      return;
    }
    if (c == '.' && in_key_) {
      if (++parts_ > kMaxTomlKeyParts) {
        fail(code_, fmt::format("{}:{}:{}: a key with more than {} dotted parts; no real key has "
                                "that many",
                                file_, line_, pos_ - line_start_ + 1, kMaxTomlKeyParts));
      }
      return;
    }
    if (c == '=' && in_key_) {
      in_key_ = false;  // the value begins
      return;
    }
    if (c == ']' && in_key_ && nesting_.empty()) {
      in_key_ = false;  // the end of a table header
      return;
    }
    if (in_key_) return;
    if (c == '[') nesting_.push_back(Nest::kArray);
    if (c == '{') {
      nesting_.push_back(Nest::kInlineTable);
      start_key();
    }
    if ((c == ']' || c == '}') && !nesting_.empty()) nesting_.pop_back();
    if (c == ',' && !nesting_.empty() && nesting_.back() == Nest::kInlineTable) start_key();
  }

  bool at_line_start() const {
    for (std::size_t i = line_start_; i < pos_; ++i) {
      if (text_[i] != ' ' && text_[i] != '\t' && text_[i] != '[') return false;
    }
    return true;
  }

  void start_key() {
    in_key_ = true;
    parts_ = 1;
  }

  void skip_comment() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  }

  // A string, quoted keys included; multi-line strings may hold newlines.
  void skip_string(char quote) {
    const bool multi_line = text_.substr(pos_, 3) == std::string(3, quote);
    pos_ += multi_line ? 3 : 1;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\\' && quote == '"') {
        pos_ += 2;
        continue;
      }
      if (c == '\n') {
        if (!multi_line) return;  // an unclosed string: toml++ will say so
        ++line_;
        line_start_ = pos_ + 1;
      }
      if (c == quote && (!multi_line || text_.substr(pos_, 3) == std::string(3, quote))) {
        pos_ += multi_line ? 3 : 1;
        return;
      }
      ++pos_;
    }
  }

  std::string_view text_;
  const std::string& file_;
  ExitCode code_;
  std::size_t pos_ = 0, line_start_ = 0;
  int line_ = 1;
  bool in_key_ = true;
  int parts_ = 1;
  std::vector<Nest> nesting_;
};

}  // namespace

void check_toml_key_depth(std::string_view text, const std::string& file, ExitCode code) {
  KeyDepthScanner(text, file, code).scan();
}

toml::table parse_toml(std::string_view text, const std::string& file, ExitCode code) {
  check_toml_key_depth(text, file, code);
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    fail(code, fmt::format("{}:{}:{}: malformed TOML: {}", file, begin.line, begin.column,
                           error.description()));
  }
}

}  // namespace sqlmeasure
