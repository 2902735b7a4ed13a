// The bad-input corpus (tests/corpus/README.md): every file is refused with a clear
// sqlmeasure::Error -- the right exit code, one line naming the file (plus, for an
// unterminated quote or comment, the quoted line and a caret) -- and never a crash or
// another exception type. Checked twice: at the loader, and through the whole CLI.
#include <cxxabi.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "sqlmeasure/cli.h"
#include "sqlmeasure/config.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/scenario_loader.h"
#include "support/cli_runner.h"
#include "support/db_fixture.h"
#include "support/temp_dir.h"

using namespace sqlmeasure;
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxMessageBytes = 1024;  // a message is read, not scrolled

fs::path corpus_dir(const std::string& kind) {
  return fs::path(testing::source_dir()) / "tests" / "corpus" / kind;
}

// The inputs of one kind, in name order; `NAME.expect` files are expectations, not inputs.
std::vector<fs::path> corpus_files(const std::string& kind) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(corpus_dir(kind))) {
    if (entry.is_regular_file() && entry.path().extension() != ".expect" &&
        entry.path().filename() != "README.md") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  if (text.empty() || text.back() == '\n') {
    // getline drops a final empty line; an empty message is still one (empty) line.
    if (lines.empty()) lines.emplace_back();
  }
  return lines;
}

std::string demangled(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? name.get() : type.name();
}

// A visible rendering of a message for Catch's output: control bytes escaped, cut short.
std::string shown(const std::string& message) {
  std::string out;
  for (unsigned char c : message.substr(0, 600)) {
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (message.size() > 600) out += "...";
  return out;
}

// What the loader threw: an Error (code and message), or a description of anything else.
struct Outcome {
  bool threw_error = false;
  ExitCode code = ExitCode::kOk;
  std::string message;
  std::string other;  // another exception type, or "nothing thrown"
};

Outcome outcome_of(const std::function<void()>& load) {
  Outcome outcome;
  try {
    load();
    outcome.other = "nothing thrown: the bad input was accepted";
  } catch (const Error& error) {
    outcome.threw_error = true;
    outcome.code = error.code();
    outcome.message = error.what();
  } catch (const std::exception& error) {
    outcome.other = demangled(typeid(error)) + ": " + error.what();
  } catch (...) {
    outcome.other = "an exception that is not a std::exception";
  }
  return outcome;
}

// The message rules: the first line names the file, and the only other lines allowed are
// an excerpt -- the offending line indented by two spaces, then a caret line.
void check_message(const std::string& message, const std::string& file) {
  INFO("message: " << shown(message));
  CHECK(message.size() <= kMaxMessageBytes);
  std::vector<std::string> lines = lines_of(message);
  REQUIRE(!lines.empty());
  CHECK(lines[0].find(file) != std::string::npos);
  CHECK(message.back() != '\n');
  if (lines.size() > 1) {
    CHECK(lines.size() == 3);
    CHECK(lines[1].starts_with("  "));
    const std::string& caret = lines.back();
    CHECK(caret.starts_with("  "));
    CHECK(caret.ends_with("^"));
    CHECK(caret.find_first_not_of(" \t") == caret.size() - 1);
  }
}

// NAME.expect: one expectation per line; "text" must be in the message, "!text" must not.
void check_expectations(const std::string& message, const fs::path& input) {
  fs::path expect_file = input;
  expect_file += ".expect";
  if (!fs::exists(expect_file)) return;
  INFO("message: " << shown(message) << "\nexpectations: " << expect_file.string());
  for (const std::string& line : lines_of(testing::read_text(expect_file))) {
    if (line.empty()) continue;
    if (line[0] == '!') {
      CHECK(message.find(line.substr(1)) == std::string::npos);
    } else {
      CHECK(message.find(line) != std::string::npos);
    }
  }
}

void check_refused(const fs::path& input, ExitCode expected, const std::function<void()>& load) {
  INFO("input: " << input.string());
  Outcome outcome = outcome_of(load);
  INFO("outcome: " << (outcome.threw_error ? "" : outcome.other));
  REQUIRE(outcome.threw_error);
  CHECK(static_cast<int>(outcome.code) == static_cast<int>(expected));
  check_message(outcome.message, input.string());
  check_expectations(outcome.message, input);
}

using sqlmeasure::testing::CliResult;

CliResult run(const std::vector<std::string>& args) {
  return sqlmeasure::testing::run_in_process(args);
}

// Through the whole tool: the exit code, nothing on stdout, and on stderr the loader's
// message once, after "sqlmeasure: error: ".
void check_cli_refusal(const CliResult& result, ExitCode expected, const fs::path& named) {
  INFO("stderr: " << shown(result.err));
  CHECK(result.code == static_cast<int>(expected));
  CHECK(result.out.empty());
  CHECK(result.err.starts_with("sqlmeasure: error: "));
  CHECK(result.err.find(named.string()) != std::string::npos);
  CHECK(result.err.find("internal error") == std::string::npos);
  CHECK(result.err.find("sqlmeasure: error: ", 1) == std::string::npos);
}

fs::path valid_results_file() {
  return fs::path(testing::source_dir()) / "tests" / "fuzz" / "corpus" / "fuzz_results_reader" /
         "valid_minimal.json";
}

}  // namespace

