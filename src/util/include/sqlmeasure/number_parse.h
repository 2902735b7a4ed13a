#pragma once
// Numbers read from text that a server or a file gave: the one checked parser. The whole text
// must be the number — no space, no sign where none may be, nothing after it, not out of
// range — so that an unreadable value is reported, never silently read as 0 or as its first
// digits (number_text.h writes numbers; this reads them).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sqlmeasure/error.h"

namespace sqlmeasure {

// nullopt when `text` is not the number entirely.
[[nodiscard]] std::optional<std::uint64_t> parse_unsigned(std::string_view text);
[[nodiscard]] std::optional<std::int64_t> parse_signed(std::string_view text);
// A finite decimal: 12, -0.5, 1.5e9.
[[nodiscard]] std::optional<double> parse_decimal(std::string_view text);

// The same where anything but a number is an error: Error(`code`) "WHAT: 'TEXT' is not a
// number" (TEXT printable, cut short). `what` names where the text came from:
// "SHOW SESSION STATUS Handler_read_next", "information_schema.TABLES.TABLE_ROWS of works".
[[nodiscard]] std::uint64_t read_unsigned(std::string_view text, std::string_view what,
                                          ExitCode code = ExitCode::kRuntime);
[[nodiscard]] double read_decimal(std::string_view text, std::string_view what,
                                  ExitCode code = ExitCode::kRuntime);

}  // namespace sqlmeasure
