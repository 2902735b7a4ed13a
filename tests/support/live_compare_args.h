#pragma once
// The command lines of the db tests: the sandbox's connection flags, and a live compare
// flag by flag, so that each test says only what its compare does differently.
#include <string>
#include <vector>

#include "support/db_fixture.h"
#include "support/string_lists.h"
#include "support/temp_dir.h"

namespace sqlmeasure::testing {

// -S SOCKET -u root -D DATABASE, for the sandbox.
inline std::vector<std::string> connection_args(const std::string& database) {
  return {"-S", test_socket(), "-u", "root", "-D", database};
}

// `compare` on a live server. An empty field (false, no list) leaves its flag out. Every field
// has an initializer, so a designated initializer may name only the ones it sets.
struct LiveCompareArgs {
  // -D, with -u `user` and `server` (empty: -S of the test socket). Empty: no connection
  // flags (a config connects, or the DSNs below).
  std::string database{};
  std::string user = "root";
  std::vector<std::string> server{};  // e.g. -h 127.0.0.1 -P PORT of a scratch server
  std::string before_dsn{}, after_dsn{};
  std::string config{};
  std::string scenarios{};
  std::string migration{}, rollback{};
  std::vector<std::string> ignore_indexes{};
  bool apply_ddl = false;
  std::string out_dir{};
  std::string iterations{}, warmup{}, alternations{};
  std::string format{};
  std::vector<std::string> extra{};  // any other flag, as given
  bool verbose = true;               // -v: every step of the change said, as the tests check

  [[nodiscard]] std::vector<std::string> build() const {
    std::vector<std::string> args = {"compare"};
    auto flag = [&args](const char* name, const std::string& value) {
      if (!value.empty()) args.insert(args.end(), {name, value});
    };
    flag("--before-dsn", before_dsn);
    flag("--after-dsn", after_dsn);
    flag("--config", config);
    flag("--scenarios", scenarios);
    flag("--migration", migration);
    flag("--rollback", rollback);
    for (const std::string& index : ignore_indexes) flag("--ignore-index", index);
    if (apply_ddl) args.emplace_back("--apply-ddl");
    flag("--out-dir", out_dir);
    flag("--iterations", iterations);
    flag("--warmup", warmup);
    flag("--alternations", alternations);
    flag("--format", format);
    if (verbose) args.emplace_back("-v");
    args.insert(args.end(), extra.begin(), extra.end());
    if (!database.empty()) {
      args = args + (server.empty() ? std::vector<std::string>{"-S", test_socket()} : server);
      args = args + std::vector<std::string>{"-u", user, "-D", database};
    }
    return args;
  }
};

// `args` on the layout most db tests write in their scratch directory DIR: DIR/empty.toml (so
// no project config is read), the screens in DIR/screens, the migration DIR/up.sql that
// DIR/down.sql undoes, the results into DIR/out.
inline LiveCompareArgs scratch_migration(const TempDir& dir, LiveCompareArgs args) {
  args.config = dir / "empty.toml";
  args.scenarios = dir / "screens";
  args.migration = dir / "up.sql";
  args.rollback = dir / "down.sql";
  args.out_dir = dir / "out";
  return args;
}

}  // namespace sqlmeasure::testing
