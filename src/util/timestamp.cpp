#include "sqlmeasure/timestamp.h"

#include <ctime>

namespace sqlmeasure {

std::string utc_now(TimestampFormat format) {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  const char* pattern =
      format == TimestampFormat::kIso8601 ? "%Y-%m-%dT%H:%M:%SZ" : "%Y%m%d-%H%M%S";
  std::strftime(text, sizeof text, pattern, &parts);
  return text;
}

}  // namespace sqlmeasure
