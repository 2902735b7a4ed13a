#pragma once
// Events handed from the thread that reads a log to one that builds the screens, in order and
// in batches: reading and parsing the log, and reading each statement (its template, values
// and tags) take one core; attributing statements to requests and counting, another
// (docs/performance.md, "capture"). Private to src/capture/ and the capture command.
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "capture/statement_reader.h"
#include "sqlmeasure/capture.h"

namespace sqlmeasure {

class EventPipeline {
 public:
  // Starts the thread that adds events to `builder`; nothing else may use the builder until
  // finish() returns.
  explicit EventPipeline(CaptureBuilder& builder);
  // Stops the thread (events not added yet are dropped): for an exit by exception.
  ~EventPipeline();
  EventPipeline(const EventPipeline&) = delete;
  EventPipeline& operator=(const EventPipeline&) = delete;

  void add(LogEvent&& event);
  // CaptureBuilder::end_of_log, after the events added so far.
  void end_of_log();
  // Waits until every event is added; rethrows what the builder threw.
  void finish();

 private:
  struct Batch {
    std::vector<LogEvent> events;
    std::vector<ReadStatement> statements;  // each event read (buffers reused)
    std::vector<bool> read;                 // whether it is a statement, read
    std::size_t size = 0;                   // events in use
    bool end_of_log = false;                // after its events
  };
  void send();
  void run();

  CaptureBuilder& builder_;
  StatementReader& reader_;  // the builder's, used by this thread only until finish()
  Batch filling_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;
  std::vector<Batch> used_;  // added, to be emptied and filled again by the reading thread
  bool closed_ = false;      // no batch will come
  bool stopped_ = false;     // the builder thread ended (done, failed or stopped)
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace sqlmeasure
