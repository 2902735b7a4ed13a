#pragma once
// Numbers as a reader takes them in: milliseconds with the digits that matter, counts
// rounded to k/M or in full with commas, sizes in KiB/MiB/GiB, changes as signed percentages
// or factors. Shared by every report and message.
#include <cstdint>
#include <string>

namespace sqlmeasure {

[[nodiscard]] std::string format_ms(double ms);               // 0.412, 12.35, 1234
[[nodiscard]] std::string format_count(std::uint64_t count);  // 2.0k, 600k, 1.2M
[[nodiscard]] std::string format_percent(double ratio);       // +12.3 %

[[nodiscard]] std::string format_thousands(std::uint64_t count);  // 12,672,606
[[nodiscard]] std::string format_bytes(std::uint64_t bytes);      // 512 B, 48 KiB, 1.5 MiB
[[nodiscard]] std::string format_factor(double factor);           // 40×, 3.1×, ∞×

}  // namespace sqlmeasure
