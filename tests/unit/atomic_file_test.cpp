// Files are never half-written, and the temporary file cannot be redirected: it is created
// exclusively, so a symlink planted where it will be written is never followed.
#include "sqlmeasure/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <stdexcept>

#include "sqlmeasure/error.h"
#include "support/temp_dir.h"

namespace sqlmeasure::testing {
namespace {

namespace fs = std::filesystem;

std::size_t entries(const fs::path& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++count;
  return count;
}

TEST_CASE("a symlink planted at the temporary file's old name is not followed",
          "[unit][util][safety]") {
  TempDir dir("atomic");
  const std::string victim = dir.write("victim.txt", "precious\n");
  const std::string target = dir / "r.json";
  // The name the writer used to pick (PATH.tmp.PID), and a few others, point at the victim.
  fs::create_symlink(victim, target + ".tmp." + std::to_string(::getpid()));
  fs::create_symlink(victim, target + ".tmp");
  write_file_atomically(target, std::string("{}\n"));
  CHECK(read_text(victim) == "precious\n");
  CHECK(read_text(target) == "{}\n");
  CHECK(fs::is_regular_file(fs::symlink_status(target)));
  CHECK(entries(dir.root()) == 4);  // victim, two planted links, the result: no temporary left
}

TEST_CASE("a new file gets the usual permissions, not mkstemp's 0600", "[unit][util]") {
  TempDir dir("atomic-mode");
  const mode_t old_mask = ::umask(022);
  write_file_atomically(dir / "r.json", std::string("x"));
  ::umask(old_mask);
  struct stat info {};
  REQUIRE(::stat((dir / "r.json").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0644);
}

TEST_CASE("a failure while writing leaves the old file and no temporary", "[unit][util]") {
  TempDir dir("atomic-fail");
  const std::string path = dir.write("r.json", "old\n");
  CHECK_THROWS_AS(write_file_atomically(path,
                                        [](std::ostream& out) {
                                          out << "half";
                                          throw std::runtime_error("the disk is full");
                                        }),
                  std::runtime_error);
  CHECK(read_text(path) == "old\n");
  CHECK(entries(dir.root()) == 1);
  // A directory that does not exist: exit 2, naming the file.
  try {
    write_file_atomically(dir / "missing/r.json", std::string("x"));
    FAIL("expected an error");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kRuntime);
    CHECK(std::string(error.what()).starts_with(dir / "missing/r.json" + ": cannot write"));
  }
}

}  // namespace
}  // namespace sqlmeasure::testing
