#pragma once
// Events handed from one thread to another, in order and in batches (docs/performance.md,
// "capture"): the caller's reads and parses the log and reads each statement (its template,
// values, comments) while its text is in that core's cache; a second attributes statements to
// requests and counts them, from what was read (it never reads a statement's text). Private to
// src/capture/ and the capture command.
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
  // Starts the thread that adds events to `builder`; nothing else may use the builder until
  // finish() returns.
  explicit EventPipeline(CaptureBuilder& builder);
  // Stops the thread (events not added yet are dropped): for an exit by exception.
  ~EventPipeline();
  EventPipeline(const EventPipeline&) = delete;
  EventPipeline& operator=(const EventPipeline&) = delete;

  // Reads the event here (its statement's template, values, tags); the builder adds what was
  // read later. The event is not kept.
  void add(const LogEvent& event);
  // CaptureBuilder::end_of_log, after the events added so far.
  void end_of_log();
  // Waits until every event is added; rethrows what a thread threw.
  void finish();

 private:
  struct Batch {
    std::vector<ReadEvent> events;  // read (buffers reused)
    std::string buffer;             // their literals and new tag comments, one after the other
    std::size_t size = 0;           // events in use
    bool end_of_log = false;        // after its events
  };
  void send();
  // Takes the next batch; false when there is none and none will come.
  bool take(Batch& batch);
  void fail(std::exception_ptr failure);
  void build();

  CaptureBuilder& builder_;
  StatementReader& reader_;  // the builder's, used by the caller's thread only until finish()
  Batch filling_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;
  bool closed_ = false;         // no batch will come
  bool builder_waits_ = false;  // for kWakeBatches batches (event_pipeline.cpp)
  std::vector<Batch> used_;     // added, to be emptied and filled again
  bool stopped_ = false;        // the builder failed, or the pipeline is torn down
  std::exception_ptr failure_;
  std::thread building_;
};

}  // namespace sqlmeasure
