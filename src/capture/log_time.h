#pragma once
// Timestamps as the servers print them in their logs, read into microseconds since the epoch.
// Private to src/capture/.
#include <cstdint>
#include <optional>
#include <string_view>

namespace sqlmeasure {

// MariaDB's `YYMMDD H:MM:SS` (the hour space-padded), local time read as UTC: only the
// differences between events matter (idle gaps, order).
[[nodiscard]] std::optional<std::int64_t> parse_mariadb_time(std::string_view text);

// MySQL's ISO 8601 `2024-05-01T10:00:00.123456Z` or with `+09:00` / `-05:00`.
[[nodiscard]] std::optional<std::int64_t> parse_iso_time(std::string_view text);

// Seconds since the epoch for a civil date and time (UTC).
[[nodiscard]] std::int64_t epoch_seconds(int year, unsigned month, unsigned day, int hour,
                                         int minute, int second);

}  // namespace sqlmeasure
