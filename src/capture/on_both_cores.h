#pragma once
// Independent jobs run on this thread and one more: the end of a capture (its queries read
// back from the counts, its files rendered) is work the counting thread left idle, and every
// millisecond of it is the user's. Private to src/capture/.
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

namespace sqlmeasure {

// Runs job(0) ... job(count - 1), each once, on this thread and one more: each takes the next
// index not taken yet, so one long job does not hold back the others. Returns when all are
// done; rethrows the first exception a job threw (the jobs not started then are not run).
template <typename Job>
void run_on_both_cores(std::size_t count, const Job& job) {
  if (count < 2) {
    for (std::size_t i = 0; i < count; ++i) job(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&] {
    try {
      for (std::size_t i = next++; i < count && !failed; i = next++) job(i);
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      failed = true;
    }
  };
  std::thread other;
  try {
    other = std::thread(work);
  } catch (const std::system_error&) {  // no thread to be had: all on this one
  }
  work();
  if (other.joinable()) other.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace sqlmeasure
