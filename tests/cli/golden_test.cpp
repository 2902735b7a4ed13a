// The CLI golden cases (support/golden_runner.h says what a case is and how to update or
// record one), and the compare fixtures they read, checked against the results writer.
#include <catch2/catch.hpp>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include "cli/compare_fixtures.h"
#include "sqlmeasure/results_file.h"
#include "support/db_fixture.h"
#include "support/golden_runner.h"
#include "support/line_diff.h"
#include "support/temp_dir.h"

using namespace sqlmeasure;
using namespace sqlmeasure::testing;
namespace fs = std::filesystem;

// First, so that an update rewrites the fixtures before the cases that read them run.
TEST_CASE("the compare fixtures are what the writer writes", "[cli]") {
  const fs::path directory = fs::path(source_dir()) / "tests" / "cli" / "data" / "results";
  const bool update = env_flag("SQLMEASURE_UPDATE_GOLDEN");
  for (const auto& [file, run] : compare_fixtures()) {
    const std::string path = (directory / file).string();
    const std::string written = results_to_json(run);
    if (update && (!exists(path) || read_text(path) != written)) write_results_file(run, path);
    const std::string checked_in = read_text(path);
    INFO(path << " is not what the writer writes now (update: SQLMEASURE_UPDATE_GOLDEN=1):\n"
              << line_diff(checked_in, written));
    const bool same = checked_in == written;
    CHECK(same);
  }
}

TEST_CASE("CLI golden cases", "[cli]") {
  GoldenSettings settings;
  settings.source = fs::path(source_dir()) / "tests" / "cli";
  settings.update = env_flag("SQLMEASURE_UPDATE_GOLDEN");
  settings.record = env_flag("SQLMEASURE_RECORD_GOLDEN");
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
  if (failed > 0 || settings.update || settings.record) {
    std::cout << "golden: " << names.size() - static_cast<std::size_t>(failed) << " passed"
              << (settings.update ? " (expectations updated)" : "")
              << (settings.record ? " (servers recorded)" : "") << ", " << failed << " failed\n";
  }
}
