#include "event_pipeline.h"

#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// Events per batch, and batches waiting in each queue at most.
constexpr std::size_t kBatchEvents = 1024;
constexpr std::size_t kQueuedBatches = 8;

}  // namespace

EventPipeline::EventPipeline(CaptureBuilder& builder)
    : builder_(builder),
      reader_(builder.statement_reader()),
      reading_([this] { read_statements(); }),
      building_([this] { build(); }) {}

EventPipeline::~EventPipeline() {
  {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
    closed_[kRead] = closed_[kBuild] = true;
    queues_[kRead].clear();
    queues_[kBuild].clear();
  }
  changed_.notify_all();
  if (reading_.joinable()) reading_.join();
  if (building_.joinable()) building_.join();
}

void EventPipeline::add(LogEvent&& event) {
  if (filling_.events.size() < kBatchEvents) {
    filling_.events.resize(kBatchEvents);
    filling_.statements.resize(kBatchEvents);
    filling_.read.resize(kBatchEvents);
  }
  // The event takes the place of one added before, whose memory is freed here, on the thread
  // that made it (a free from another thread costs a lock).
  filling_.events[filling_.size++] = std::move(event);
  if (filling_.size >= kBatchEvents) send();
}

void EventPipeline::end_of_log() {
  filling_.end_of_log = true;
  send();
}

void EventPipeline::send() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queues_[kRead].size() < kQueuedBatches || stopped_; });
  if (failure_) std::rethrow_exception(failure_);
  if (stopped_) return;
  queues_[kRead].push_back(std::move(filling_));
  filling_ = Batch{};
  if (!used_.empty()) {  // a batch the builder is done with is filled again
    filling_ = std::move(used_.back());
    used_.pop_back();
  }
  lock.unlock();
  changed_.notify_all();
  filling_.size = 0;
  filling_.end_of_log = false;
}

void EventPipeline::finish() {
  if (filling_.size > 0 || filling_.end_of_log) send();
  {
    const std::lock_guard lock(mutex_);
    closed_[kRead] = true;
  }
  changed_.notify_all();
  reading_.join();
  building_.join();
  if (failure_) std::rethrow_exception(failure_);
}

bool EventPipeline::take(Stage stage, Batch& batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !queues_[stage].empty() || closed_[stage] || stopped_; });
  if (stopped_ || queues_[stage].empty()) return false;
  batch = std::move(queues_[stage].front());
  queues_[stage].pop_front();
  lock.unlock();
  changed_.notify_all();
  return true;
}

void EventPipeline::pass(Stage stage, Batch&& batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queues_[stage].size() < kQueuedBatches || stopped_; });
  if (stopped_) return;
  queues_[stage].push_back(std::move(batch));
  lock.unlock();
  changed_.notify_all();
}

void EventPipeline::fail(std::exception_ptr failure) {
  {
    const std::lock_guard lock(mutex_);
    if (!failure_) failure_ = std::move(failure);
    stopped_ = true;
    queues_[kRead].clear();
    queues_[kBuild].clear();
  }
  changed_.notify_all();
}

void EventPipeline::read_statements() {
  try {
    for (Batch batch; take(kRead, batch);) {
      for (std::size_t i = 0; i < batch.size; ++i) {
        const LogEvent& event = batch.events[i];
        batch.read[i] = iequals(event.command, "Query") || iequals(event.command, "Execute");
        if (batch.read[i]) reader_.read(event, batch.statements[i]);
      }
      pass(kBuild, std::move(batch));
    }
  } catch (...) {
    fail(std::current_exception());
  }
  {
    const std::lock_guard lock(mutex_);
    closed_[kBuild] = true;
  }
  changed_.notify_all();
}

void EventPipeline::build() {
  try {
    for (Batch batch; take(kBuild, batch);) {
      for (std::size_t i = 0; i < batch.size; ++i) {
        builder_.add(batch.events[i], batch.read[i] ? &batch.statements[i] : nullptr);
      }
      if (batch.end_of_log) builder_.end_of_log();
      const std::lock_guard lock(mutex_);
      if (used_.size() < kQueuedBatches) used_.push_back(std::move(batch));
    }
  } catch (...) {
    fail(std::current_exception());
  }
}

}  // namespace sqlmeasure
