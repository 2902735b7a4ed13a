#include "cli/compare_fixtures.h"

#include <cmath>
#include <map>
#include <optional>
#include <string_view>

namespace sqlmeasure::testing {
namespace {

constexpr int kIterations = 20;

// n samples with median `median_ms`, +-2 %, in a scrambled (interleaved-looking) order.
// `shift` moves every sample by that fraction of a step, so two "unchanged" runs are
// similar, not identical. Rounded half to even, as the Python generator before it did.
std::vector<std::int64_t> samples(double median_ms, double shift, int n) {
  std::vector<std::int64_t> out;
  for (int i = 0; i < n; ++i) {
    const double k = static_cast<double>((i * 7) % kIterations * 2 - (kIterations - 1)) / 2 +
                     shift;  // -9.5 .. 9.5
    out.push_back(static_cast<std::int64_t>(std::nearbyint(median_ms * 1e6 * (1 + 0.002 * k))));
  }
  return out;
}

// A plan row; key_len and ref only when there is a key.
PlanRow plan_row(const std::string& table, const std::string& access, const std::string& key,
                 const std::string& rows, const std::string& extra,
                 const std::optional<std::string>& possible_keys = std::nullopt) {
  PlanRow row;
  row.id = "1";
  row.select_type = "SIMPLE";
  row.table = table;
  row.access_type = access;
  row.possible_keys = possible_keys.value_or(key);
  row.key = key;
  row.key_len = key.empty() ? "" : "4";
  row.ref = key.empty() ? "" : "const";
  row.rows = rows;
  row.extra = extra;
  return row;
}

// How a fixture run was "measured": the samples' shift and count.
struct Take {
  double shift = 0.0;
  int n = kIterations;
};

// A query of a fixture screen, before it is "measured".
struct QuerySpec {
  std::string name, sql;
  double median_ms = 1;
  std::uint64_t rows_examined = 0;
  PlanRow plan;
  std::string checksum;
  std::map<std::string, std::vector<ParamValue>> params;
  int times = 1;
  std::uint64_t rows_sent = 20;
};

QuerySpec spec(std::string name, std::string sql, double median_ms, std::uint64_t rows_examined,
               PlanRow plan, std::string checksum,
               std::map<std::string, std::vector<ParamValue>> params = {}, int times = 1,
               std::uint64_t rows_sent = 20) {
  return {std::move(name),     std::move(sql),    median_ms, rows_examined, std::move(plan),
          std::move(checksum), std::move(params), times,     rows_sent};
}

QueryResult query(const QuerySpec& spec, Take take) {
  QueryResult out;
  out.name = spec.name;
  out.sql = spec.sql;
  out.times = spec.times;
  out.params = spec.params;
  out.samples_ns = samples(spec.median_ms, take.shift, take.n);
  out.rows_sent = spec.rows_sent;
  out.rows_examined = spec.rows_examined;
  out.checksum = spec.checksum;
  out.plan = {spec.plan};
  out.variants_inspected = 1;
  return out;
}

ScreenResult screen(const std::string& name, const std::string& description,
                    const std::vector<QuerySpec>& queries, Take take) {
  ScreenResult out;
  out.name = name;
  out.description = description;
  out.file = "scenarios/demo/" + name + ".toml";
  for (const QuerySpec& spec : queries) out.queries.push_back(query(spec, take));
  out.samples_ns = per_view_samples(out.queries);
  out.rows_examined = rows_examined_per_view(out.queries);
  return out;
}

RunResult run(const std::string& label, const std::string& started,
              std::vector<ScreenResult> screens, const std::string& incomplete_reason = "") {
  RunResult out;
  out.tool_version = "0.1.0";
  out.label = label;
  out.started_at = started;
  out.finished_at = started.substr(0, started.size() - 3) + "42Z";
  out.complete = incomplete_reason.empty();
  out.incomplete_reason = incomplete_reason;
  out.server.flavor = Flavor::kMariaDB;
  out.server.version = "10.11.6-MariaDB-0+deb12u1";
  out.server.major = 10;
  out.server.minor = 11;
  out.server.patch = 6;
  out.server.endpoint = "127.0.0.1:3306";
  out.server.database = "sqlmeasure_demo";
  out.rows_examined_method = "rows_read_status";
  out.settings.warmup = 2;
  out.settings.iterations = kIterations;
  out.settings.seed = 1;
  out.settings.order = Order::kRoundRobin;
  out.settings.scenarios = "scenarios/demo";
  out.screens = std::move(screens);
  recompute_stats(out);
  return out;
}

const std::map<std::string, std::vector<ParamValue>> kCategory = {
    {"category", {ParamValue::integer(17), ParamValue::integer(23), ParamValue::integer(41)}}};
const std::string kListSql =
    "SELECT id, title FROM works WHERE category_id = :category AND deleted = 0 AND status = 1 "
    "ORDER BY started DESC LIMIT 20";
const std::string kCountSql =
    "SELECT COUNT(*) FROM works WHERE category_id = :category AND deleted = 0";
const PlanRow kByIndex = plan_row("works", "ref", "category_started", "2000", "Using where");
const PlanRow kFullScan = plan_row("works", "ALL", "", "600000", "Using where; Using filesort", "");

ScreenResult work_search(double list_ms, std::uint64_t list_rows, const PlanRow& list_plan,
                         Take take = {}) {
  return screen(
      "work_search", "Work search by category",
      {spec("list", kListSql, list_ms, list_rows, list_plan, "1f3a5c7e9b0d2f41", kCategory),
       spec("count", kCountSql, 0.4, 2000, kByIndex, "00000000000007d0", kCategory, 1, 1)},
      take);
}

ScreenResult top(Take take = {}) {
  return screen(
      "top", "Top page",
      {spec("new_works", "SELECT id, title FROM works WHERE deleted = 0 ORDER BY id DESC LIMIT 10",
            0.3, 10, plan_row("works", "index", "PRIMARY", "10", "Using where"),
            "7c1e0a9d33b2f650"),
       spec("categories", "SELECT id, name FROM categories WHERE parent_id IS NULL", 0.2, 20,
            plan_row("categories", "ref", "parent_id", "20", "Using index condition"),
            "5a0b7e22c913d4f8", {}, 2)},
      take);
}

ScreenResult mypage_profile(double ms, Take take = {}) {
  return screen(
      "mypage_profile", "My page: profile",
      {spec("profile", "SELECT * FROM profiles WHERE user_id = 1", ms, 1,
            plan_row("profiles", "const", "user_id", "1", ""), "0a1b2c3d4e5f6071", {}, 1, 1)},
      take);
}

ScreenResult help_beginner(const std::string& key, Take take = {}) {
  return screen(
      "help_beginner", "Help for beginners",
      {spec("articles", "SELECT id, title FROM help_articles WHERE level = 1 ORDER BY id LIMIT 10",
            0.5, 10, plan_row("help_articles", "ref", key, "10", "Using where", "level,level_id"),
            "44aa44aa44aa44aa")},
      take);
}

ScreenResult message_list(const std::string& checksum, Take take = {}) {
  return screen(
      "message_list", "Messages",
      {spec("inbox",
            "SELECT id, subject FROM messages WHERE to_user_id = 1 ORDER BY id DESC LIMIT 20", 0.6,
            20, plan_row("messages", "ref", "to_user_id", "20", "Using where"), checksum)},
      take);
}

ScreenResult old_landing(Take take = {}) {
  return screen(
      "old_landing", "Retired landing page",
      {spec("q1", "SELECT id FROM works ORDER BY created DESC LIMIT 5", 0.8, 5,
            plan_row("works", "index", "created", "5", ""), "1234123412341234", {}, 1, 5)},
      take);
}

ScreenResult work_search_design(Take take = {}) {
  std::string sql = kListSql;
  sql.replace(sql.find(":category"), std::string_view(":category").size(), "17");
  return screen("work_search_design", "Work search, design category",
                {spec("list", sql, 0.9, 1800, kByIndex, "9e9e9e9e9e9e9e9e")}, take);
}

// After a migration that dropped the index `list` forces: the server rejects the query at its
// first execution, so it has no samples and no counters, and the screen no complete view.
ScreenResult work_search_broken(Take take) {
  ScreenResult out = work_search(1.0, 2000, kByIndex, take);
  QueryResult& list = out.queries.front();
  list.error =
      "127.0.0.1:3306: [1176] (42000) Key 'category_started' doesn't exist in table "
      "'works'   while running: SELECT id, title FROM works WHERE category_id = 17 AND ...";
  list.samples_ns.clear();
  list.rows_examined = 0;
  list.rows_sent = 0;
  list.checksum.clear();
  list.plan.clear();
  out.samples_ns = per_view_samples(out.queries);
  out.rows_examined = rows_examined_per_view(out.queries);
  return out;
}

// ---- before-causes.json / after-causes.json: one screen per kind of plan change (issue 16's
// classes), a warning that appears and one that goes, and a hint the change breaks.

PlanRow with_id(PlanRow row, const std::string& id, const std::string& table) {
  row.id = id;
  row.table = table;
  return row;
}

IndexStatistics deleted_flag() {
  IndexStatistics s;
  s.table = "works";
  s.index = "deleted";
  s.columns = {"deleted"};
  s.table_rows = 300000;
  s.rows_exact = true;
  s.leading_distinct = 2;
  s.distinct_method = "counted over 300,000 rows";
  s.leading_values = {{"0", 295500}, {"1", 4500}};
  s.values_rows = 300000;
  s.rule = "low-cardinality";
  s.finding = "KEY deleted (deleted) has 2 distinct values in 300,000 rows (selectivity 6.7e-06)";
  return s;
}

IndexStatistics user_deleted() {
  IndexStatistics s;
  s.table = "portfolios";
  s.index = "user_deleted_id";
  s.columns = {"user_id", "deleted", "id"};
  s.table_rows = 60000;
  s.rows_exact = true;
  s.leading_distinct = 30000;
  s.distinct_method = "SHOW INDEX cardinality";
  return s;
}

const ServerWarning kNoLookup{
    "Note", 1105,
    "Cannot use key `prefecture_id_occupation` part[0] for lookup: `demo`.`profiles`."
    "`prefecture_id` of type `varchar` = \"13\" of type `int`",
    true};
const ServerWarning kTruncated{"Warning", 1292, "Truncated incorrect DOUBLE value: 'x1'", false};

std::vector<ScreenResult> causes_screens(bool after, Take take) {
  const std::string list_sql =
      "SELECT w.id, w.title FROM works w WHERE w.deleted = :deleted AND w.status = 1 "
      "ORDER BY w.id DESC LIMIT 20";
  const std::map<std::string, std::vector<ParamValue>> deleted = {
      {"deleted", {ParamValue::integer(0)}}};
  const PlanRow backward = plan_row("w", "index", "PRIMARY", "40", "Using where");
  const PlanRow low = plan_row("w", "ref", "deleted", "150000", "Using where; Using filesort");
  const std::string forced_sql =
      "SELECT id FROM portfolios FORCE INDEX (user_id) WHERE user_id = 7 ORDER BY id DESC";
  const PlanRow by_user = plan_row("portfolios", "ref", "user_id", "4", "Using where");
  const PlanRow by_prefix = plan_row("portfolios", "ref", "user_id_id", "4", "Using where");
  const PlanRow by_new =
      plan_row("portfolios", "range", "user_deleted_id", "4", "Using where; Using temporary");
  PlanRow merge = plan_row("works", "index_merge", "budget_from,deadline", "90", "Using union");
  const std::string join_sql =
      "SELECT u.id FROM users u JOIN profiles p ON p.user_id = u.id WHERE p.prefecture_id = 13";
  const PlanRow users = with_id(plan_row("u", "eq_ref", "PRIMARY", "1", ""), "1", "u");
  const PlanRow profiles = with_id(plan_row("p", "ref", "prefecture", "900", ""), "1", "p");
  std::vector<ScreenResult> screens;
  screens.push_back(screen(
      "work_search", "Newest open works",
      {spec("list", list_sql, after ? 0.9 : 0.5, 40, after ? low : backward, "1111", deleted)},
      take));
  screens.push_back(
      screen("portfolio", "A freelancer's portfolio",
             {spec("list", forced_sql, 0.2, 4, after ? by_prefix : by_user, "2222"),
              spec("recent", "SELECT id FROM portfolios WHERE user_id = 7 AND deleted = 0", 0.2, 4,
                   after ? by_new : by_user, "2223")},
             take));
  const PlanRow by_deadline = plan_row("works", "range", "deadline", "60", "Using where");
  screens.push_back(screen(
      "budget_search", "Works by budget",
      {spec("list", "SELECT id FROM works WHERE budget_from > 1000 OR deadline < '2024-01-01'",
            after ? 30.0 : 1.0, after ? 300000 : 90,
            after ? plan_row("works", "ALL", "", "300000", "Using where") : merge, "3333"),
       spec("soon", "SELECT id FROM works WHERE deadline < '2024-01-01' OR budget_from > 9000", 0.3,
            60, after ? merge : by_deadline, "3334"),
       spec("ids", "SELECT id FROM works WHERE title LIKE 'a%' ORDER BY id", 40.0, 300000,
            after ? plan_row("works", "index", "PRIMARY", "300000", "Using where")
                  : plan_row("works", "ALL", "", "300000", "Using where; Using filesort"),
            "3335")},
      take));
  ScreenResult joined =
      screen("member_search", "Members by prefecture",
             {spec("list", join_sql, 0.7, 900, users, "4444"),
              spec("stats", "SELECT s.kind, COUNT(*) FROM stats s GROUP BY s.kind", 0.3, 50, users,
                   "4445")},
             take);
  joined.queries[0].plan =
      after ? std::vector<PlanRow>{profiles, users} : std::vector<PlanRow>{users, profiles};
  // A temporary table gone, a table gone, a derived table new.
  joined.queries[1].plan =
      after ? std::vector<PlanRow>{plan_row("s", "ALL", "", "50", ""),
                                   with_id(plan_row("<derived2>", "ALL", "", "5", ""), "2",
                                           "<derived2>")}
            : std::vector<PlanRow>{plan_row("s", "ALL", "", "50", "Using temporary"),
                                   plan_row("old", "ref", "kind", "5", "")};
  screens.push_back(std::move(joined));
  ScreenResult profile =
      screen("profile_search", "Profiles by prefecture",
             {spec("count", "SELECT COUNT(*) FROM profiles WHERE prefecture_id = 13", 1.0, 2000,
                   plan_row("profiles", "ref", "prefecture_id_occupation", "2000", "Using index"),
                   "5555")},
             take);
  profile.queries.front().warnings =
      after ? std::vector<ServerWarning>{kNoLookup} : std::vector<ServerWarning>{kTruncated};
  screens.push_back(std::move(profile));
  ScreenResult forced =
      screen("category_page", "A category's works",
             {spec("list",
                   "SELECT id FROM works FORCE INDEX (category_started) "
                   "WHERE category_id = 17",
                   0.4, 25, plan_row("works", "ref", "category_started", "25", ""), "6666")},
             take);
  if (after) {
    QueryResult& list = forced.queries.front();
    list.error =
        "127.0.0.1:3306: [1176] (42000) Key 'category_started' doesn't exist in table 'works'   "
        "while running: SELECT id FROM works FORCE INDEX (category_started) WHERE category_id = 17";
    list.samples_ns.clear();
    list.rows_examined = 0;
    list.checksum.clear();
    list.plan.clear();
    forced.samples_ns = per_view_samples(forced.queries);
    forced.rows_examined = rows_examined_per_view(forced.queries);
  }
  screens.push_back(std::move(forced));
  // Failed before (a lock wait in every before phase), runs after: verdict fixed.
  ScreenResult inbox = screen("inbox", "Messages",
                              {spec("unread", "SELECT id FROM messages WHERE unread = 1", 0.3, 12,
                                    plan_row("messages", "ref", "unread", "12", ""), "7777")},
                              take);
  if (!after) {
    QueryResult& unread = inbox.queries.front();
    unread.error =
        "127.0.0.1:3306: [1205] (HY000) Lock wait timeout exceeded; try restarting transaction";
    unread.samples_ns.clear();
    unread.rows_examined = 0;
    unread.checksum.clear();
    unread.plan.clear();
    inbox.samples_ns = per_view_samples(inbox.queries);
    inbox.rows_examined = rows_examined_per_view(inbox.queries);
  }
  screens.push_back(std::move(inbox));
  return screens;
}

RunResult causes_run(bool after) {
  RunResult out =
      run(after ? "after" : "before", after ? "2024-05-01T10:05:00Z" : "2024-05-01T10:00:00Z",
          causes_screens(after, after ? Take{0.5, kIterations} : Take{}));
  RunConditions conditions;
  conditions.table_rows = {{"works", {300000, true}},
                           {"portfolios", {60000, true}},
                           {"users", {100000, true}},
                           {"profiles", {100000, true}}};
  out.conditions = conditions;
  if (after) {
    out.index_statistics = {deleted_flag(), user_deleted()};
    ChangeRecord change;
    change.description = "migration scenarios/demo/migrations/causes.up.sql";
    change.tables = {"portfolios", "profiles", "works"};
    change.apply_s = {0.4};
    change.undo_s = {0.3};
    HintProblem broken;
    broken.screen = "category_page";
    broken.query = "list";
    broken.where = {"scenarios/demo/screens/category_page.toml", 4, 1};
    broken.table = "works";
    broken.hint = "FORCE INDEX (category_started)";
    broken.index = "category_started";
    broken.before = "category_started";
    broken.error = "[1176] Key 'category_started' doesn't exist in table 'works'";
    broken.cause = "works has no index category_started any more";
    HintProblem redirected = broken;
    redirected.kind = HintProblem::Kind::kRedirected;
    redirected.screen = "portfolio";
    redirected.where = {"scenarios/demo/screens/portfolio.toml", 4, 1};
    redirected.table = "portfolios";
    redirected.hint = "FORCE INDEX (user_id)";
    redirected.index = "user_id";
    redirected.before = "user_id";
    redirected.after = "user_id_id";
    redirected.error.clear();
    redirected.cause = "user_id is gone";
    HintProblem keeps_off = redirected;
    keeps_off.kind = HintProblem::Kind::kKeepsOff;
    keeps_off.after = "user_deleted_id";
    keeps_off.cause =
        "with the hint it reads user_id_id; without it the optimizer uses user_deleted_id";
    keeps_off.with_ms = 21.3;
    keeps_off.without_ms = 0.236;
    keeps_off.samples = 15;
    keeps_off.rows_examined_with = 60000;
    keeps_off.rows_examined_without = 2;
    change.hint_problems = {broken, redirected, keeps_off};
    out.change = change;
  }
  return out;
}

// ---- production-causes.json: before-causes.json's screens as production planned them (issue
// 33's plan fidelity, `compare --plans-from`): 100 times the rows, and some plans otherwise.
PlanRow* plan_of(RunResult& run, const std::string& screen, const std::string& query) {
  for (ScreenResult& s : run.screens) {
    for (QueryResult& q : s.queries) {
      if (s.name == screen && q.name == query) return &q.plan.front();
    }
  }
  return nullptr;
}

RunResult production_causes_run() {
  RunResult out = causes_run(false);
  out.label = "production";
  out.server.endpoint = "db-replica.internal:3306";
  for (auto& [table, rows] : out.conditions->table_rows) rows.rows *= 100;
  // Looked up by an index the copy lacks (and the table 100 times larger).
  PlanRow& list = *plan_of(out, "work_search", "list");
  list.access_type = "ref";
  list.possible_keys = "PRIMARY,status_created";
  list.key = "status_created";
  // A range the copy's index dives estimate otherwise.
  plan_of(out, "budget_search", "soon")->rows = "60000";
  // The same lookup, a thousand times the rows estimated.
  plan_of(out, "portfolio", "recent")->rows = "4000";
  // Another join order.
  for (ScreenResult& screen : out.screens) {
    if (screen.name == "member_search") {
      std::swap(screen.queries[0].plan[0], screen.queries[0].plan[1]);
    }
  }
  // A query production's file does not hold.
  std::erase_if(out.screens, [](const ScreenResult& s) { return s.name == "profile_search"; });
  return out;
}

}  // namespace

std::vector<std::pair<std::string, RunResult>> compare_fixtures() {
  const Take again{0.5, kIterations};  // the "after" runs: measured again
  const Take interrupted{0.5, 12};     // stopped after 12 of 20 iterations
  return {
      {"before.json",
       run("before", "2024-05-01T10:00:00Z",
           {work_search(1.0, 2000, kByIndex), top(), mypage_profile(3.0), help_beginner("level"),
            message_list("ab12cd34ef56ab78"), old_landing()})},
      {"after.json", run("after drop_category_index", "2024-05-01T10:05:00Z",
                         {work_search(40.0, 600000, kFullScan, again), top(again),
                          mypage_profile(1.0, again), help_beginner("level_id", again),
                          message_list("ab12cd34ef56ab79", again), work_search_design(again)})},
      {"after-time-only.json", run("after, slower", "2024-05-01T10:05:00Z",
                                   {work_search(1.5, 2000, kByIndex, again), top(again),
                                    mypage_profile(3.0, again), help_beginner("level", again),
                                    message_list("ab12cd34ef56ab78", again), old_landing(again)})},
      {"after-error.json", run("after drop_category_index", "2024-05-01T10:05:00Z",
                               {work_search_broken(again), top(again), mypage_profile(3.0, again),
                                help_beginner("level", again),
                                message_list("ab12cd34ef56ab78", again), old_landing(again)})},
      {"before-causes.json", causes_run(false)},
      {"after-causes.json", causes_run(true)},
      {"production-causes.json", production_causes_run()},
      {"after-incomplete.json",
       run("after, interrupted", "2024-05-01T10:05:00Z",
           {work_search(1.0, 2000, kByIndex, interrupted), top(interrupted),
            mypage_profile(3.0, interrupted), help_beginner("level", interrupted),
            message_list("ab12cd34ef56ab78", interrupted), old_landing(interrupted)},
           "interrupted by a signal (SIGINT/SIGTERM)")},
  };
}

}  // namespace sqlmeasure::testing
