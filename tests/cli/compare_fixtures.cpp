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
      {"after-incomplete.json",
       run("after, interrupted", "2024-05-01T10:05:00Z",
           {work_search(1.0, 2000, kByIndex, interrupted), top(interrupted),
            mypage_profile(3.0, interrupted), help_beginner("level", interrupted),
            message_list("ab12cd34ef56ab78", interrupted), old_landing(interrupted)},
           "interrupted by a signal (SIGINT/SIGTERM)")},
  };
}

}  // namespace sqlmeasure::testing
