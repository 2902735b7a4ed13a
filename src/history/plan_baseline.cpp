// Plan baselines (plan_baseline.h): the file, accepting plans, and a run checked against them —
// a baseline is turned into the "before" run of a comparison, so a departure is named with the
// kind and evidence compare gives every plan change.
#include "sqlmeasure/plan_baseline.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/compare.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using json = nlohmann::ordered_json;

// The Extra flags a plan change is made of (compare's diff_plans): the rest of Extra moves
// with statistics and server versions.
constexpr const char* kKeptExtra[] = {"Using filesort", "Using temporary"};

AcceptedRow accepted_row(const PlanRow& row) {
  AcceptedRow out{row.id, row.select_type, row.table, row.access_type, row.key, row.key_len, {}};
  for (const char* flag : kKeptExtra) {
    if (row.extra.find(flag) != std::string::npos) out.extra.emplace_back(flag);
  }
  return out;
}

AcceptedPlan accepted_plan(const std::string& screen, const QueryResult& query,
                           const std::string& accepted_at) {
  AcceptedPlan plan{screen, query.name, {}, query.rows_examined, accepted_at, ""};
  for (const PlanRow& row : query.plan) plan.plan.push_back(accepted_row(row));
  return plan;
}

[[noreturn]] void bad(const std::string& path, const std::string& at, const std::string& what) {
  fail(ExitCode::kBadInput, fmt::format("{}: {}: {}", path, at, what));
}

std::string text_at(const json& object, const std::string& path, const std::string& at,
                    const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) {
    bad(path, at + "." + key, "expected a string");
  }
  return object[key].get<std::string>();
}

// The run a baseline stands for, with `after`'s SQL (the causes read the values it looks up).
RunResult baseline_run(const PlanBaseline& baseline, const RunResult& after) {
  RunResult run;
  run.server = after.server;
  run.settings = after.settings;
  for (const ScreenResult& screen : after.screens) {
    ScreenResult accepted;
    accepted.name = screen.name;
    for (const QueryResult& query : screen.queries) {
      const AcceptedPlan* plan = baseline.find(screen.name, query.name);
      if (plan == nullptr) continue;
      QueryResult q;
      q.name = query.name;
      q.sql = query.sql;
      q.times = query.times;
      q.rows_examined = plan->rows_examined;
      for (const AcceptedRow& row : plan->plan) {
        PlanRow r;
        r.id = row.id;
        r.select_type = row.select_type;
        r.table = row.table;
        r.access_type = row.type;
        r.key = row.key;
        r.key_len = row.key_len;
        r.extra = join(row.extra, "; ");
        q.plan.push_back(std::move(r));
      }
      accepted.queries.push_back(std::move(q));
    }
    if (!accepted.queries.empty()) run.screens.push_back(std::move(accepted));
  }
  return run;
}

}  // namespace

const AcceptedPlan* PlanBaseline::find(const std::string& screen, const std::string& query) const {
  const auto found = std::find_if(queries.begin(), queries.end(), [&](const AcceptedPlan& p) {
    return p.screen == screen && p.query == query;
  });
  return found == queries.end() ? nullptr : &*found;
}

PlanBaseline read_plan_baseline(const std::string& path) {
  const std::string text = read_input_file(path, "the plan baseline", ExitCode::kBadInput);
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& error) {
    fail(ExitCode::kBadInput, fmt::format("{}: not JSON at byte {}", path, error.byte));
  }
  if (!document.is_object() || !document.contains("sqlmeasure_plan_baseline") ||
      !document["sqlmeasure_plan_baseline"].is_number_integer()) {
    bad(path, "$", "not a plan baseline (no \"sqlmeasure_plan_baseline\": 1)");
  }
  if (document["sqlmeasure_plan_baseline"].get<int>() > kPlanBaselineVersion) {
    bad(path, "$.sqlmeasure_plan_baseline", "a newer version than this sqlmeasure reads");
  }
  PlanBaseline baseline;
  baseline.server = text_at(document, path, "$", "server");
  if (!document.contains("queries") || !document["queries"].is_array()) {
    bad(path, "$.queries", "expected an array");
  }
  const json& queries = document["queries"];
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const std::string at = fmt::format("$.queries[{}]", i);
    AcceptedPlan plan;
    plan.screen = text_at(queries[i], path, at, "screen");
    plan.query = text_at(queries[i], path, at, "query");
    plan.accepted_at = text_at(queries[i], path, at, "accepted_at");
    if (queries[i].contains("reason")) plan.reason = text_at(queries[i], path, at, "reason");
    if (!queries[i].contains("rows_examined") ||
        !queries[i]["rows_examined"].is_number_unsigned()) {
      bad(path, at + ".rows_examined", "expected a whole number ≥ 0");
    }
    plan.rows_examined = queries[i]["rows_examined"].get<std::uint64_t>();
    if (!queries[i].contains("plan") || !queries[i]["plan"].is_array()) {
      bad(path, at + ".plan", "expected an array");
    }
    const json& rows = queries[i]["plan"];
    for (std::size_t j = 0; j < rows.size(); ++j) {
      const std::string row_at = fmt::format("{}.plan[{}]", at, j);
      AcceptedRow row{text_at(rows[j], path, row_at, "id"),
                      text_at(rows[j], path, row_at, "select_type"),
                      text_at(rows[j], path, row_at, "table"),
                      text_at(rows[j], path, row_at, "type"),
                      text_at(rows[j], path, row_at, "key"),
                      text_at(rows[j], path, row_at, "key_len"),
                      {}};
      if (rows[j].contains("extra")) {
        if (!rows[j]["extra"].is_array()) bad(path, row_at + ".extra", "expected an array");
        for (const json& flag : rows[j]["extra"]) {
          if (!flag.is_string()) bad(path, row_at + ".extra", "expected strings");
          row.extra.push_back(flag.get<std::string>());
        }
      }
      plan.plan.push_back(std::move(row));
    }
    if (baseline.find(plan.screen, plan.query) != nullptr) {
      bad(path, at, fmt::format("a second entry for {}/{}", plan.screen, plan.query));
    }
    baseline.queries.push_back(std::move(plan));
  }
  return baseline;
}

