// Text in Markdown, inert: the one escaper of every Markdown sqlmeasure writes.
#include "markdown_text.h"

#include <algorithm>
#include <cctype>

#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool starts_with_ci(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  }
  return true;
}

constexpr const char* kZeroWidthSpace = "&#8203;";

}  // namespace

std::string cut_text(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  const std::string_view ellipsis = "…";
  std::size_t end = max_bytes > ellipsis.size() ? max_bytes - ellipsis.size() : 0;
  // Back to the start of a character: never half of one.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + std::string(ellipsis);
}

std::string inert_markdown(std::string_view input, std::size_t max_bytes) {
  const std::string text = cut_text(without_control_bytes(input), max_bytes);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (c) {
      case '\\':
      case '`':
      case '[':
      case ']':
      case '|':
        out += '\\';
        out += c;
        break;
      case '<':  // a tag, a closing tag, a comment or a processing instruction
        out += std::isalpha(static_cast<unsigned char>(next)) != 0 || next == '/' || next == '!' ||
                       next == '?'
                   ? "&lt;"
                   : "<";
        break;
      case '&':  // an entity (&#64; is an @ to GitHub's mention finder)
        out += std::isalpha(static_cast<unsigned char>(next)) != 0 || next == '#' ? "&amp;" : "&";
        break;
      case '@':  // @user, @org/team
        out += c;
        if (is_word(next)) out += kZeroWidthSpace;
        break;
      case '#':  // #12, owner/repo#12
        out += c;
        if (is_digit(next)) out += kZeroWidthSpace;
        break;
      case ':':  // https://, ftp://, mailto: stays readable
        out += c;
        if (next == '/' && i + 2 < text.size() && text[i + 2] == '/') out += kZeroWidthSpace;
        break;
      default:
        if ((c == 'G' || c == 'g') && starts_with_ci(text, i, "gh-") && i + 3 < text.size() &&
            is_digit(text[i + 3]) && (i == 0 || !is_word(text[i - 1]))) {
          out.append(text, i, 3);
          out += kZeroWidthSpace;
          i += 2;
          break;
        }
        if ((c == 'w' || c == 'W') && starts_with_ci(text, i, "www.") &&
            (i == 0 || !is_word(text[i - 1]))) {
          out.append(text, i, 3);
          out += kZeroWidthSpace;
          i += 2;
          break;
        }
        out += c;
    }
  }
  return out;
}

std::string markdown_code(std::string_view input, std::size_t max_bytes) {
  const std::string text = cut_text(without_control_bytes(input), max_bytes);
  std::size_t longest = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '`') {
      ++i;
      continue;
    }
    std::size_t run = 0;
    while (i < text.size() && text[i] == '`') ++run, ++i;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

}  // namespace sqlmeasure
