#pragma once
// A unified-style line diff of two texts, for golden test failures: enough to see what
// changed, not a patch tool.
#include <cstddef>
#include <string>

namespace sqlmeasure::testing {

// Hunks of `-expected` / `+actual` lines with `context` lines around them, each line
// prefixed by `indent`; at most `max_lines` lines (then "..."). Empty when equal.
[[nodiscard]] std::string line_diff(const std::string& expected, const std::string& actual,
                                    const std::string& indent = "    ", std::size_t context = 3,
                                    std::size_t max_lines = 60);

}  // namespace sqlmeasure::testing
