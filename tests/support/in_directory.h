#pragma once
// The working directory for one scope, put back when the scope ends (also on a failure).
#include <filesystem>

namespace sqlmeasure::testing {

class InDirectory {
 public:
  explicit InDirectory(const std::filesystem::path& path)
      : previous_(std::filesystem::current_path()) {
    std::filesystem::current_path(path);
  }
  ~InDirectory() {
    std::error_code ignored;  // a destructor must not throw; the old directory still exists
    std::filesystem::current_path(previous_, ignored);
  }
  InDirectory(const InDirectory&) = delete;
  InDirectory& operator=(const InDirectory&) = delete;

 private:
  std::filesystem::path previous_;
};

}  // namespace sqlmeasure::testing
