#include "event_pipeline.h"

namespace sqlmeasure {
namespace {

// Events per batch, and batches waiting at most.
constexpr std::size_t kBatchEvents = 1024;
constexpr std::size_t kQueuedBatches = 8;
// The counting thread, once it has emptied the queue, sleeps until this many batches wait (or
// the log ends): waking a thread on another core cost the reading thread 4 % of its time when
// it was done for every batch, and the counting thread has time to spare.
constexpr std::size_t kWakeBatches = 4;

}  // namespace

EventPipeline::EventPipeline(CaptureBuilder& builder)
    : builder_(builder), reader_(builder.statement_reader()), building_([this] { build(); }) {}

EventPipeline::~EventPipeline() {
  {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
    closed_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (building_.joinable()) building_.join();
}

void EventPipeline::add(const LogEvent& event) {
  if (filling_.events.size() < kBatchEvents) filling_.events.resize(kBatchEvents);
  if (filling_.size == 0) filling_.buffer.clear();
  reader_.read(event, filling_.events[filling_.size++], filling_.buffer);
  if (filling_.size >= kBatchEvents) send();
}

void EventPipeline::end_of_log() {
  filling_.end_of_log = true;
  send();
}

void EventPipeline::send() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < kQueuedBatches || stopped_; });
  if (failure_) std::rethrow_exception(failure_);
  if (stopped_) return;
  const bool ends_log = filling_.end_of_log;
  queue_.push_back(std::move(filling_));
  filling_ = Batch{};
  if (!used_.empty()) {  // a batch the builder is done with is filled again
    filling_ = std::move(used_.back());
    used_.pop_back();
  }
  const bool wake = builder_waits_ && (queue_.size() >= kWakeBatches || ends_log);
  lock.unlock();
  if (wake) changed_.notify_all();
  filling_.size = 0;
  filling_.end_of_log = false;
}

void EventPipeline::finish() {
  if (filling_.size > 0 || filling_.end_of_log) send();
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
  building_.join();
  if (failure_) std::rethrow_exception(failure_);
}

bool EventPipeline::take(Batch& batch) {
  std::unique_lock lock(mutex_);
  if (queue_.empty()) {
    builder_waits_ = true;
    changed_.wait(lock, [&] {
      return queue_.size() >= kWakeBatches || (!queue_.empty() && queue_.back().end_of_log) ||
             closed_ || stopped_;
    });
    builder_waits_ = false;
  }
  if (stopped_ || queue_.empty()) return false;
  batch = std::move(queue_.front());
  queue_.pop_front();
  lock.unlock();
  changed_.notify_all();
  return true;
}

void EventPipeline::fail(std::exception_ptr failure) {
  {
    const std::lock_guard lock(mutex_);
    if (!failure_) failure_ = std::move(failure);
    stopped_ = true;
    queue_.clear();
  }
  changed_.notify_all();
}

void EventPipeline::build() {
  try {
    for (Batch batch; take(batch);) {
      for (std::size_t i = 0; i < batch.size; ++i) builder_.add(batch.events[i], batch.buffer);
      if (batch.end_of_log) builder_.end_of_log();
      const std::lock_guard lock(mutex_);
      if (used_.size() < kQueuedBatches) used_.push_back(std::move(batch));
    }
  } catch (...) {
    fail(std::current_exception());
  }
}

}  // namespace sqlmeasure
