#pragma once
// Events handed along three threads, in order and in batches (docs/performance.md,
// "capture"): the caller's reads and parses the log; a second reads each statement (its
// template, values, comments); a third attributes statements to requests and counts them.
// On two cores the three share the work about evenly. Private to src/capture/ and the capture
// command.
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "sqlmeasure/capture.h"
#include "statement_reader.h"

namespace sqlmeasure {

class EventPipeline {
 public:
  // Starts the threads that read statements and add them to `builder`; nothing else may use
  // the builder until finish() returns.
  explicit EventPipeline(CaptureBuilder& builder);
  // Stops the threads (events not added yet are dropped): for an exit by exception.
  ~EventPipeline();
  EventPipeline(const EventPipeline&) = delete;
  EventPipeline& operator=(const EventPipeline&) = delete;

  void add(LogEvent&& event);
  // CaptureBuilder::end_of_log, after the events added so far.
  void end_of_log();
  // Waits until every event is added; rethrows what a thread threw.
  void finish();

 private:
  struct Batch {
    std::vector<LogEvent> events;
    std::vector<ReadStatement> statements;  // each event read (buffers reused)
    std::vector<bool> read;                 // whether it is a statement, read
    std::size_t size = 0;                   // events in use
    bool end_of_log = false;                // after its events
  };
  enum Stage { kRead, kBuild };  // the queue a batch waits in
  void send();
  // Takes the next batch of `stage`'s queue; false when there is none and none will come.
  bool take(Stage stage, Batch& batch);
  void pass(Stage stage, Batch&& batch);
  void fail(std::exception_ptr failure);
  void read_statements();
  void build();

  CaptureBuilder& builder_;
  StatementReader& reader_;  // the builder's, used by the reading thread only until finish()
  Batch filling_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queues_[2];
  bool closed_[2] = {false, false};  // no batch will come to that queue
  std::vector<Batch> used_;          // added, to be emptied and filled again
  bool stopped_ = false;             // a thread failed, or the pipeline is torn down
  std::exception_ptr failure_;
  std::thread reading_, building_;
};

}  // namespace sqlmeasure
