// Independent jobs on two threads (src/capture/on_both_cores.h): each once, all done before it
// returns, and a job's exception comes back to the caller.
#include "capture/on_both_cores.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

namespace sqlmeasure::testing {
namespace {

TEST_CASE("run_on_both_cores: each job once, all done when it returns", "[unit][capture]") {
  for (const std::size_t count :
       {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{1000}}) {
    CAPTURE(count);
    std::vector<std::atomic<int>> runs(count);
    run_on_both_cores(count, [&](std::size_t i) { ++runs[i]; });
    for (std::size_t i = 0; i < count; ++i) CHECK(runs[i] == 1);
  }
}

TEST_CASE("run_on_both_cores: a job's exception is the caller's; the rest are not started",
          "[unit][capture]") {
  std::atomic<int> started{0};
  CHECK_THROWS_WITH(run_on_both_cores(10'000,
                                      [&](std::size_t i) {
                                        ++started;
                                        if (i == 3) throw std::runtime_error("job 3 failed");
                                      }),
                    "job 3 failed");
  CHECK(started < 10'000);
}

}  // namespace
}  // namespace sqlmeasure::testing
