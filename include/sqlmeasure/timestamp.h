#pragma once
// The current time in UTC, as results files and file names write it.
#include <string>

namespace sqlmeasure {

enum class TimestampFormat {
  kIso8601,   // 2026-11-25T16:36:00Z: inside results files
  kFileName,  // 20261125-163600: default names of results files and directories
};

[[nodiscard]] std::string utc_now(TimestampFormat format);

}  // namespace sqlmeasure
