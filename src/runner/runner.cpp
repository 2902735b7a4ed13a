// The measurement loop. Order of work: warm-up, one inspection per query, then timed
// iterations. Within an iteration every (screen, query) is visited once — round-robin or
// shuffled with the seed — and with several endpoints each sample is taken on each in
// turn, so slow drift (caches, CPU frequency, neighbours) spreads evenly over everything.
#include <fmt/format.h>

#include <ctime>
#include <type_traits>

#include "driver/row_hash.h"
#include "runner/random.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/version.h"

namespace sqlmeasure {
namespace {

struct Slot {
  size_t screen = 0, query = 0;
  size_t variants = 1;  // the parameter cycle: variant i uses value i mod count of each param
};

struct Interrupted {};

std::string now_utc() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

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
  run.started_at = now_utc();
  run.server = target.connection->server();
  // As chosen by rows_examined() in inspect.cpp.
  run.rows_examined_method = run.server.flavor == Flavor::kMariaDB ? "rows_read_status"
                                                                    : "handler_read_counters";
  run.settings = options.settings;
  for (const Screen& screen : screens) {
    ScreenResult& out = run.screens.emplace_back();
    out.name = screen.name;
    out.description = screen.description;
    out.file = screen.file;
    for (const Query& query : screen.queries) {
      QueryResult& q = out.queries.emplace_back();
      q.name = query.name;
      q.sql = query.sql;
      q.times = query.times;
      for (const auto& [name, spec] : query.params) q.params[name] = spec.values;
      q.samples_ns.reserve(static_cast<size_t>(options.settings.iterations));
    }
  }
  return run;
}

// Screen latency per iteration = sum over its queries of sample x times issued per view,
// over the iterations every query completed.
void finish_screens(RunResult& run) {
  for (ScreenResult& screen : run.screens) {
    size_t n = SIZE_MAX;
    screen.rows_examined = 0;
    for (const QueryResult& query : screen.queries) {
      n = std::min(n, query.samples_ns.size());
      screen.rows_examined += query.rows_examined * static_cast<std::uint64_t>(query.times);
    }
    if (n == SIZE_MAX) n = 0;
    screen.samples_ns.assign(n, 0);
    for (const QueryResult& query : screen.queries) {
      for (size_t i = 0; i < n; ++i) screen.samples_ns[i] += query.samples_ns[i] * query.times;
    }
  }
  recompute_stats(run);
}

class Measurement {
 public:
  Measurement(const std::vector<Target>& targets, const std::vector<Screen>& screens,
              const RunOptions& options)
      : targets_(targets), screens_(screens), options_(options) {
    for (const Target& target : targets) runs_.push_back(empty_run(target, screens, options));
    for (size_t s = 0; s < screens.size(); ++s) {
      for (size_t q = 0; q < screens[s].queries.size(); ++q) {
        slots_.push_back({s, q, cycle_length(screens[s].queries[q])});
      }
    }
    const RunSettings& settings = options.settings;
    progress_.total = slots_.size() * targets.size() *
                      static_cast<size_t>(settings.warmup + settings.iterations + 1);
  }

  std::vector<RunResult> run() {
    try {
      warm_up();
      inspect();
      sample();
    } catch (const Interrupted&) {
      mark_incomplete("interrupted by a signal (SIGINT/SIGTERM)");
    } catch (const DatabaseError& error) {
      if (!error.connection_lost()) throw;
      mark_incomplete(fmt::format("connection lost: {}", error.what()));
    }
    for (RunResult& run : runs_) {
      finish_screens(run);
      run.finished_at = now_utc();
    }
    return std::move(runs_);
  }

 private:
  QueryResult& result(size_t target, const Slot& slot) {
    return runs_[target].screens[slot.screen].queries[slot.query];
  }

  std::string sql_for(size_t target, const Slot& slot, size_t variant) {
    Connection* connection = targets_[target].connection;
    return render_sql(screens_[slot.screen].queries[slot.query], variant,
                      [connection](std::string_view text) { return connection->quote(text); });
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

  // Runs `work` for one query on one endpoint. A statement error (timeout, bad SQL) is
  // recorded on that query, which then takes no more samples. A lost connection is
  // retried after a reconnect while --retries allows, and otherwise ends the run.
  template <typename Work>
  void attempt(size_t target, const Slot& slot, Work&& work) {
    QueryResult& query = result(target, slot);
    if (query.error) return;
    for (;;) {
      try {
        work(query);
        return;
      } catch (const DatabaseError& error) {
        if (error.connection_lost()) {
          if (retries_left_ <= 0) throw;
          --retries_left_;
          ++runs_[target].reconnects;
          targets_[target].connection->reconnect();  // throws if the server stays away
          continue;
        }
        query.error = error.timed_out()
                          ? fmt::format("timed out after {} ms",
                                        options_.settings.query_timeout_ms)
                          : std::string(error.what());
        return;
      }
    }
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
        fail(ExitCode::kRuntime, "a write scenario changed a non-transactional table, which "
                                 "ROLLBACK cannot undo; stopping (use InnoDB tables for write "
                                 "scenarios)");
      }
    }
  }

  void warm_up() {
    for (int round = 0; round < options_.settings.warmup; ++round) {
      for (const Slot& slot : slots_) {
        for (size_t t = 0; t < targets_.size(); ++t) {
          check_interrupt();
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
    for (const Slot& slot : slots_) {
      for (size_t t = 0; t < targets_.size(); ++t) {
        check_interrupt();
        attempt(t, slot, [&](QueryResult& query) {
          Connection& connection = *targets_[t].connection;
          size_t variants = std::min(slot.variants, variants_cap);
          std::uint64_t examined = 0, sent = 0, combined = 0;
          for (size_t v = 0; v < variants; ++v) {
            std::string sql = sql_for(t, slot, v);
            if (v == 0) query.plan = explain(connection, sql);
            auto once = [&] { return inspect_execution(connection, sql); };
            Inspection inspection = options_.allow_writes
                                        ? in_rolled_back_transaction(connection, once)
                                        : once();
            examined += inspection.rows_examined;
            sent += inspection.execution.rows_sent;
            combined = mix64(combined ^ inspection.execution.checksum);
          }
          query.rows_examined = (examined + variants / 2) / variants;
          query.rows_sent = (sent + variants / 2) / variants;
          query.checksum = fmt::format("{:016x}", combined);
          query.variants_inspected = static_cast<int>(variants);
        });
        advance("inspect");
      }
    }
  }

  void sample() {
    std::mt19937_64 rng(options_.settings.seed);
    std::vector<size_t> order(slots_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    bool shuffled = options_.settings.order == "shuffled";
    for (int iteration = 0; iteration < options_.settings.iterations; ++iteration) {
      if (shuffled) stable_shuffle(order, rng);
      for (size_t index : order) {
        const Slot& slot = slots_[index];
        size_t variant = static_cast<size_t>(iteration) % slot.variants;
        for (size_t t = 0; t < targets_.size(); ++t) {
          check_interrupt();
          std::string sql = sql_for(t, slot, variant);
          attempt(t, slot, [&](QueryResult& query) {
            query.samples_ns.push_back(execute(*targets_[t].connection, sql, false).elapsed_ns);
          });
          advance("measure");
        }
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
  Progress progress_;
  int retries_left_ = options_.retries;
};

}  // namespace

std::vector<RunResult> measure(const std::vector<Target>& targets,
                               const std::vector<Screen>& screens, const RunOptions& options) {
  if (targets.empty()) fail(ExitCode::kUsage, "nothing to measure: no endpoint");
  return Measurement(targets, screens, options).run();
}

}  // namespace sqlmeasure
