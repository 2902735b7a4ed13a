// Progress on a terminal: the line under way with its estimate of the time left, and the
// line each finished phase leaves; nothing at all when stderr is not a terminal (CI logs).
#include <catch2/catch.hpp>
#include <sstream>

#include "cli/context.h"
#include "cli/options.h"
#include "cli/progress_line.h"

using namespace sqlmeasure;

TEST_CASE("progress: time left as a person reads it", "[unit][progress]") {
  CHECK(format_time_left(0.4) == "0 s");
  CHECK(format_time_left(8.2) == "8 s");
  CHECK(format_time_left(125) == "2 min 05 s");
  CHECK(format_time_left(3780) == "1 h 03 min");
  CHECK(format_time_left(-3) == "0 s");
}

TEST_CASE("progress: an estimate from the phase's pace, once it has one", "[unit][progress]") {
  const Progress quarter{"before-1 measure", 120, 480};
  // A quarter done in 5 s: three quarters left take 15 s.
  CHECK(progress_line("compare", quarter, 5.0) ==
        "compare: before-1 measure 120/480 (25%), ~15 s left");
  // Under a second in, the pace is mostly start-up: no estimate.
  CHECK(progress_line("compare", quarter, 0.5) == "compare: before-1 measure 120/480 (25%)");
  CHECK(progress_line("run", Progress{"warm-up", 0, 10}, 3.0) == "run: warm-up 0/10 (0%)");
  CHECK(phase_summary("compare", Progress{"after-1 measure", 480, 480}, 15.24) ==
        "compare: after-1 measure: 480 in 15.2 s");
}

TEST_CASE("progress: a terminal gets the lines, a log gets nothing", "[unit][progress]") {
  for (const bool tty : {true, false}) {
    std::ostringstream out, err;
    Invocation invocation{{}, out, err};
    invocation.err_is_tty = tty;
    const GlobalFlags flags;
    const Context context(invocation, flags);
    const auto print = progress_printer(context, "run");
    if (!tty) {
      CHECK_FALSE(print);
      continue;
    }
    REQUIRE(print);
    print(Progress{"measure", 0, 4});
    print(Progress{"measure", 4, 4});
    print(Progress{"measure", 4, 4});  // said again at the end: summed up once
    const std::string text = err.str();
    CHECK(text.find("run: measure 0/4 (0%)") != std::string::npos);
    CHECK(text.find("run: measure: 4 in ") != std::string::npos);
    CHECK(text.find("run: measure: 4 in ", text.find("run: measure: 4 in ") + 1) ==
          std::string::npos);
    CHECK(text.ends_with(" s\n"));
  }
}
