// The number formats the index report and its findings share (util/number_text.cpp).
#include "sqlmeasure/number_text.h"

#include <catch2/catch.hpp>
#include <limits>

namespace sqlmeasure {

TEST_CASE("counts in full with commas, sizes in binary units, factors with ×", "[unit][util]") {
  CHECK(format_thousands(0) == "0");
  CHECK(format_thousands(999) == "999");
  CHECK(format_thousands(1000) == "1,000");
  CHECK(format_thousands(12672606) == "12,672,606");
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(16384) == "16 KiB");
  CHECK(format_bytes(1572864) == "1.5 MiB");
  CHECK(format_bytes(3ULL << 30) == "3.0 GiB");
  CHECK(format_factor(40.2) == "40×");
  CHECK(format_factor(3.14) == "3.1×");
  CHECK(format_factor(std::numeric_limits<double>::infinity()) == "∞×");
}

}  // namespace sqlmeasure
