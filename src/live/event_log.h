#pragma once
// What happened to the server, in order: kept for the outcome and, when someone listens,
// said at once — a user waiting for an undo must not wait for the end to hear of it.
// Private to src/live/.
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace sqlmeasure {

class EventLog {
 public:
  EventLog(std::vector<std::string>& events, std::function<void(const std::string&)> listener)
      : events_(events), listener_(std::move(listener)) {}

  void say(std::string event) {
    if (listener_) listener_(event);
    events_.push_back(std::move(event));
  }

 private:
  std::vector<std::string>& events_;
  std::function<void(const std::string&)> listener_;
};

}  // namespace sqlmeasure
