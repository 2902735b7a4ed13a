#pragma once
// Scratch files for tests: a temporary directory removed with everything in it, and whole
// files read and written in one call.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sqlmeasure::testing {

// A directory of its own under the system temp dir, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& purpose = "test") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("sqlm-" + purpose + "-XXXXXX")).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) FAIL("mkdtemp failed for " << pattern);
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::filesystem::path root() const { return path_; }
  [[nodiscard]] std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  [[nodiscard]] std::string file(const std::string& name) const { return *this / name; }
  // Writes `text` to `name` (subdirectories created) and returns the file's path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

inline void write_text(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline bool exists(const std::string& path) { return std::filesystem::exists(path); }

inline std::string TempDir::write(const std::string& name, const std::string& text) const {
  std::string file = *this / name;
  write_text(file, text);
  return file;
}

}  // namespace sqlmeasure::testing
