#pragma once
// Helpers shared by the real-server tests: the paths of the demo world and of the built
// binary (scratch files: support/temp_dir.h; the CLI in-process: support/cli_runner.h;
// connection flags and live compares: support/live_compare_args.h).
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "sqlmeasure/cli.h"
#include "support/cli_runner.h"
#include "support/db_fixture.h"
#include "support/live_compare_args.h"
#include "support/process.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"

namespace sqlmeasure::testing {

inline std::string demo_dir() { return source_dir() + "/scenarios/demo"; }

inline std::string demo_migration(const std::string& file) {
  return demo_dir() + "/migrations/" + file;
}

// The demo screens are another engineer's work; say plainly when they are missing.
inline void require_demo_screens() {
  INFO("the demo world has no screens yet: " << demo_dir() << "/screens");
  REQUIRE(std::filesystem::is_directory(demo_dir() + "/screens"));
}

// Screens of the tests' own, on the demo schema, so that which query depends on which index
// is known exactly. work_search lives on works.category_id_status_started; help and
// mypage do not touch it.
inline void write_demo_schema_screens(const std::string& directory) {
  write_text(directory + "/work_search.toml", R"(description = "Work search by category"

[[query]]
name = "list"
sql = """SELECT id, title FROM works
         WHERE category_id = :category AND status = 1
         ORDER BY started DESC, id DESC LIMIT 20"""
params.category = [21, 23]

[[query]]
name = "count"
sql = "SELECT COUNT(*) FROM works WHERE category_id = :category AND status = 1"
params.category = [21, 23]
)");
  write_text(directory + "/mypage.toml", R"(description = "A member's own page"

[[query]]
name = "user"
sql = "SELECT id, username, status FROM users WHERE id = :user_id"
params.user_id = { from = "SELECT id FROM users WHERE deleted = 0", sample = 4 }

[[query]]
name = "proposals"
sql = """SELECT status, COUNT(*) FROM proposals WHERE user_id = :user_id
         GROUP BY status ORDER BY status"""
params.user_id = { from = "SELECT user_id FROM proposals", sample = 4 }
)");
  write_text(directory + "/help.sql",
             "-- name: articles\n"
             "SELECT id, title FROM helps WHERE section = 'beginner' ORDER BY sort_order, id;\n");
}

// A table of 6,000 items in 200 categories (30 each), indexed by category: what the plan-fidelity
// and history tests change (an index dropped or IGNORED, rows deleted) to see a plan move.
inline void create_items(TestDatabase& db) {
  db.run_script(
      "CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
      "category_id INT NOT NULL, title VARCHAR(40) NOT NULL, KEY category (category_id)) "
      "ENGINE=InnoDB;"
      "SET SESSION max_recursive_iterations = 1000000;"
      "INSERT INTO items (category_id, title) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
      "SELECT i + 1 FROM n WHERE i < 6000) SELECT i % 200, CONCAT('item ', i) FROM n;"
      "ANALYZE TABLE items");
}

}  // namespace sqlmeasure::testing
