#pragma once
// `-p` with no value, as the mysql client: the password is asked for on the terminal, not
// echoed. Private to src/cli/.
#include <string>

namespace sqlmeasure {

// Writes "Enter password: " to the controlling terminal and reads one line there with echo
// off, the terminal put back as it was however the line ends. Ctrl-C or Ctrl-D cancels (exit
// 2 / 64). Without a terminal (CI, a pipe) refuses with exit 64 naming the other ways.
[[nodiscard]] std::string prompt_for_password();

}  // namespace sqlmeasure