TEST_CASE("corpus: every bad scenario file is refused with exit 65, naming the file",
          "[unit][corpus]") {
  std::vector<fs::path> files = corpus_files("scenarios");
  REQUIRE(files.size() > 100);
  for (const fs::path& file : files) {
    check_refused(file, ExitCode::kBadInput, [&] { (void)load_screen_file(file.string()); });
  }
}

TEST_CASE("corpus: every bad config file is refused with exit 78, naming the file",
          "[unit][corpus]") {
  std::vector<fs::path> files = corpus_files("configs");
  REQUIRE(files.size() > 30);
  for (const fs::path& file : files) {
    check_refused(file, ExitCode::kBadConfig, [&] { (void)load_project_config(file.string()); });
  }
}

TEST_CASE("corpus: every bad results file is refused with exit 65, naming the file",
          "[unit][corpus]") {
  std::vector<fs::path> files = corpus_files("results");
  REQUIRE(files.size() > 50);
  for (const fs::path& file : files) {
    check_refused(file, ExitCode::kBadInput, [&] { (void)read_results_file(file.string()); });
    // The same text given directly (as the fuzzer does) names the origin passed in.
    check_refused(file, ExitCode::kBadInput,
                  [&] { (void)results_from_json(testing::read_text(file), file.string()); });
  }
}

TEST_CASE("corpus: the good twins of the bad files load", "[unit][corpus]") {
  // So a bad case fails for its own defect, not because the base it was cut from is bad.
  RunResult run = read_results_file(valid_results_file().string());
  CHECK(run.screens.size() == 1);
  testing::TempDir dir{"corpus"};
  testing::write_text(dir.root() / "ok.sql",
                      "\xEF\xBB\xBFSELECT 1;\r\n-- name: two\r\nSELECT 2;\r\n");
  testing::write_text(
      dir.root() / "ok.toml",
      "screen = \"ok_toml\"\r\n[[query]]\r\nsql = \"SELECT :x\"\r\nparams.x = [1]\r\n");
  CHECK(load_screen_file((dir.root() / "ok.sql").string()).queries.size() == 2);
  CHECK(load_screen_file((dir.root() / "ok.toml").string()).queries.size() == 1);
}

TEST_CASE("corpus: bad scenario files through the CLI: exit 65, one message on stderr",
          "[unit][corpus]") {
  testing::TempDir scratch{"corpus"};
  fs::path config = scratch.root() / "empty-config.toml";
  testing::write_text(config, "");
  for (const fs::path& file : corpus_files("scenarios")) {
    INFO("input: " << file.string());
    testing::TempDir dir{"corpus"};  // a scenario directory holding only this screen
    fs::path copy = dir.root() / file.filename();
    fs::copy_file(file, copy);
    for (const char* command : {"check", "list"}) {
      INFO("command: " << command);
      check_cli_refusal(
          run({command, "--config", config.string(), "--scenarios", dir.root().string()}),
          ExitCode::kBadInput, copy);
    }
  }
}

TEST_CASE("corpus: bad config files through the CLI: exit 78, one message on stderr",
          "[unit][corpus]") {
  testing::TempDir scenarios{"corpus"};
  testing::write_text(scenarios.root() / "ok.sql", "SELECT 1;\n");
  for (const fs::path& file : corpus_files("configs")) {
    INFO("input: " << file.string());
    check_cli_refusal(
        run({"check", "--config", file.string(), "--scenarios", scenarios.root().string()}),
        ExitCode::kBadConfig, file);
  }
}

TEST_CASE("corpus: bad results files through the CLI: exit 65, one message on stderr",
          "[unit][corpus]") {
  testing::TempDir scratch{"corpus"};
  fs::path config = scratch.root() / "empty-config.toml";
  testing::write_text(config, "");
  const std::string good = valid_results_file().string();
  CliResult same = run({"compare", "--config", config.string(), good, good});
  INFO("stderr: " << same.err);
  REQUIRE(same.code == 0);
  for (const fs::path& file : corpus_files("results")) {
    INFO("input: " << file.string());
    check_cli_refusal(run({"compare", "--config", config.string(), file.string(), good}),
                      ExitCode::kBadInput, file);
    check_cli_refusal(run({"compare", "--config", config.string(), good, file.string()}),
                      ExitCode::kBadInput, file);
  }
}
