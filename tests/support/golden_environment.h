#pragma once
// What a CLI golden case runs in: its directory as the working directory, and a fixed
// environment for what sqlmeasure (or the client library) reads: NO_COLOR=1, TZ=UTC,
// LANG=C.UTF-8, HOME pointing nowhere (no ~/.my.cnf), MYSQL_PWD unset. Everything is put
// back when the scope ends, also when the case fails. In-process, so the rest of the
// environment stays as the test binary found it.
#include <time.h>

#include <filesystem>
#include <optional>

#include "support/in_directory.h"
#include "support/scoped_env.h"

namespace sqlmeasure::testing {

class GoldenEnvironment {
 public:
  explicit GoldenEnvironment(const std::filesystem::path& case_dir) : directory_(case_dir) {
    ::tzset();  // TZ changed: localtime() must see it
  }
  GoldenEnvironment(const GoldenEnvironment&) = delete;
  GoldenEnvironment& operator=(const GoldenEnvironment&) = delete;

 private:
  // Members go in reverse order: this one after TZ is back, so that the C library re-reads it.
  struct TzReset {
    TzReset() = default;
    TzReset(const TzReset&) = delete;
    TzReset& operator=(const TzReset&) = delete;
    ~TzReset() { ::tzset(); }
  };

  InDirectory directory_;
  TzReset tz_reset_;
  ScopedEnv tz_{"TZ", "UTC"};
  ScopedEnv no_color_{"NO_COLOR", "1"};
  ScopedEnv lang_{"LANG", "C.UTF-8"};
  ScopedEnv home_{"HOME", "/nonexistent"};
  ScopedEnv mysql_pwd_{"MYSQL_PWD", std::nullopt};
};

}  // namespace sqlmeasure::testing
