// The one checked number parser (number_parse.h), on std::from_chars: no locale, no spaces,
// no partial reads.
#include "sqlmeasure/number_parse.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

template <typename T>
std::optional<T> parse_whole(std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

[[noreturn]] void not_a_number(std::string_view text, std::string_view what, ExitCode code) {
  constexpr std::size_t kShown = 40;
  const std::string shown = printable(text.substr(0, kShown));
  fail(code,
       fmt::format("{}: '{}{}' is not a number", what, shown, text.size() > kShown ? "..." : ""));
}

}  // namespace

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  return parse_whole<std::uint64_t>(text);
}

std::optional<std::int64_t> parse_signed(std::string_view text) {
  return parse_whole<std::int64_t>(text);
}

std::optional<double> parse_decimal(std::string_view text) {
  const std::optional<double> value = parse_whole<double>(text);
  if (!value || !std::isfinite(*value)) return std::nullopt;
  return value;
}

std::uint64_t read_unsigned(std::string_view text, std::string_view what, ExitCode code) {
  const std::optional<std::uint64_t> value = parse_unsigned(text);
  if (!value) not_a_number(text, what, code);
  return *value;
}

double read_decimal(std::string_view text, std::string_view what, ExitCode code) {
  const std::optional<double> value = parse_decimal(text);
  if (!value) not_a_number(text, what, code);
  return *value;
}

}  // namespace sqlmeasure
