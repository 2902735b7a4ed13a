// The measurement loop. Order of work: one inspection per query, warm-up, then timed
// rounds. A round visits every screen once — in file order, or shuffled with the seed — and
// takes one timed view of it (its queries in file order, a `times = N` query N times), on
// each endpoint in turn, so slow drift (caches, CPU frequency, neighbours) spreads evenly
// over every screen. A timed view never follows another screen's queries: it comes right
// after an untimed lead-in view of the same screen, so a screen's figures do not depend on
// which screens run beside it (docs/measurement.md, "Views"; --iterations auto spares the
// lead-in of a heavy screen, and after a light one).
#include "sqlmeasure/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>

#include "random.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/hash.h"
#include "sqlmeasure/timestamp.h"
#include "sqlmeasure/version.h"

namespace sqlmeasure {
namespace {

struct Slot {
  size_t screen = 0, query = 0;
  size_t variants = 1;  // the parameter cycle: variant i uses value i mod count of each param
};

struct Interrupted {};

constexpr size_t kNoScreen = SIZE_MAX;
constexpr int kDecidedAfterViews = 3;
// --iterations auto: a query's inspection runs one more variant only while, at the pace of the
// ones before, that keeps it within this time; two sides inspected to different depths compare
// on the variants both ran (align_inspections). A full scan of 45 ms is inspected once, not 8
// times; a 20 ms query twice; a 5 ms one 8 times.
constexpr std::int64_t kInspectionBudgetNs = 50'000'000;
// --iterations auto: a screen whose view takes this long takes no lead-in view, and a query
// this long one warm-up run: what a neighbour leaves in the caches costs a query a fraction of
// a millisecond (docs/measurement.md, "Views"), a few hundredths of such a view, while a
// lead-in doubles its cost; its own first run fills the caches it reads.
constexpr std::int64_t kNoLeadInViewNs = 10'000'000;
// --iterations auto: a screen whose view takes at most this leaves too little in the caches
// for the next screen to need a lead-in after it (docs/measurement.md, "Views").
constexpr std::int64_t kLightViewNs = 1'000'000;

// The lead-in before timed view `view` uses the values of the view before it, as when a user
// pages through the screen (the first uses those of a view past the last).
size_t lead_in_view(size_t view, size_t views) { return view == 0 ? views : view - 1; }

// Two plans that read alike: every row the same but the optimizer's estimate of its rows.
bool same_access_paths(const std::vector<PlanRow>& a, const std::vector<PlanRow>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const PlanRow& x, const PlanRow& y) { return x.same_access_path(y); });
}

using Clock = std::chrono::steady_clock;

size_t cycle_length(const Query& query) {
  size_t length = 1;
  for (const auto& [name, spec] : query.params) length = std::max(length, spec.values.size());
  return length;
}

RunResult empty_run(const Target& target, const std::vector<Screen>& screens,
                    const RunOptions& options) {
  RunResult run;
  run.tool_version = kVersion;
  run.label = target.label.empty() ? options.label : target.label;
  run.started_at = utc_now(TimestampFormat::kIso8601);
  run.server = target.connection->server();
  // As chosen by rows_examined() in inspect.cpp.
  run.rows_examined_method =
      run.server.flavor == Flavor::kMariaDB ? "rows_read_status" : "handler_read_counters";
  run.settings = options.settings;
  for (const Screen& screen : screens) {
    ScreenResult& out = run.screens.emplace_back();
    out.name = screen.name;
    out.description = screen.description;
    out.file = screen.file;
    out.budget = screen.budget;
    for (const Query& query : screen.queries) {
      QueryResult& q = out.queries.emplace_back();
      q.name = query.name;
      q.sql = query.sql;
      q.times = query.times;
      q.executions_per_view = query.times;  // each execution of a view is timed
      for (const auto& [name, spec] : query.params) q.params[name] = spec.values;
      q.samples_ns.reserve(static_cast<size_t>(options.settings.iterations) *
                           static_cast<size_t>(query.times));
    }
  }
  return run;
}

// A screen's per-view figures, once its queries are measured. A screen of one query issued
// once per view keeps no copy: its per-view samples are its query's (view_samples()).
void finish_screens(RunResult& run) {
  for (ScreenResult& screen : run.screens) {
    screen.rows_examined = rows_examined_per_view(screen.queries);
    screen.samples_ns.clear();
    if (screen.queries.size() == 1 && screen.queries.front().times == 1) continue;
    screen.samples_ns = per_view_samples(screen.queries);
  }
  recompute_stats(run);
}

