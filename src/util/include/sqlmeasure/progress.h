#pragma once
// How far a long piece of work is, as it reports it to whoever shows it (the cli's progress
// line): the runner's phases, the schema reader, capture's logs.
#include <cstddef>
#include <functional>
#include <string>

namespace sqlmeasure {

struct Progress {
  std::string phase;  // "warm-up", "inspect", "measure"
  std::size_t done = 0, total = 0;
};

using ProgressSink = std::function<void(const Progress&)>;

}  // namespace sqlmeasure
