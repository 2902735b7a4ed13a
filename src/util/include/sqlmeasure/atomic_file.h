#pragma once
// Files that are never half-written: the content goes to a temporary file beside the
// target, which is renamed over it only once everything was written.
#include <functional>
#include <ostream>
#include <string>

namespace sqlmeasure {

// `write` streams the content (so a large file never exists as one string). Throws
// Error(kRuntime) naming `path`; the temporary file is removed on every failure.
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace sqlmeasure