class Measurement {
 public:
  Measurement(const std::vector<Target>& targets, const std::vector<Screen>& screens,
              const RunOptions& options)
      : targets_(targets), screens_(screens), options_(options) {
    for (const Target& target : targets) runs_.push_back(empty_run(target, screens, options));
    screen_slots_.resize(screens.size());
    size_t executions_per_round = 0;  // timed and lead-in, on one target
    for (size_t s = 0; s < screens.size(); ++s) {
      for (size_t q = 0; q < screens[s].queries.size(); ++q) {
        screen_slots_[s].push_back(slots_.size());
        slots_.push_back({s, q, cycle_length(screens[s].queries[q])});
        executions_per_round += 2 * static_cast<size_t>(screens[s].queries[q].times);
      }
    }
    const RunSettings& settings = options.settings;
    // One step per query inspected, and per warm-up execution its inspection does not stand
    // for (warm_up()); a budgeted inspection may stand for fewer, and the count ends at 100 %.
    const size_t inspected_cap = static_cast<size_t>(std::max(1, options.max_inspected_variants));
    size_t set_up = 0;
    for (const Slot& slot : slots_) {
      const size_t inspected = std::min(slot.variants, inspected_cap);
      set_up += 1 + static_cast<size_t>(std::max<std::int64_t>(
                        0, settings.warmup - static_cast<std::int64_t>(inspected)));
    }
    progress_.total =
        targets.size() * (set_up + executions_per_round * static_cast<size_t>(settings.iterations));
    rendered_.resize(targets.size() * slots_.size());
    inspected_executions_.resize(rendered_.size(), 0);
    first_execution_ns_.resize(rendered_.size(), 0);
    last_view_ns_.resize(targets.size() * screens.size(), 0);
  }

  std::vector<RunResult> run() {
    run_started_ = Clock::now();
    InterruptWatchdog watchdog(*this);
    try {
      read_run_conditions();
      inspect();
      warm_up();
      sample();
    } catch (const Interrupted&) {
      mark_incomplete("interrupted by a signal (SIGINT/SIGTERM)");
    } catch (const DatabaseError& error) {
      if (!error.connection_lost()) throw;
      mark_incomplete(fmt::format("connection lost: {}", error.what()));
    }
    for (RunResult& run : runs_) {
      finish_screens(run);
      run.finished_at = utc_now(TimestampFormat::kIso8601);
    }
    return std::move(runs_);
  }

 private:
  // While the run lasts, watches the interrupt flag and, once it is raised, stops the
  // statements running on every measuring connection (RunOptions::cancel).
  class InterruptWatchdog {
   public:
    explicit InterruptWatchdog(Measurement& run) : run_(run) {
      if (!run.options_.cancel || run.options_.interrupted == nullptr) return;
      thread_ = std::thread([this] { watch(); });
    }
    ~InterruptWatchdog() {
      done_ = true;
      if (thread_.joinable()) thread_.join();
    }
    InterruptWatchdog(const InterruptWatchdog&) = delete;
    InterruptWatchdog& operator=(const InterruptWatchdog&) = delete;