void write_plan_baseline(const PlanBaseline& baseline, const std::string& path) {
  json queries = json::array();
  for (const AcceptedPlan& plan : baseline.queries) {
    json rows = json::array();
    for (const AcceptedRow& row : plan.plan) {
      json entry = {{"id", row.id},       {"select_type", row.select_type},
                    {"table", row.table}, {"type", row.type},
                    {"key", row.key},     {"key_len", row.key_len}};
      if (!row.extra.empty()) entry["extra"] = row.extra;
      rows.push_back(std::move(entry));
    }
    json entry = {{"screen", plan.screen},
                  {"query", plan.query},
                  {"plan", rows},
                  {"rows_examined", plan.rows_examined},
                  {"accepted_at", plan.accepted_at}};
    if (!plan.reason.empty()) entry["reason"] = plan.reason;
    queries.push_back(std::move(entry));
  }
  const json document = {{"sqlmeasure_plan_baseline", kPlanBaselineVersion},
                         {"server", baseline.server},
                         {"queries", queries}};
  write_file_atomically(path, document.dump(2) + "\n");
}

PlanBaseline baseline_of(const RunResult& run, const std::string& accepted_at) {
  PlanBaseline baseline;
  baseline.server = fmt::format("{} {} · {} · {}", flavor_name(run.server.flavor),
                                run.server.version, run.server.endpoint, run.server.database);
  for (const ScreenResult& screen : run.screens) {
    for (const QueryResult& query : screen.queries) {
      if (query.error || query.plan.empty()) continue;
      baseline.queries.push_back(accepted_plan(screen.name, query, accepted_at));
    }
  }
  return baseline;
}

PlanBaseline accept_one(PlanBaseline baseline, const RunResult& run, const std::string& screen,
                        const std::string& query, const std::string& reason,
                        const std::string& accepted_at) {
  for (const ScreenResult& measured : run.screens) {
    if (measured.name != screen) continue;
    for (const QueryResult& q : measured.queries) {
      if (q.name != query) continue;
      if (q.error || q.plan.empty()) {
        fail(ExitCode::kUsage, fmt::format("{}/{} has no plan to accept: {}", screen, query,
                                           q.error.value_or("it was not explained")));
      }
      AcceptedPlan plan = accepted_plan(screen, q, accepted_at);
      plan.reason = reason;
      const auto at = std::find_if(
          baseline.queries.begin(), baseline.queries.end(),
          [&](const AcceptedPlan& p) { return p.screen == screen && p.query == query; });
      if (at == baseline.queries.end()) {
        baseline.queries.push_back(std::move(plan));
      } else {
        *at = std::move(plan);
      }
      return baseline;
    }
  }
  fail(ExitCode::kUsage,
       fmt::format("--query {}/{}: no such query among the screens measured", screen, query));
}

std::string BaselineDeparture::describe() const {
  std::string text =
      fmt::format("{}/{}: plan changed from baseline: {}", screen, query, join(changes, "; "));
  if (rows_before != rows_after) {
    text +=
        fmt::format(", rows examined {} → {}", format_count(rows_before), format_count(rows_after));
  }
  text += fmt::format(" (accepted {}{})", accepted_at.substr(0, 10),
                      reason.empty() ? "" : ": " + reason);
  return text;
}

std::string BaselineCheck::summary() const {
  std::string line =
      fmt::format("baseline: {} of {} quer{} left {} accepted plan{}", departures.size(), compared,
                  compared == 1 ? "y" : "ies", departures.size() == 1 ? "its" : "their",
                  departures.size() == 1 ? "" : "s");
  if (!not_in_baseline.empty()) {
    line += fmt::format(
        "; {} not in the baseline ({}: `sqlmeasure baseline accept --query "
        "SCREEN/QUERY` adds one)",
        not_in_baseline.size(), join(not_in_baseline, ", "));
  }
  return line;
}

BaselineCheck check_baseline(const PlanBaseline& baseline, const RunResult& run,
                             const VerdictRule& rule) {
  BaselineCheck check;
  const RunResult accepted = baseline_run(baseline, run);
  const Comparison comparison = compare_runs(accepted, run, rule);
  for (const ScreenResult& screen : run.screens) {
    for (const QueryResult& query : screen.queries) {
      const AcceptedPlan* plan = baseline.find(screen.name, query.name);
      if (plan == nullptr) {
        if (!query.error) check.not_in_baseline.push_back(screen.name + "/" + query.name);
        continue;
      }
      if (query.error || query.plan.empty()) continue;  // the run says so already
      ++check.compared;
      for (const ScreenComparison& compared : comparison.screens) {
        if (compared.name != screen.name) continue;
        for (const QueryComparison& q : compared.queries) {
          if (q.name != query.name || q.plan_changes.empty()) continue;
          BaselineDeparture departure{screen.name,         query.name,          {},
                                      plan->rows_examined, query.rows_examined, plan->accepted_at,
                                      plan->reason};
          for (const PlanChange& change : q.plan_changes) {
            const std::string causes = change.causes_text();
            departure.changes.push_back(change.describe() +
                                        (causes.empty() ? "" : " [" + causes + "]"));
          }
          check.departures.push_back(std::move(departure));
        }
      }
    }
  }
  return check;
}

}  // namespace sqlmeasure
