#include "sqlmeasure/scenario_loader.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "screen_validation.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace fs = std::filesystem;

Screen load_screen_file(const std::string& path, const LoadOptions& options) {
  fs::path file(path);
  std::string stem = file.stem().string();
  Screen screen =
      file.extension() == ".toml" ? parse_toml_screen(path, stem) : parse_sql_screen(path, stem);
  validate_screen(screen, options);
  return screen;
}

std::vector<Screen> load_scenarios(const std::string& directory, const LoadOptions& options) {
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    fail(ExitCode::kBadInput,
         fmt::format("{}: scenario directory not found (set --scenarios or [run] scenarios)",
                     directory));
  }
  fs::path root(directory);
  if (fs::is_directory(root / "screens", error)) root /= "screens";
  std::vector<std::string> files;
  fs::directory_iterator entries(root, error);
  if (error) {
    fail(ExitCode::kBadInput,
         fmt::format("{}: cannot read the scenario directory: {}", root.string(), error.message()));
  }
  for (const auto& entry : entries) {
    const auto extension = entry.path().extension();
    if (extension != ".toml" && extension != ".sql") continue;
    // A screen that cannot be read is an error, never a screen silently left out: a dangling
    // or looping symlink, a directory with a screen's name.
    const fs::file_status status = entry.status(error);
    if (error || !fs::is_regular_file(status)) {
      fail(ExitCode::kBadInput,
           fmt::format("{}: not a readable screen file ({})", entry.path().string(),
                       error                      ? error.message()
                       : fs::is_directory(status) ? "a directory"
                                                  : "a dangling symlink, or not a file"));
    }
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());  // a stable order on every file system
  if (files.empty()) {
    fail(ExitCode::kBadInput,
         fmt::format("{}: no screens (NAME.toml or NAME.sql files) in this directory",
                     root.string()));
  }
  std::vector<Screen> screens;
  std::map<std::string, std::string> file_of_screen;
  for (const std::string& file : files) {
    Screen screen = load_screen_file(file, options);
    auto [it, inserted] = file_of_screen.emplace(screen.name, file);
    if (!inserted) {
      // file:1:1, like every other scenario error (the name is the file's, or its `screen`).
      fail(ExitCode::kBadInput,
           fmt::format("{}: screen '{}' is already defined in {}", SourceLocation{file, 1, 1}.str(),
                       screen.name, it->second));
    }
    screens.push_back(std::move(screen));
  }
  return screens;
}

std::vector<Screen> select_screens(const std::vector<Screen>& screens,
                                   const std::vector<std::string>& globs) {
  if (globs.empty()) return screens;
  std::vector<bool> chosen(screens.size(), false);
  std::vector<std::string> names;
  for (const Screen& screen : screens) names.push_back(screen.name);
  for (const std::string& glob : globs) {
    bool matched = false;
    for (size_t i = 0; i < screens.size(); ++i) {
      if (fnmatch(glob.c_str(), screens[i].name.c_str(), 0) == 0) {
        chosen[i] = true;
        matched = true;
      }
    }
    if (!matched) {
      fail(ExitCode::kUsage,
           fmt::format("--screens: no screen matches '{}'{}; `sqlmeasure list` shows them", glob,
                       did_you_mean_hint(glob, names)));
    }
  }
  std::vector<Screen> selected;
  for (size_t i = 0; i < screens.size(); ++i) {
    if (chosen[i]) selected.push_back(screens[i]);
  }
  return selected;
}

}  // namespace sqlmeasure
