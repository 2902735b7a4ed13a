#pragma once
// The current time in UTC, as results files and file names write it; elapsed wall time.
#include <chrono>
#include <string>

namespace sqlmeasure {

enum class TimestampFormat {
  kIso8601,   // 2026-11-25T16:36:00Z: inside results files
  kFileName,  // 20261125-163600: default names of results files and directories
};

[[nodiscard]] std::string utc_now(TimestampFormat format);

// Seconds on the monotonic clock since `start`.
[[nodiscard]] inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace sqlmeasure
