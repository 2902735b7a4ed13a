// Progress lines: a phase's share done and, from its pace so far, the time left.
#include "progress_line.h"

#include <fmt/format.h>

#include <cmath>

namespace sqlmeasure {

std::string format_time_left(double seconds) {
  const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  return fmt::format("{} h {:02} min", s / 3600, (s % 3600) / 60);
}

std::string progress_line(const std::string& what, const Progress& progress, double elapsed_s) {
  const double share =
      progress.total ? static_cast<double>(progress.done) / static_cast<double>(progress.total)
                     : 1.0;
  std::string line = fmt::format("{}: {} {}/{} ({:.0f}%)", what, progress.phase, progress.done,
                                 progress.total, 100.0 * share);
  // Too early a pace is mostly start-up (connecting, the first plans): no estimate yet.
  if (progress.done > 0 && progress.done < progress.total && elapsed_s >= 1.0) {
    line += ", ~" + format_time_left(elapsed_s * (1.0 - share) / share) + " left";
  }
  return line;
}

std::string phase_summary(const std::string& what, const Progress& progress, double elapsed_s) {
  return fmt::format("{}: {}: {} in {:.1f} s", what, progress.phase, progress.total, elapsed_s);
}

}  // namespace sqlmeasure
