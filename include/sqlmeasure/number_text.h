#pragma once
// Numbers as a reader takes them in: milliseconds with the digits that matter, counts
// rounded to k/M, changes as signed percentages. Shared by every report and message.
#include <cstdint>
#include <string>

namespace sqlmeasure {

[[nodiscard]] std::string format_ms(double ms);               // 0.412, 12.35, 1234
[[nodiscard]] std::string format_count(std::uint64_t count);  // 2.0k, 600k, 1.2M
[[nodiscard]] std::string format_percent(double ratio);       // +12.3 %

}  // namespace sqlmeasure
