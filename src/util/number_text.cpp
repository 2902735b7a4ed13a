#include "sqlmeasure/number_text.h"

#include <fmt/format.h>

#include <cmath>

namespace sqlmeasure {

std::string format_ms(double ms) {
  if (ms >= 1000) return fmt::format("{:.0f}", ms);
  if (ms >= 100) return fmt::format("{:.1f}", ms);
  if (ms >= 10) return fmt::format("{:.2f}", ms);
  return fmt::format("{:.3f}", ms);
}

std::string format_count(std::uint64_t count) {
  if (count < 1000) return std::to_string(count);
  const double value = static_cast<double>(count);
  if (count < 10000) return fmt::format("{:.1f}k", value / 1e3);
  if (count < 1000000) return fmt::format("{:.0f}k", value / 1e3);
  if (count < 10000000) return fmt::format("{:.1f}M", value / 1e6);
  return fmt::format("{:.0f}M", value / 1e6);
}

std::string format_percent(double ratio) {
  const double percent = (ratio - 1.0) * 100.0;
  if (std::abs(percent) >= 1000) return fmt::format("{:+.0f}%", percent);
  return fmt::format("{:+.1f}%", percent);
}

std::string format_thousands(std::uint64_t count) {
  const std::string digits = std::to_string(count);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_bytes(std::uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (b >= 1024.0 * 1024 * 1024) return fmt::format("{:.1f} GiB", b / (1024.0 * 1024 * 1024));
  if (b >= 1024.0 * 1024) return fmt::format("{:.1f} MiB", b / (1024.0 * 1024));
  if (b >= 1024.0) return fmt::format("{:.0f} KiB", b / 1024.0);
  return fmt::format("{} B", bytes);
}

std::string format_factor(double factor) {
  if (!std::isfinite(factor)) return "∞×";
  if (factor >= 10) return fmt::format("{:.0f}×", factor);
  return fmt::format("{:.1f}×", factor);
}

}  // namespace sqlmeasure
