#include "support/golden_runner.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "support/golden_environment.h"
#include "support/golden_recorder.h"
#include "support/line_diff.h"
#include "support/recorded_connection.h"

namespace sqlmeasure::testing {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.good()) throw std::runtime_error("cannot write " + path.string());
}

// Writes `text` to `path`, or removes `path` when `text` is empty: a missing expectation
// means "nothing".
void store(const fs::path& path, const std::string& text) {
  if (text.empty()) {
    fs::remove(path);
  } else {
    write_file(path, text);
  }
}

std::string command_line(const std::vector<std::string>& args) {
  std::string line = "sqlmeasure";
  for (const std::string& arg : args) line += " " + arg;
  return line;
}

// What differs between the expectations in `expected_dir` and `actual`; empty when nothing.
std::string mismatch(const fs::path& expected_dir, const CliResult& actual) {
  std::string report;
  auto compare = [&](const std::string& label, const std::string& text) {
    const std::string expected = read_file(expected_dir / label).value_or("");
    if (expected != text) {
      report += "  " + label + " differs (--- expected, +++ actual):\n" + line_diff(expected, text);
    }
  };
  compare("stdout", actual.out);
  compare("stderr", actual.err);
  int expected_code = 0;
  if (const std::optional<std::string> code = read_file(expected_dir / "exit")) {
    expected_code = std::stoi(*code);
  }
  if (actual.code != expected_code) {
    report += "  exit code " + std::to_string(actual.code) + ", expected " +
              std::to_string(expected_code) + "\n";
  }
  return report;
}

void store_expectations(const fs::path& expected_dir, const CliResult& actual) {
  store(expected_dir / "stdout", actual.out);
  store(expected_dir / "stderr", actual.err);
  store(expected_dir / "exit", actual.code == 0 ? "" : std::to_string(actual.code) + "\n");
}

}  // namespace

bool env_flag(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && std::string(value) == "1";
}

std::vector<std::string> golden_case_names(const fs::path& root) {
  std::vector<std::string> names;
  if (const char* only = std::getenv("SQLMEASURE_GOLDEN_CASE"); only != nullptr && *only != 0) {
    std::stringstream list(only);
    for (std::string name; std::getline(list, name, ',');) {
      while (!name.empty() && name.back() == '/') name.pop_back();  // from shell completion
      if (!name.empty()) names.push_back(name);
    }
    return names;
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
    if (entry.is_directory() && fs::is_regular_file(entry.path() / "cmd")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> read_golden_args(const fs::path& cmd) {
  const std::optional<std::string> text = read_file(cmd);
  if (!text) throw std::runtime_error("cannot read " + cmd.string());
  std::vector<std::string> args;
  std::stringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) args.push_back(line);
  }
  return args;
}

CliResult run_golden(const fs::path& case_dir, const std::vector<std::string>& args,
                     const Connector& connect) {
  const GoldenEnvironment environment(case_dir);
  return run_in_process(args, nullptr, connect);
}

std::string run_golden_case(const GoldenSettings& settings, const std::string& name) {
  const fs::path dir = settings.scratch / name;
  const fs::path expected = settings.source / name;
  if (!fs::is_regular_file(dir / "cmd")) {
    return "FAIL " + name + ": no such case (" + (expected / "cmd").string() + " missing)\n";
  }
  const std::vector<std::string> args = read_golden_args(dir / "cmd");
  const std::string failed = "FAIL " + name + ": " + command_line(args) + "\n";

  std::optional<CliResult> recorded;
  if (settings.record && fs::exists(dir / "server.sql")) {
    recorded = record_golden_case(dir, name, args);
    fs::copy_file(dir / "server.json", expected / "server.json",
                  fs::copy_options::overwrite_existing);
  }
  std::unique_ptr<Replay> replay;
  Connector connect;
  if (const std::optional<std::string> json = read_file(dir / "server.json")) {
    const std::string origin = (expected / "server.json").string();
    replay = std::make_unique<Replay>(recording_from_json(*json, origin));
    connect = replay->connector();
  }
  const CliResult actual = run_golden(dir, args, connect);

  if (replay && !replay->unrecorded().empty()) {
    std::string report = failed +
                         "  not in server.json (record it again: "
                         "SQLMEASURE_RECORD_GOLDEN=1):\n";
    for (const std::string& call : replay->unrecorded()) report += "    " + call + "\n";
    return report;
  }
  // The replay answers what the server answered, so it must print what the recorded run
  // printed; whatever differs came from outside the connection (a clock, a path).
  if (recorded && (recorded->out != actual.out || recorded->err != actual.err ||
                   recorded->code != actual.code)) {
    std::string report = failed +
                         "  the replay does not print what the recorded run printed "
                         "(--- recorded, +++ replayed):\n" +
                         line_diff(recorded->out, actual.out) +
                         line_diff(recorded->err, actual.err);
    if (recorded->code != actual.code) {
      report += "    exit " + std::to_string(recorded->code) + " recorded, " +
                std::to_string(actual.code) + " replayed\n";
    }
    return report;
  }
  if (settings.update) {
    store_expectations(expected, actual);
    return "";
  }
  const std::string report = mismatch(expected, actual);
  return report.empty() ? "" : failed + report;
}

}  // namespace sqlmeasure::testing
