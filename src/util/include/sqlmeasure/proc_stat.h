#pragma once
// A process as Linux's /proc/PID/stat describes it: who started it and when, for the journal's
// writer check and for killing what a password_command started.
#include <string>
#include <vector>

namespace sqlmeasure {

// The fields after the command's closing parenthesis (the command may hold spaces and
// parentheses): [0] is field 3 (the state), [1] field 4 (the parent), [19] field 22 (the
// start time). Empty when the process is gone.
[[nodiscard]] std::vector<std::string> proc_stat_fields(long pid);

}  // namespace sqlmeasure
