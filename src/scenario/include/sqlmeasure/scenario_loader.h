#pragma once
// Loading and selecting screens from a scenario directory (docs/scenarios.md).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

// Sizes no page issues (docs/scenarios.md): a screen file over 16 MiB is refused before it
// is read, a statement over 4 MiB before it is checked; memory stays proportional to them.
inline constexpr std::uintmax_t kScreenFileMaxBytes = std::uintmax_t{16} << 20;
inline constexpr std::size_t kStatementMaxBytes = std::size_t{4} << 20;

struct LoadOptions {
  bool allow_writes = false;  // --allow-writes: write statements allowed (always rolled back)
};

// Every NAME.toml and NAME.sql screen in `directory` (or in its `screens/` subdirectory,
// when it has one, so schema and migrations can live beside the screens), by name.
// Throws Error(kBadInput) naming file:line:col for the first problem found.
[[nodiscard]] std::vector<Screen> load_scenarios(const std::string& directory,
                                                 const LoadOptions& options = {});
[[nodiscard]] Screen load_screen_file(const std::string& path, const LoadOptions& options = {});

// The read-only guard again, under the quoting modes of the session the screens will run on
// (ServerInfo::sql_mode; the loader assumed the default): with NO_BACKSLASH_ESCAPES or
// ANSI_QUOTES a quote can end elsewhere, and a write hide in what looked like a string.
// Throws kBadInput naming the query. With `allow_writes`, the rollback guard likewise.
void check_screens_for_session(const std::vector<Screen>& screens, const std::string& sql_mode,
                               bool allow_writes);

// The screens matching any of the comma-separated globs (all if `globs` is empty), in
// load order. A glob that matches nothing is a usage error with a "did you mean".
[[nodiscard]] std::vector<Screen> select_screens(const std::vector<Screen>& screens,
                                                 const std::vector<std::string>& globs);

}  // namespace sqlmeasure
