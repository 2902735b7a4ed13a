#pragma once
// Reading a file the user named (a scenario, a migration, a results file, the config): a
// regular file of plausible size, read whole, or a clear error naming it — never a device
// read forever, a directory taken for an empty file, or garbage bytes found later.
#include <cstdint>
#include <string>

#include "sqlmeasure/error.h"

namespace sqlmeasure {

// The whole file. `what` names it in errors ("the results file"); `code` is their exit code.
// A directory, a device, a FIFO, a dangling symlink or a file over `max_bytes` is refused.
[[nodiscard]] std::string read_input_file(const std::string& path, const std::string& what,
                                          ExitCode code,
                                          std::uintmax_t max_bytes = std::uintmax_t{1} << 30);

// Refuses (kBadInput, path:line:col) the first NUL or byte that is not UTF-8: the text goes
// to the server as utf8mb4 and into results files as JSON. `what` says what the file must
// be ("a .sql screen", "a migration").
void check_utf8_text(const std::string& text, const std::string& path, const std::string& what);

}  // namespace sqlmeasure
