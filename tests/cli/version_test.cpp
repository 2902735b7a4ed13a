// --version: the version and the git commit of the tree built. Not a golden case: the commit
// changes with every commit (tests/package/git-commit-test checks where it comes from).
#include "sqlmeasure/version.h"

#include <catch2/catch.hpp>
#include <regex>
#include <string>

#include "support/cli_runner.h"

using namespace sqlmeasure;
using namespace sqlmeasure::testing;

TEST_CASE("sqlmeasure --version prints the version and the git commit", "[cli]") {
  const CliResult result = run_in_process({"--version"});
  CHECK(result.code == 0);
  CHECK(result.err.empty());
  const std::string commit = git_commit();
  CHECK_FALSE(commit.empty());
  CHECK(result.out == std::string("sqlmeasure ") + kVersion + " (" + commit + ")\n");
  // A hash (abbreviated, maybe -dirty), a describe of a tag, or unknown outside git.
  CHECK(std::regex_match(commit, std::regex("unknown|[0-9A-Za-z._-]+")));
}
