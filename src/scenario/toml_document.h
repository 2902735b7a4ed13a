#pragma once
// A TOML file as scenario files and sqlmeasure.toml are read: parsed by toml++, with what
// toml++ cannot be given safely refused first. It parses a dotted key ([a.b.c...] or
// a.b.c = ...) recursively, one stack frame per part, so a key of 50,000 parts overflows the
// stack. Private to src/scenario/, the one toml++ user (toml_reader.h reads sqlmeasure.toml
// for config/).
#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "sqlmeasure/error.h"

namespace sqlmeasure {

// More parts than any real key has; far fewer than the stack holds.
inline constexpr int kMaxTomlKeyParts = 64;

// Throws Error(`code`) naming file:line:col of the first key with more than
// kMaxTomlKeyParts parts. Strings and comments are skipped; dots in values (1.5) do not count.
void check_toml_key_depth(std::string_view text, const std::string& file, ExitCode code);

// `text` (the content of `file`) parsed; Error(`code`) with file:line:col for a key too deep
// or malformed TOML.
[[nodiscard]] toml::table parse_toml(std::string_view text, const std::string& file, ExitCode code);

}  // namespace sqlmeasure