   private:
    void watch() {
      while (!done_) {
        if (run_.options_.interrupted->load()) {
          for (const auto& [target, session] : run_.measuring_sessions()) {
            if (session != 0) run_.options_.cancel(target, session);
          }
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    Measurement& run_;
    std::atomic<bool> done_{false};
    std::thread thread_;
  };

  // (target, session id) of every connection measuring now: the targets', --concurrency's.
  std::vector<std::pair<size_t, std::uint64_t>> measuring_sessions() {
    std::lock_guard<std::mutex> lock(connections_mutex_);
    std::vector<std::pair<size_t, std::uint64_t>> sessions;
    for (size_t t = 0; t < targets_.size(); ++t) {
      sessions.emplace_back(t, targets_[t].connection->session_id());
    }
    for (const auto& [target, extra] : extra_connections_) {
      sessions.emplace_back(target, extra->session_id());
    }
    return sessions;
  }

  size_t cell(size_t target, const Slot& slot) const {
    return target * slots_.size() + static_cast<size_t>(&slot - slots_.data());
  }

  QueryResult& result(size_t target, const Slot& slot) {
    return runs_[target].screens[slot.screen].queries[slot.query];
  }

  // Rendered once per (target, slot, variant) and then reused, so that the sampling loop
  // neither lexes nor allocates.
  const std::string& sql_for(size_t target, const Slot& slot, size_t variant) {
    std::vector<std::string>& cache = rendered_[cell(target, slot)];
    if (cache.empty()) cache.resize(slot.variants);
    std::string& sql = cache[variant];
    if (sql.empty()) {
      Connection* connection = targets_[target].connection;
      sql = render_sql(screens_[slot.screen].queries[slot.query], variant,
                       [connection](std::string_view text) { return connection->quote(text); });
    }
    return sql;
  }

  void check_interrupt() {
    if (options_.interrupted != nullptr && options_.interrupted->load()) throw Interrupted{};
  }

  void advance(const char* phase) {
    ++progress_.done;
    if (options_.on_progress && (progress_.done % 16 == 0 || progress_.done == progress_.total)) {
      progress_.phase = phase;
      options_.on_progress(progress_);
    }
  }

  // Runs `work` for one query on one endpoint, with recover()'s rules.
  template <typename Work>
  void attempt(size_t target, const Slot& slot, Work&& work) {
    QueryResult& query = result(target, slot);
    if (query.error) return;
    for (;;) {
      try {
        work(query);
        return;
      } catch (const DatabaseError& error) {
        if (!recover(error, target, query, *targets_[target].connection, nullptr)) return;
      }
    }
  }

  // After a statement failed: a lost connection is reconnected while --retries allows (true:
  // try again), and otherwise ends the run (rethrown); any other error (timeout, bad SQL) is
  // recorded on its query, which then takes no more samples (false). With several workers,
  // `guard` protects the shared counters and errors; the reconnect itself runs unlocked.
  bool recover(const DatabaseError& error, size_t target, QueryResult& query,
               Connection& connection, std::mutex* guard) {
    // An interrupt stops the statement (KILL QUERY): its error is the interrupt, not the query's.
    check_interrupt();
    {
      std::unique_lock<std::mutex> lock;
      if (guard != nullptr) lock = std::unique_lock<std::mutex>(*guard);
      if (!error.connection_lost()) {
        if (!query.error) {
          query.error = error.timed_out() ? fmt::format("timed out after {} ms",
                                                        options_.settings.query_timeout_ms)
                                          : std::string(error.what());
        }
        return false;
      }
      if (retries_left_ <= 0) throw error;
      --retries_left_;
      ++runs_[target].reconnects;
    }
    connection.reconnect();  // throws if the server stays away
    return true;
  }

  // In write mode the statement runs inside a transaction that is always rolled back; the
  // clock still covers only the statement.
  Execution execute(Connection& connection, const std::string& sql, bool with_checksum) {
    if (!options_.allow_writes) return connection.execute_timed(sql, with_checksum);
    return in_rolled_back_transaction(connection,
                                      [&] { return connection.execute_timed(sql, with_checksum); });
  }

  template <typename Work>
  std::invoke_result_t<Work> in_rolled_back_transaction(Connection& connection, Work&& work) {
    connection.execute("START TRANSACTION");
    try {
      auto result = work();
      roll_back(connection);
      return result;
    } catch (const Error&) {
      try {
        connection.execute("ROLLBACK");
      } catch (const Error&) {
        // The connection is gone; the server rolls the transaction back itself.
      }
      throw;
    }
  }

  // A ROLLBACK cannot undo a change to a non-transactional (e.g. MyISAM) table; the server
  // says so with warning 1196, and then the run must stop loudly.
  static void roll_back(Connection& connection) {
    connection.execute("ROLLBACK");
    ResultSet warnings = connection.query("SHOW WARNINGS");
    int code = warnings.column("Code");
    for (const auto& row : warnings.rows) {
      if (code >= 0 && row[static_cast<size_t>(code)] == std::optional<std::string>("1196")) {
        fail(ExitCode::kRuntime,
             "a write scenario changed a non-transactional table, which "
             "ROLLBACK cannot undo; stopping (use InnoDB tables for write "
             "scenarios)");
      }
    }
  }

  // Once per endpoint, before anything is timed. A server that will not say (a privilege, an
  // old version) leaves the run without conditions rather than stopping it.
  void read_run_conditions() {
    if (!options_.record_conditions) return;
    for (size_t t = 0; t < targets_.size(); ++t) {
      check_interrupt();
      try {
        runs_[t].conditions = read_conditions(*targets_[t].connection, screens_);
      } catch (const DatabaseError& error) {
        if (error.connection_lost()) throw;
      }
    }
  }

  // After the inspection: its executions of variants 0, 1, ... count as the first rounds (the
  // same statements, run untimed), so a query inspected over 8 variants needs no more. With
  // --iterations auto a query of kNoLeadInViewNs or more takes one round only.
  void warm_up() {
    for (int round = 0; round < options_.settings.warmup; ++round) {
      for (const Slot& slot : slots_) {
        for (size_t t = 0; t < targets_.size(); ++t) {
          check_interrupt();
          if (static_cast<size_t>(round) < inspected_executions_[cell(t, slot)]) continue;
          if (round > 0 && options_.settings.auto_iterations.enabled &&
              first_execution_ns_[cell(t, slot)] >= kNoLeadInViewNs) {
            continue;  // a query this heavy is warm after one run (see kNoLeadInViewNs)
          }
          attempt(t, slot, [&](QueryResult&) {
            (void)execute(*targets_[t].connection,
                          sql_for(t, slot, static_cast<size_t>(round) % slot.variants), false);
          });
          advance("warm-up");
        }
      }
    }
  }

  void inspect() {
    size_t variants_cap = static_cast<size_t>(std::max(1, options_.max_inspected_variants));
    const bool budgeted = options_.settings.auto_iterations.enabled;
    for (const Slot& slot : slots_) {
      for (size_t t = 0; t < targets_.size(); ++t) {
        check_interrupt();
        attempt(t, slot, [&](QueryResult& query) {
          Connection& connection = *targets_[t].connection;
          size_t variants = std::min(slot.variants, variants_cap);
          std::int64_t spent_ns = 0;
          query.warnings.clear();
          query.variants.clear();
          for (size_t v = 0; v < variants; ++v) {
            // Within the budget: the next variant is expected to take what the last did.
            if (budgeted && v > 0 &&
                spent_ns + spent_ns / static_cast<std::int64_t>(v) > kInspectionBudgetNs) {
              break;
            }
            std::string sql = sql_for(t, slot, v);
            if (v == 0) query.plan = explain(connection, sql, &query.warnings);
            if (v == 0 && t == 0) {
              if (const QueryResult* earlier = inspected_earlier(slot);
                  earlier != nullptr && same_access_paths(earlier->plan, query.plan)) {
                for (const ServerWarning& warning : earlier->warnings) {
                  add_warning(query.warnings, warning);
                }
                query.rows_examined = earlier->rows_examined;
                query.rows_sent = earlier->rows_sent;
                query.checksum = earlier->checksum;
                query.variants_inspected = earlier->variants_inspected;
                query.variants = earlier->variants;
                return;
              }
            }
            auto once = [&] { return inspect_execution(connection, sql); };
            Inspection inspection =
                options_.allow_writes ? in_rolled_back_transaction(connection, once) : once();
            for (const ServerWarning& warning : inspection.warnings) {
              add_warning(query.warnings, warning);
            }
            if (v == 0) first_execution_ns_[cell(t, slot)] = inspection.execution.elapsed_ns;
            spent_ns += inspection.execution.elapsed_ns;
            inspected_executions_[cell(t, slot)] = v + 1;
            query.variants.push_back({inspection.rows_examined, inspection.execution.rows_sent,
                                      inspection.execution.checksum});
          }
          total_inspection(query);
        });
        advance("inspect");
      }
    }
  }

  // The same query in the run options' `inspected` phase, when it was inspected there
  // cleanly (same SQL, no error), else null.
  const QueryResult* inspected_earlier(const Slot& slot) const {
    if (options_.inspected == nullptr) return nullptr;
    const Screen& screen = screens_[slot.screen];
    const Query& wanted = screen.queries[slot.query];
    for (const ScreenResult& earlier : options_.inspected->screens) {
      if (earlier.name != screen.name) continue;
      for (const QueryResult& query : earlier.queries) {
        if (query.name == wanted.name && query.sql == wanted.sql && !query.error &&
            query.variants_inspected > 0) {
          return &query;
        }
      }
    }
    return nullptr;
  }

  void sample() {
    sampling_started_ = Clock::now();
    for (RunResult& run : runs_) run.throughput.setup_s = seconds_since(run_started_);
    try {
      if (options_.settings.concurrency > 1) {
        sample_concurrently();
        for (RunResult& run : runs_) {
          for (ScreenResult& screen : run.screens) {
            screen.sampling = SamplingStop{options_.settings.iterations, "iterations"};
          }
        }
      } else {
        sample_in_turn();
      }
    } catch (...) {
      record_throughput();
      throw;
    }
    record_throughput();
  }

  void record_throughput() {
    double wall = seconds_since(sampling_started_);
    for (RunResult& run : runs_) {
      run.throughput.wall_s = wall;
      run.throughput.queries = lead_in_executions_.load() / runs_.size();
      for (const ScreenResult& screen : run.screens) {
        for (const QueryResult& query : screen.queries) {
          run.throughput.queries += query.samples_ns.size();
        }
      }
    }
  }

  // The screens in the order a round visits them before any shuffle: file order.
  std::vector<size_t> screen_order() const {
    std::vector<size_t> order(screens_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    return order;
  }

  // One connection per target, the documented loop. With --iterations auto a screen leaves
  // the rotation once its per-view median is precise enough on every target (or its time
  // budget is spent); the shuffle still draws every round alike.
  void sample_in_turn() {
    const RunSettings::AutoIterations& rule = options_.settings.auto_iterations;
    const size_t views = static_cast<size_t>(options_.settings.iterations);
    std::mt19937_64 rng(options_.settings.seed);
    std::vector<size_t> order = screen_order();
    const bool shuffled = options_.settings.order == Order::kShuffled;
    std::vector<const char*> stopped(screens_.size(), nullptr);  // why, once it is
    std::vector<double> screen_seconds(screens_.size(), 0);
    std::vector<int> screen_views(screens_.size(), 0);
    std::vector<size_t> last_view(targets_.size(), kNoScreen);  // the screen each one ran last
    // A screen the comparison has decided may stop before min_rounds: three views of each
    // side already bound its median ([min, max]), and a change far past the threshold is
    // shown by them (docs/measurement.md, "--iterations auto").
    const int first_check =
        options_.decided ? std::min(rule.min_rounds, kDecidedAfterViews) : rule.min_rounds;
    for (size_t iteration = 0; iteration < views; ++iteration) {
      if (shuffled) stable_shuffle(order, rng);
      for (size_t screen : order) {
        if (rule.enabled && stopped[screen] != nullptr) continue;
        Clock::time_point start = rule.enabled ? Clock::now() : Clock::time_point();
        for (size_t t = 0; t < targets_.size(); ++t) {
          if (last_view[t] != screen &&
              !(rule.enabled && (heavy(t, screen) || light(t, last_view[t]))))
            view_in_turn(t, screen, lead_in_view(iteration, views), false);
          last_view_ns_[t * screens_.size() + screen] = view_in_turn(t, screen, iteration, true);
          last_view[t] = screen;
        }
        ++screen_views[screen];
        if (rule.enabled) screen_seconds[screen] += seconds_since(start);
      }
      const int rounds = static_cast<int>(iteration) + 1;
      if (rule.enabled && rounds >= first_check &&
          update_converged(stopped, screen_seconds, rounds >= rule.min_rounds)) {
        break;
      }
    }
    for (size_t s = 0; s < screens_.size(); ++s) {
      const char* reason = !rule.enabled ? "iterations" : stopped[s] ? stopped[s] : "rounds";
      for (RunResult& run : runs_) run.screens[s].sampling = SamplingStop{screen_views[s], reason};
    }
    if (progress_.done < progress_.total && options_.on_progress) {
      progress_.total = progress_.done;  // stopped early, or lead-ins not needed: 100 %
      progress_.phase = "measure";
      options_.on_progress(progress_);
    }
  }

  // View number `view` of `screen` on target `t`: its queries in file order, each `times`
  // times, execution k of a query with the values of variant view × times + k. Timed: every
  // execution is a sample; otherwise a lead-in, run only for what it leaves behind.
  // Returns the timed view's time, the sum of its executions (0 for a lead-in).
  std::int64_t view_in_turn(size_t t, size_t screen, size_t view, bool timed) {
    std::int64_t total_ns = 0;
    for (size_t index : screen_slots_[screen]) {
      const Slot& slot = slots_[index];
      const size_t times = static_cast<size_t>(screens_[screen].queries[slot.query].times);
      for (size_t k = 0; k < times; ++k) {
        check_interrupt();
        const std::string& sql = sql_for(t, slot, (view * times + k) % slot.variants);
        attempt(t, slot, [&](QueryResult& query) {
          const std::int64_t ns = execute(*targets_[t].connection, sql, false).elapsed_ns;
          if (timed) {
            query.samples_ns.push_back(ns);
            total_ns += ns;
          } else {
            ++lead_in_executions_;
          }
        });
        advance("measure");
      }
    }
    return total_ns;
  }

  // A screen whose last timed view on target `t` took at most kLightViewNs: what it leaves
  // behind for the next screen is too little for a lead-in to matter.
  bool light(size_t t, size_t screen) const {
    if (screen == kNoScreen) return false;
    const std::int64_t view_ns = last_view_ns_[t * screens_.size() + screen];
    return view_ns > 0 && view_ns <= kLightViewNs;
  }

  // A screen too heavy for a lead-in to matter (kNoLeadInViewNs) on target `t`: by its last
  // timed view there, or before the first by its queries' first inspected executions.
  bool heavy(size_t t, size_t screen) const {
    std::int64_t view_ns = last_view_ns_[t * screens_.size() + screen];
    if (view_ns == 0) {
      for (size_t index : screen_slots_[screen]) {
        const std::int64_t first = first_execution_ns_[cell(t, slots_[index])];
        if (first == 0) return false;  // not inspected here (taken from an earlier phase)
        view_ns += first * screens_[screen].queries[slots_[index].query].times;
      }
    }
    return view_ns >= kNoLeadInViewNs;
  }

  // Marks the screens --iterations auto is finished with, and why; true when that is all of
  // them. `may_be_precise`: min_rounds are taken (before, only a decided screen stops).
  bool update_converged(std::vector<const char*>& stopped, const std::vector<double>& seconds,
                        bool may_be_precise) {
    const RunSettings::AutoIterations& rule = options_.settings.auto_iterations;
    bool all = true;
    for (size_t s = 0; s < screens_.size(); ++s) {
      if (stopped[s] != nullptr) continue;
      // Judged on the screen's per-view latency, the figure its verdict is about.
      bool precise = may_be_precise, complete = true;
      std::vector<ScreenSoFar> by_target;
      for (const RunResult& run : runs_) {
        const std::vector<QueryResult>& queries = run.screens[s].queries;
        const bool failed = std::any_of(queries.begin(), queries.end(),
                                        [](const QueryResult& q) { return q.error.has_value(); });
        if (failed || queries.empty()) {  // an error stops the screen anyway
          complete = false;
          continue;
        }
        std::vector<std::int64_t> views = per_view_samples(queries);
        if (precise && !median_is_precise(views, rule)) precise = false;
        by_target.push_back({&run.screens[s], std::move(views)});
      }
      if (!complete) {
        stopped[s] = "error";
      } else if (options_.decided && options_.decided(s, by_target)) {
        stopped[s] = "decided";
      } else if (precise) {
        stopped[s] = "precise";
      } else if (may_be_precise && seconds[s] >= rule.budget_s) {
        stopped[s] = "budget";
      }
      all = all && stopped[s] != nullptr;
    }
    return all;
  }

  // --concurrency N: N connections per target, each replaying whole rounds (every screen, a
  // lead-in and a timed view of each, as above) taken from one shared counter. A sample is
  // stored at its round's place, so each query's samples end in round order whichever
  // connection took them, and a screen's per-view sum adds up the queries of one round.
  void sample_concurrently() {
    const size_t workers = static_cast<size_t>(options_.settings.concurrency);
    Rounds rounds(targets_.size() * slots_.size());
    // Declared after `rounds`, so gone first: the watchdog never sees a closed connection.
    struct ForgetExtras {
      Measurement& run;
      ~ForgetExtras() {
        std::lock_guard<std::mutex> lock(run.connections_mutex_);
        run.extra_connections_.clear();
      }
    } forget{*this};
    prepare_rounds(rounds, workers);
    sampling_started_ = Clock::now();  // as mysqlslap: connecting is not part of the load
    std::vector<std::thread> threads;
    for (size_t w = 1; w < workers; ++w) threads.emplace_back([&, w] { replay_rounds(w, rounds); });
    replay_rounds(0, rounds);
    for (std::thread& thread : threads) thread.join();
    for (RunResult& run : runs_) {
      for (ScreenResult& screen : run.screens) {
        for (QueryResult& query : screen.queries) compact_round_samples(query.samples_ns);
      }
    }
    if (rounds.first_failure) std::rethrow_exception(rounds.first_failure);
  }

  // What the workers of sample_concurrently share.
  struct Rounds {
    explicit Rounds(size_t cells) : failed(std::make_unique<std::atomic<bool>[]>(cells)) {}
    std::vector<std::vector<std::unique_ptr<Connection>>> extra;  // [worker - 1][target]
    std::unique_ptr<std::atomic<bool>[]> failed;  // [target * slots + slot]: no more samples
    std::atomic<size_t> next{0}, taken{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;  // guards errors, reconnect bookkeeping and the first failure
    std::exception_ptr first_failure;
    size_t progress_base = 0;
  };

  // Everything the workers share is made before they start and only read afterwards.
  void prepare_rounds(Rounds& rounds, size_t workers) {
    const size_t count = static_cast<size_t>(options_.settings.iterations);
    for (size_t t = 0; t < targets_.size(); ++t) {
      for (const Slot& slot : slots_) {
        for (size_t v = 0; v < slot.variants; ++v) (void)sql_for(t, slot, v);
      }
    }
    rounds.extra.resize(workers - 1);
    for (auto& connections : rounds.extra) {
      for (size_t t = 0; t < targets_.size(); ++t) {
        connections.push_back(options_.open_connection(t));
        std::lock_guard<std::mutex> lock(connections_mutex_);
        extra_connections_.emplace_back(t, connections.back().get());
      }
    }
    for (size_t t = 0; t < targets_.size(); ++t) {
      for (size_t i = 0; i < slots_.size(); ++i) {
        QueryResult& query = result(t, slots_[i]);
        rounds.failed[t * slots_.size() + i] = query.error.has_value();
        query.samples_ns.assign(count * static_cast<size_t>(query.times), -1);
      }
    }
    rounds.progress_base = progress_.done;
  }

  // One worker: takes the next round until none is left, a failure stops everyone, or the
  // run is interrupted. Worker 0 reports progress.
  void replay_rounds(size_t worker, Rounds& rounds) {
    try {
      std::vector<Connection*> connections;
      for (size_t t = 0; t < targets_.size(); ++t) {
        connections.push_back(worker == 0 ? targets_[t].connection
                                          : rounds.extra[worker - 1][t].get());
      }
      const size_t count = static_cast<size_t>(options_.settings.iterations);
      std::vector<size_t> last_view(targets_.size(), kNoScreen);
      for (;;) {
        const size_t round = rounds.next.fetch_add(1);
        if (round >= count || rounds.stop.load()) return;
        replay_round(round, connections, last_view, rounds);
        if (worker == 0 && options_.on_progress) {
          progress_.done = rounds.progress_base + rounds.taken.load(std::memory_order_relaxed);
          progress_.phase = "measure";
          options_.on_progress(progress_);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(rounds.mutex);
      if (!rounds.first_failure) rounds.first_failure = std::current_exception();
      rounds.stop = true;
    }
  }

  void replay_round(size_t round, const std::vector<Connection*>& connections,
                    std::vector<size_t>& last_view, Rounds& rounds) {
    std::vector<size_t> order = screen_order();
    if (options_.settings.order == Order::kShuffled) {
      std::mt19937_64 rng(mix64(options_.settings.seed ^ mix64(round + 1)));
      stable_shuffle(order, rng);
    }
    const size_t views = static_cast<size_t>(options_.settings.iterations);
    for (size_t screen : order) {
      for (size_t t = 0; t < targets_.size(); ++t) {
        if (last_view[t] != screen) {
          replay_view(t, screen, lead_in_view(round, views), false, *connections[t], rounds);
        }
        replay_view(t, screen, round, true, *connections[t], rounds);
        last_view[t] = screen;
      }
    }
  }

  // view_in_turn on a worker's connection; a timed execution k of round r is stored at
  // r × times + k.
  void replay_view(size_t t, size_t screen, size_t view, bool timed, Connection& connection,
                   Rounds& rounds) {
    for (size_t index : screen_slots_[screen]) {
      const Slot& slot = slots_[index];
      const size_t cell = t * slots_.size() + index;
      const size_t times = static_cast<size_t>(screens_[screen].queries[slot.query].times);
      for (size_t k = 0; k < times && !rounds.failed[cell].load(); ++k) {
        check_interrupt();
        const std::string& sql = rendered_[cell][(view * times + k) % slot.variants];
        take_sample(t, slot, connection, sql,
                    timed ? std::optional<size_t>(view * times + k) : std::nullopt, rounds);
        rounds.taken.fetch_add(1, std::memory_order_relaxed);
      }
    }
  }

  // One execution on a worker's connection, stored at `sample` when timed (a lead-in is only
  // counted), with recover()'s rules under the shared lock.
  void take_sample(size_t target, const Slot& slot, Connection& connection, const std::string& sql,
                   std::optional<size_t> sample, Rounds& rounds) {
    QueryResult& query = result(target, slot);
    for (;;) {
      try {
        const std::int64_t ns = execute(connection, sql, false).elapsed_ns;
        if (sample) {
          query.samples_ns[*sample] = ns;
        } else {
          ++lead_in_executions_;
        }
        return;
      } catch (const DatabaseError& error) {
        if (recover(error, target, query, connection, &rounds.mutex)) continue;
        rounds.failed[target * slots_.size() + static_cast<size_t>(&slot - slots_.data())] = true;
        return;
      }
    }
  }

  void mark_incomplete(const std::string& reason) {
    for (RunResult& run : runs_) {
      run.complete = false;
      run.incomplete_reason = reason;
    }
  }

  const std::vector<Target>& targets_;
  const std::vector<Screen>& screens_;
  const RunOptions& options_;
  std::vector<RunResult> runs_;
  std::vector<Slot> slots_;
  std::vector<std::vector<size_t>> screen_slots_;     // [screen]: its slots, in file order
  std::atomic<std::uint64_t> lead_in_executions_{0};  // untimed, on every target together
  Clock::time_point run_started_;
  std::vector<std::vector<std::string>> rendered_;  // [target * slots + slot][variant]
  std::vector<size_t> inspected_executions_;        // [target * slots + slot]: variants run
  std::vector<std::int64_t> first_execution_ns_;    // [idem]: variant 0's inspection, or 0
  std::vector<std::int64_t> last_view_ns_;          // [target * screens + screen], or 0
  Progress progress_;
  Clock::time_point sampling_started_;
  int retries_left_ = options_.retries;
  std::mutex connections_mutex_;  // guards extra_connections_ against the watchdog
  std::vector<std::pair<size_t, const Connection*>> extra_connections_;
};

}  // namespace

RunOptions::Cancel cancel_with(const Connector& connect, std::vector<ConnectionOptions> sessions) {
  for (ConnectionOptions& session : sessions) {
    session.query_timeout_ms = 0;
    session.connect_timeout_s = std::min(session.connect_timeout_s, 5u);
  }
  return [connect, sessions](std::size_t target, std::uint64_t id) {
    if (target >= sessions.size()) return;
    try {
      connect(sessions[target])->execute("KILL QUERY " + std::to_string(id));
    } catch (const Error&) {
      // Cannot reach the server: the statement ends by itself, and then the run stops.
    }
  };
}

bool median_is_precise(const std::vector<std::int64_t>& samples,
                       const RunSettings::AutoIterations& rule) {
  if (samples.size() < static_cast<size_t>(std::max(rule.min_rounds, 1))) return false;
  MedianInterval interval = median_interval(samples);
  const std::int64_t half_width = interval.half_width();
  return half_width <= rule.max_absolute_half_width_ns ||
         static_cast<double>(half_width) <=
             rule.max_relative_half_width * static_cast<double>(interval.median);
}

void compact_round_samples(std::vector<std::int64_t>& samples_by_round) {
  samples_by_round.erase(
      std::remove(samples_by_round.begin(), samples_by_round.end(), std::int64_t{-1}),
      samples_by_round.end());
}

std::vector<RunResult> measure(const std::vector<Target>& targets,
                               const std::vector<Screen>& screens, const RunOptions& options) {
  // The callers validate their flags (cli/options.cpp); these are programming errors.
  if (targets.empty()) throw std::invalid_argument("measure: no endpoint");
  if (options.settings.concurrency > 1 &&
      (options.settings.auto_iterations.enabled || !options.open_connection)) {
    throw std::invalid_argument(
        "measure: concurrency needs fixed iterations and a way to open connections");
  }
  // --iterations auto: each screen's budget is its share of the whole.
  RunOptions shared = options;
  if (shared.settings.auto_iterations.enabled) {
    share_budget(shared.settings.auto_iterations, screens.size());
  }
  return Measurement(targets, screens, shared).run();
}

}  // namespace sqlmeasure
