#pragma once
// Bash completion for sqlmeasure, written from the CLI definition itself (commands, flags,
// which flags take a value, a flag's fixed choices), so it cannot fall behind the flags.
// The build writes it with the hidden `sqlmeasure __completion bash`. Private to src/cli/.
#include <CLI/CLI.hpp>
#include <string>

namespace sqlmeasure {

// The script for `app`: its visible subcommands and their flags, with `app`'s own flags
// offered everywhere (they fall through to it). `help`'s argument completes command names.
[[nodiscard]] std::string bash_completion(const CLI::App& app);

}  // namespace sqlmeasure
