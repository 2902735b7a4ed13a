#pragma once
// What toml++ cannot be given safely: it parses a dotted key ([a.b.c...] or a.b.c = ...)
// recursively, one stack frame per part, so a key of 50,000 parts overflows the stack. Every
// TOML file we read (scenario files, sqlmeasure.toml) is checked here first.
#include <string>
#include <string_view>

#include "sqlmeasure/error.h"

namespace sqlmeasure {

// More parts than any real key has; far fewer than the stack holds.
inline constexpr int kMaxTomlKeyParts = 64;

// Throws Error(`code`) naming file:line:col of the first key with more than
// kMaxTomlKeyParts parts. Strings and comments are skipped; dots in values (1.5) do not count.
void check_toml_key_depth(std::string_view text, const std::string& file, ExitCode code);

}  // namespace sqlmeasure
