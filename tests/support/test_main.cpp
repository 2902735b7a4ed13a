// The test binary's main: Catch2, with this run's own journal directory, so that no test
// reads or leaves a journal where a real run (or another test run) keeps its own.
#define CATCH_CONFIG_RUNNER
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

int main(int argc, char* argv[]) {
  std::string pattern = (std::filesystem::temp_directory_path() / "sqlm-journals-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  const bool own = getenv("SQLMEASURE_JOURNAL_DIR") == nullptr && mkdtemp(buffer.data()) != nullptr;
  if (own) setenv("SQLMEASURE_JOURNAL_DIR", buffer.data(), 1);
  const int result = Catch::Session().run(argc, argv);
  if (own) {
    std::error_code ignored;
    std::filesystem::remove_all(buffer.data(), ignored);
  }
  return result;
}
