// A plain log read through mapped windows (src/capture/mapped_file.h): the windows are the
// file, lines across them are read whole, and a file cut shorter while it is read is an error,
// not a crash.
#include "capture/mapped_file.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "sqlmeasure/capture.h"
#include "sqlmeasure/error.h"
#include "support/temp_dir.h"

using namespace sqlmeasure;

namespace {

std::size_t page() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

}  // namespace

TEST_CASE("mapped file: its windows, one after the other, are the file", "[unit][capture]") {
  const sqlmeasure::testing::TempDir dir("mapped");
  std::string text;
  for (int i = 0; text.size() < page() * 3 + 100; ++i) text += fmt::format("line {}\n", i);
  const std::string path = dir.write("plain.log", text);
  const auto mapped = MappedFile::open(path, path, page());
  REQUIRE(mapped != nullptr);
  std::string read;
  int windows = 0;
  for (std::string_view window = mapped->next(); !window.empty(); window = mapped->next()) {
    CHECK(window.size() <= page());
    read += window;
    ++windows;
    CHECK(mapped->offset() == read.size());
  }
  CHECK(windows == 4);
  CHECK(read == text);

  // Not mapped: an empty file, a directory, a gzip file (zlib reads those).
  CHECK(MappedFile::open(dir.write("empty.log", ""), "empty.log") == nullptr);
  CHECK(MappedFile::open(dir.path(), "dir") == nullptr);
  CHECK(MappedFile::open(dir.write("log.gz", std::string("\x1f\x8b\x08\x00", 4)), "log.gz") ==
        nullptr);
  CHECK(MappedFile::open(dir / "missing.log", "missing.log") == nullptr);
}

TEST_CASE("mapped file: a SIGBUS that is not a cut file still ends the process",
          "[unit][capture]") {
  const sqlmeasure::testing::TempDir dir("mapped");
  const std::string path = dir.write("plain.log", std::string(page() * 2, 'x'));
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const auto mapped = MappedFile::open(path, "plain.log");  // its handler in place
    if (mapped == nullptr || mapped->next().empty()) ::_exit(3);
    ::raise(SIGBUS);  // sent, not a fault in the window
    ::_exit(0);       // carried on: the handler swallowed it
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK_FALSE((WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3)));
}

TEST_CASE("read_log: a named pipe is read whole, once, not mapped", "[unit][capture]") {
  const sqlmeasure::testing::TempDir dir("mapped");
  const std::string pipe = dir / "general.pipe";
  REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
  // Told by its kind before it is opened: opening it would wait for a writer.
  CHECK(MappedFile::open(pipe, "general.pipe") == nullptr);
  std::string log;
  for (int i = 0; i < 2000; ++i) {
    log += fmt::format("\t\t     5 Query\tSELECT * FROM t WHERE id = {}\n", i);
  }
  std::thread writer([&] {
    std::ofstream out(pipe, std::ios::binary);
    out << log;
  });
  std::size_t events = 0;
  const LogReadSummary summary =
      read_log(pipe, LogFormat::kMariaDbGeneral, [&](LogEvent&&) { ++events; });
  writer.join();
  CHECK(events == 2000);
  CHECK(summary.bytes == log.size());
}

TEST_CASE("mapped file: a file cut shorter while it is read is an error naming it",
          "[unit][capture]") {
  const sqlmeasure::testing::TempDir dir("mapped");
  const std::string text(page() * 4, 'x');

  SECTION("while a window is read: its pages past the new end read as zeros, then an error") {
    const std::string path = dir.write("cut.log", text);
    const auto mapped = MappedFile::open(path, "cut.log", page() * 2);
    REQUIRE(mapped != nullptr);
    const std::string_view window = mapped->next();
    REQUIRE(window.size() == page() * 2);
    std::filesystem::resize_file(path, page() / 2);
    // Without the handler, this read is a SIGBUS that ends the process.
    const volatile char* past_end = window.data() + page() + 10;
    CHECK(*past_end == '\0');
    CHECK(window[0] == 'x');  // before the new end: as it was
    CHECK_THROWS_WITH(mapped->next(), Catch::Contains("cut.log: cannot read the log: it was cut "
                                                      "shorter while it was read"));
  }
  SECTION("between two windows") {
    const std::string path = dir.write("shrunk.log", text);
    const auto mapped = MappedFile::open(path, "shrunk.log", page() * 2);
    REQUIRE(mapped != nullptr);
    REQUIRE(mapped->next().size() == page() * 2);
    std::filesystem::resize_file(path, page());
    try {
      (void)mapped->next();
      FAIL("no error");
    } catch (const Error& error) {
      CHECK(error.code() == ExitCode::kBadInput);
      CHECK_THAT(error.what(), Catch::Contains("shrunk.log: cannot read the log: it was cut"));
    }
  }
  SECTION("a file that grows while it is read is read to its new end") {
    const std::string path = dir.write("growing.log", text);
    const auto mapped = MappedFile::open(path, "growing.log", page() * 2);
    REQUIRE(mapped != nullptr);
    REQUIRE(mapped->next().size() == page() * 2);
    dir.write("growing.log", text + text);
    std::size_t read = page() * 2;
    for (std::string_view window = mapped->next(); !window.empty(); window = mapped->next()) {
      read += window.size();
    }
    CHECK(read == text.size() * 2);
  }
}

TEST_CASE("read_log: lines across the mapped windows are read whole", "[unit][capture]") {
  const sqlmeasure::testing::TempDir dir("mapped");
  // Statements of many lengths, so that lines end at every offset around the window's edges.
  std::string log;
  std::vector<std::string> statements;
  for (int i = 0; log.size() < MappedFile::kWindow * 2 + 4096; ++i) {
    statements.push_back(fmt::format(
        "SELECT '{}' FROM t WHERE id = {}",
        std::string(static_cast<std::size_t>(i % 97), static_cast<char>('a' + i % 26)), i));
    log += fmt::format("\t\t{:6} Query\t{}\n", i % 50, statements.back());
  }
  log += "\t\t     1 Query\tSELECT 'no newline at the end'";
  statements.emplace_back("SELECT 'no newline at the end'");
  const std::string path = dir.write("general.log", log);
  std::vector<std::string> read;
  const LogReadSummary summary = read_log(path, LogFormat::kMariaDbGeneral,
                                          [&](LogEvent&& event) { read.push_back(event.text); });
  CHECK(summary.bytes == log.size() + 1);
  REQUIRE(read.size() == statements.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    if (read[i] != statements[i]) FAIL("statement " << i << ": " << read[i]);
  }
}
