#pragma once
// Text helpers every module shares: ASCII case that leaves bytes >= 0x80 alone (std::toupper
// on a plain char is undefined for them), comma lists, "did you mean", and user text quoted
// in a message.
#include <string>
#include <string_view>
#include <vector>

namespace sqlmeasure {

// Only 'a'..'z' / 'A'..'Z' change: UTF-8 and binary bytes pass through untouched.
[[nodiscard]] std::string ascii_upper(std::string_view text);
[[nodiscard]] std::string ascii_lower(std::string_view text);
// Inline, the same case first: a log's commands ("Query") are compared with it per statement.
[[nodiscard]] bool iequals_folded(std::string_view a, std::string_view b);
[[nodiscard]] inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a == b || iequals_folded(a, b));
}

// "a,b, c" -> {"a", "b", "c"}: items trimmed, empty ones dropped.
[[nodiscard]] std::vector<std::string> split_list(const std::string& text);

// The items joined by `separator`.
[[nodiscard]] std::string join(const std::vector<std::string>& items,
                               std::string_view separator = ", ");

// The closest candidate to `name` by edit distance, or empty if none is close.
[[nodiscard]] std::string did_you_mean(const std::string& name,
                                       const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" for the closest candidate, or empty.
[[nodiscard]] std::string did_you_mean_hint(const std::string& name,
                                            const std::vector<std::string>& candidates);

// Text from a file or a server made safe for a terminal, whole: tabs and line breaks become
// spaces, other control bytes (an escape sequence could repaint the screen) \xNN.
[[nodiscard]] std::string without_control_bytes(std::string_view text);

// SQL (or any text) on one line: each run of blanks and line breaks one space, none at either
// end.
[[nodiscard]] std::string one_line(std::string_view text);

// User text quoted in a message, kept to one short line: control bytes escaped as \xNN and
// the middle of a text longer than 80 bytes left out.
[[nodiscard]] std::string printable(std::string_view text);

// The length of the UTF-8 sequence starting at text[i], or 0 when it is not valid there (a NUL
// byte, an overlong form or a surrogate included).
[[nodiscard]] std::size_t utf8_length(std::string_view text, std::size_t i);
// Every byte is part of a valid UTF-8 sequence, and none is NUL.
[[nodiscard]] bool is_utf8(std::string_view text);
// Hex digits, an even number of them (bytes): what X'...' may hold.
[[nodiscard]] bool is_hex_bytes(std::string_view text);
// The bytes as upper-case hex digits.
[[nodiscard]] std::string hex_of(std::string_view bytes);

}  // namespace sqlmeasure
