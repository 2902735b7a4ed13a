// The CLI golden cases (support/golden_runner.h says what a case is and how to update one).
#include <catch2/catch.hpp>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include "support/db_fixture.h"
#include "support/golden_runner.h"
#include "support/temp_dir.h"

using namespace sqlmeasure::testing;
namespace fs = std::filesystem;

TEST_CASE("CLI golden cases", "[cli]") {
  GoldenSettings settings;
  settings.source = fs::path(source_dir()) / "tests" / "cli";
  settings.update = env_flag("SQLMEASURE_UPDATE_GOLDEN");
  // One copy for all cases: whatever they write lands there, never in the source tree.
  const TempDir scratch("golden");
  settings.scratch = fs::path(scratch.path()) / "cli";
  fs::copy(settings.source, settings.scratch, fs::copy_options::recursive);

  const std::vector<std::string> names = golden_case_names(settings.source);
  REQUIRE_FALSE(names.empty());
  int failed = 0;
  for (const std::string& name : names) {
    std::string problem;
    try {
      problem = run_golden_case(settings, name);
    } catch (const std::exception& error) {
      problem = "FAIL " + name + ": " + error.what() + "\n";
    }
    if (problem.empty()) {
      SUCCEED(name);
    } else {
      // Printed as is: Catch would wrap the diff's lines at 80 columns.
      std::cout << problem << std::flush;
      FAIL_CHECK("golden case " << name << " failed (its diff is printed above)");
      ++failed;
    }
  }
  if (failed > 0 || settings.update) {
    std::cout << "golden: " << names.size() - static_cast<std::size_t>(failed) << " passed"
              << (settings.update ? " (expectations updated)" : "")
              << ", " << failed << " failed\n";
  }
}
