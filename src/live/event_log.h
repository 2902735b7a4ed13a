#pragma once
// What happened to the server, in order: kept for the outcome and, when someone listens,
// said at once — a user waiting for an undo must not wait for the end to hear of it.
// Private to src/live/.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sqlmeasure/live_compare.h"

namespace sqlmeasure {

class EventLog {
 public:
  using Listener = std::function<void(EventLevel, const std::string&)>;
  EventLog(std::vector<std::string>& events, Listener listener)
      : events_(events), listener_(std::move(listener)) {}
  // A listener that hears every event alike (recover says all it does).
  EventLog(std::vector<std::string>& events, const std::function<void(const std::string&)>& all)
      : events_(events) {
    if (all) listener_ = [all](EventLevel, const std::string& event) { all(event); };
  }

  void say(std::string event) { tell(EventLevel::kPhase, std::move(event)); }
  void warn(std::string event) { tell(EventLevel::kWarning, std::move(event)); }
  void detail(std::string event) { tell(EventLevel::kDetail, std::move(event)); }
  void tell(EventLevel level, std::string event) {
    if (listener_) listener_(level, event);
    events_.push_back(std::move(event));
  }

 private:
  std::vector<std::string>& events_;
  Listener listener_;
};

}  // namespace sqlmeasure
