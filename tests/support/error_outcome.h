#pragma once
// What a piece of work did with sqlmeasure's errors: whether it threw one, its exit code and
// message; for tests that check a refusal's words and code together.
#include <string>

#include "sqlmeasure/error.h"

namespace sqlmeasure::testing {

struct Outcome {
  bool threw = false;
  ExitCode code = ExitCode::kOk;
  std::string message;
};

template <typename Work>
Outcome outcome_of(Work&& work) {
  try {
    work();
  } catch (const Error& error) {
    return {true, error.code(), error.what()};
  }
  return {};
}

}  // namespace sqlmeasure::testing
