#pragma once
// The progress line long work shows on a terminal (hyperfine's model): what, how far, and
// an estimate of the time left; and the line a finished phase leaves behind.
#include <string>

#include "sqlmeasure/runner.h"

namespace sqlmeasure {

// "compare: before-1 measure 120/480 (25%), ~12 s left"; the estimate appears once the phase
// has run a second and done some of its work (`elapsed_s`: since the phase began).
[[nodiscard]] std::string progress_line(const std::string& what, const Progress& progress,
                                        double elapsed_s);

// "compare: before-1 measure: 480 in 15.2 s", kept on the terminal when a phase ends.
[[nodiscard]] std::string phase_summary(const std::string& what, const Progress& progress,
                                        double elapsed_s);

// "8 s", "2 min 05 s", "1 h 03 min".
[[nodiscard]] std::string format_time_left(double seconds);

}  // namespace sqlmeasure
