#pragma once
// What capture's tests read off a log's events, and events made into screens (the builder
// fed by hand, without the pipeline's threads).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sqlmeasure/capture.h"

namespace sqlmeasure::testing {

inline std::vector<std::string> texts(const std::vector<LogEvent>& events) {
  std::vector<std::string> out;
  for (const LogEvent& event : events) out.push_back(event.text);
  return out;
}

inline std::vector<std::string> commands(const std::vector<LogEvent>& events) {
  std::vector<std::string> out;
  for (const LogEvent& event : events) out.push_back(event.command);
  return out;
}

inline std::vector<std::uint64_t> threads(const std::vector<LogEvent>& events) {
  std::vector<std::uint64_t> out;
  for (const LogEvent& event : events) out.push_back(event.thread);
  return out;
}

inline CaptureResult capture(const std::vector<LogEvent>& events, CaptureOptions options = {}) {
  CaptureBuilder builder(std::move(options));
  for (const LogEvent& event : events) builder.add(event);
  return builder.finish();
}

}  // namespace sqlmeasure::testing
