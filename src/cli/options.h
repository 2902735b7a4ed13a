#pragma once
// The flag groups commands share (connection, run, output, comparison), and the check that a
// mode uses every flag it was given. Every value is validated before a command does any work.
#include <CLI/CLI.hpp>
#include <set>
#include <string>

#include "compare_flags.h"
#include "connection_flags.h"
#include "output_flags.h"
#include "run_flags.h"

namespace sqlmeasure {

// Refuses (exit 64) the first flag given on the command line that is not in `used`: a flag
// the chosen mode would silently ignore. Keys in sqlmeasure.toml for other modes are fine.
void refuse_unused_flags(const CLI::App& app, const std::set<std::string>& used,
                         const std::string& mode);

// The names of every flag of a group, for refuse_unused_flags.
[[nodiscard]] std::set<std::string> flag_names(const CLI::App& app, const std::string& group);

}  // namespace sqlmeasure
