#include "sqlmeasure/live_compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "auto_stop.h"
#include "change_guards.h"
#include "change_journal.h"
#include "change_session.h"
#include "event_log.h"
#include "ignored_drop.h"
#include "sqlmeasure/alternation.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/hint_check.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/schema_reader.h"
#include "sqlmeasure/statistics_import.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

RunResult pool(const std::vector<RunResult>& phases) {
  std::vector<const RunResult*> runs;
  for (const RunResult& run : phases) runs.push_back(&run);
  return merge_runs(runs);
}

class LiveCompare {
 public:
  LiveCompare(std::vector<Screen> screens, const LiveCompareOptions& options,
              const Connector& connect)
      : screens_(std::move(screens)), options_(options), connect_(connect) {}

  LiveCompareOutcome run() {
    connect_target();
    refuse_if_unrecovered(*target_, database_);
    check_screens_for_session(screens_, target_->server().sql_mode, options_.run.allow_writes);
    change_ = options_.migration
                  ? migration_to_measure()
                  : ignore_index_change(*target_, database_, options_.ignore_indexes);
    outcome_.kept = change_.keep;
    resolve_params(*target_, screens_, options_.run.settings.seed);
    measuring_ = screens_;
    ConnectionOptions admin = options_.connection;
    admin.read_only = false;  // the change itself is the one write we make
    admin.query_timeout_ms = 0;
    const ChangeSafety safety{options_.allow_replicated_ddl, options_.no_binlog,
                              options_.lock_wait_timeout_s};
    // Before the change session's schema snapshot, which then holds STATS_AUTO_RECALC=0.
    put_statistics_in_place(admin);
    session_.emplace(connect_, admin, database_, change_, events_, options_.reconnect_timeout_s,
                     safety);
    try {
      session_->open();
    } catch (const Error& error) {
      if (error.code() == ExitCode::kUsage) throw;  // a refusal (replication): its own words
      fail(ExitCode::kRuntime, fmt::format("cannot take the schema snapshot before applying the "
                                           "change: {}; nothing was changed",
                                           error.what()));
    }
    // What the change needs, before anything is measured: an hour of before-1 is no way to
    // learn that the user may not ALTER.
    check_change_privileges(session_->admin(), database_, change_);
    std::filesystem::create_directories(options_.out_dir);
    journal_.emplace(session_->admin(), target_->server().endpoint, database_, change_,
                     session_->snapshot(), options_.out_dir, events_);
    try {
      phases();
    } catch (const Error& error) {
      // Whatever went wrong, the server goes back to how we found it before we report.
      session_->undo();
      outcome_.failure = error.what();
    } catch (...) {
      session_->undo();
      throw;
    }
    outcome_.server = session_->state();
    close_journal();
    restore_statistics();
    // From here on the server is as it will stay: a failure only adds to what is reported.
    try {
      write_pooled();
    } catch (const Error& error) {
      if (!outcome_.failure) outcome_.failure = error.what();
    }
    judge(outcome_.failure.has_value());
    if (journal_not_closed_ && !outcome_.failure) outcome_.failure = journal_not_closed_;
    return std::move(outcome_);
  }

 private:
  void connect_target() {
    target_ = connect_(options_.connection);
    database_ = target_->server().database;
    if (database_.empty()) {
      fail(ExitCode::kUsage,
           "a live compare needs a database: pass -D/--database (or a DSN with /db)");
    }
  }

  // The migration, or — when it only drops indexes — those indexes ignored in its place,
  // unless --apply-ddl; what was decided is said either way.
  SchemaChange migration_to_measure() {
    refuse_other_databases(*options_.migration, database_);
    if (options_.apply_ddl) {
      if (read_drop_only(options_.migration->apply, options_.migration->undo)) {
        events_.detail("--apply-ddl: the migration's DDL runs as written, at each alternation");
      }
      return *options_.migration;
    }
    DropMeasurement measured = measure_drops(*target_, database_, *options_.migration, screens_,
                                             options_.run.allow_writes);
    if (!measured.said.empty()) events_.say(measured.said);
    return std::move(measured.change);
  }

  // The one line an alternation gets by default: what was applied, measured and undone.
  void say_round(int round, int rounds) {
    const std::vector<double>& applied = session_->apply_seconds();
    const std::vector<double>& undone = session_->undo_seconds();
    events_.say(fmt::format(
        "after-{}{}: {} applied in {:.2f} s, measured, undone in {:.2f} s; schema as before", round,
        rounds > 1 ? fmt::format(" of {}", rounds) : "", change_.description,
        applied.empty() ? 0.0 : applied.back(), undone.empty() ? 0.0 : undone.back()));
  }

  bool interrupted() const {
    return options_.run.interrupted != nullptr && options_.run.interrupted->load();
  }

  // before-1, then per alternation: apply, after-i, undo, before-(i+1). Any phase cut
  // short, or a change that fails or cannot be undone, ends the sequence there.
  void phases() {
    const int rounds = change_.keep ? 1 : std::max(1, options_.alternations);
    alternations_planned_ = rounds;
    alternations_stopped_ = change_.keep ? "--keep: the change stays after one" : "all ran";
    if (!hinted_tables(screens_).empty()) {
      schema_before_change_ = read_structure(*target_, database_);
    }
    if (!measure_phase("before", 1, rounds, outcome_.before_phases)) return;
    for (int round = 1; round <= rounds; ++round) {
      if (std::optional<std::string> why = journal_->taken_away()) {
        outcome_.failure = fmt::format(
            "the journal of this run was taken away from it ({}): perhaps a `sqlmeasure "
            "recover` ran meanwhile. The change is not applied again: no journal would record it",
            *why);
        return;
      }
      if (std::optional<std::string> failure = session_->apply(round, rounds)) {
        outcome_.failure = failure;
        return;
      }
      reapply_statistics(round, "apply");
      check_hints_after_apply(round);
      if (interrupted()) {
        outcome_.failure = "interrupted after the change was applied";
        events_.warn("interrupted: undoing the change ...");
        session_->undo();
        return;
      }
      const bool measured = measure_phase("after", round, rounds, outcome_.after_phases);
      if (measured) alternations_run_ = round;
      if (measured && round == 1) time_hints_keeping_off_new_indexes();
      if (!measured && interrupted()) events_.warn("interrupted: undoing the change ...");
      session_->undo();
      if (!measured || change_.keep || session_->state() != ServerState::kRestored) return;
      reapply_statistics(round, "undo");
      if (round == 1) before_statistics();
      say_round(round, rounds);
      const bool last = round == rounds;
      if ((last && !options_.before_again) || interrupted()) return;
      if (!still_unsettled(fmt::format("after-{}", round), round, rounds)) return;
      if (!measure_phase("before", round + 1, rounds, outcome_.before_phases, /*required=*/!last)) {
        return;
      }
      if (!last && !still_unsettled(fmt::format("before-{}", round + 1), round, rounds)) return;
    }
  }

  // The screens' index hints, resolved against the schema before the change and after each
  // apply, before anything is measured: a hint the change breaks or redirects is said at once,
  // and the after runs record it (hint_check.h).
  static SchemaInfo read_structure(Connection& connection, const std::string& database) {
    CollectOptions structure;
    structure.structure_only = true;
    return collect_schema(connection, database, structure);
  }

  void check_hints_after_apply(int round) {
    if (!schema_before_change_) return;
    schema_after_change_ = read_structure(*target_, database_);
    std::vector<HintProblem> problems =
        check_hints(screens_, *schema_before_change_, *schema_after_change_);
    if (!change_.real_ddl) {
      // Dropped indexes measured as ignored ones: the user's migration drops them. A hint that
      // a real drop would resolve by prefix made the real DDL run instead (ignored_drop.h), so
      // dropped, the query fails the same way.
      for (HintProblem& problem : problems) {
        if (problem.kind == HintProblem::Kind::kBreaks && !problem.before.empty()) {
          problem.cause = fmt::format(
              "the migration drops {} (measured with it ignored/invisible: dropped, the query "
              "fails the same way)",
              problem.before);
        }
      }
    }
    if (round == 1 || problems != hint_problems_) {
      for (const HintProblem& problem : problems) {
        events_.warn(fmt::format("index hint, after apply {}: {}", round, problem.describe()));
      }
    }
    hint_problems_ = std::move(problems);
  }

  // A hint that keeps its query off an index the change adds: timed with and without it while
  // the change is applied, once (after-1), and said with the figures.
  void time_hints_keeping_off_new_indexes() {
    if (!schema_before_change_ || !schema_after_change_) return;
    HintTiming timing;
    timing.interrupted = options_.run.interrupted;
    std::vector<HintProblem> found = hints_keeping_off_new_indexes(
        *target_, screens_, *schema_before_change_, *schema_after_change_, timing);
    for (HintProblem& problem : found) {
      events_.warn("index hint: " + problem.describe());
      hints_keeping_off_.push_back(std::move(problem));
    }
  }

  bool settling() const { return options_.run.settings.auto_iterations.enabled; }

  // --iterations auto, once `phase` is measured: the screens whose verdict no further phase
  // can change are not measured again. False when none is left to measure.
  bool still_unsettled(const std::string& phase, int round, int rounds) {
    if (!settling()) return true;
    const VerdictRule& rule = options_.rule;
    const std::vector<std::string> settled =
        settled_screens(pool(outcome_.before_phases), pool(outcome_.after_phases),
                        phase_pairs(outcome_.before_phases, outcome_.after_phases, rule), rule);
    const std::size_t before = measuring_.size();
    std::erase_if(measuring_, [&](const Screen& screen) {
      return std::find(settled.begin(), settled.end(), screen.name) != settled.end();
    });
    if (measuring_.empty()) {
      events_.say(fmt::format(
          "--iterations auto: every verdict is settled after {} ({} of {} alternations); "
          "stopping there",
          phase, round, rounds));
      alternations_stopped_ = "every verdict settled after " + phase;
      return false;
    }
    if (measuring_.size() < before) {
      std::vector<std::string> names;
      for (const Screen& screen : measuring_) names.push_back(screen.name);
      events_.say(fmt::format(
          "--iterations auto: {} of {} screens settled after {}; the next phases measure {}",
          screens_.size() - measuring_.size(), screens_.size(), phase, join(names)));
    }
    return true;
  }

  RunOptions phase_options(const std::string& side, const std::string& phase, int rounds) const {
    RunOptions options = options_.run;
    options.record_conditions = phase == side + "-1";
    // Later phases of a side take the first one's inspection for every query still planned
    // alike: the pooled side keeps the first phase's rows, plans and checksums anyway.
    const std::vector<RunResult>& same_side =
        side == "before" ? outcome_.before_phases : outcome_.after_phases;
    if (!options.record_conditions && !same_side.empty()) options.inspected = &same_side.front();
    if (settling()) precise_enough_for(options_.rule, options.settings.auto_iterations);
    split_over_phases(options.settings, rounds);
    if (settling()) {
      const bool before = side == "before";
      options.decided =
          decided_against(measuring_, before ? outcome_.after_phases : outcome_.before_phases,
                          before, options_.rule);
    }
    options.label = options_.run.label.empty() ? phase : options_.run.label + " · " + phase;
    options.cancel = cancel_with(connect_, {options_.connection});
    if (auto progress = options_.run.on_progress) {
      options.on_progress = [progress, phase](const Progress& p) {
        Progress labelled = p;
        labelled.phase = phase + " " + p.phase;
        progress(labelled);
      };
    }
    return options;
  }

  // Measures phase `side`-`number` into `phases` and writes its results file. False if it
  // was cut short: then, when `required`, the outcome's failure says so; a last before
  // phase cut short only costs its bracketing, and an event says that.
  bool measure_phase(const std::string& side, int number, int rounds,
                     std::vector<RunResult>& phases, bool required = true) {
    const std::string phase = fmt::format("{}-{}", side, number);
    const RunOptions options = phase_options(side, phase, rounds);
    RunResult run =
        std::move(measure({{target_.get(), options.label}}, measuring_, options).front());
    if (side == "after") run.change = change_record();
    // The first phase of each side: the indexes of the plans the change changed, while that
    // side's schema is on the server, for the plan changes' causes. The after side's before
    // the undo; the before side's once after-1 has shown which plans change, after its undo
    // (before_statistics), unless the change stays.
    if (options.record_conditions && run.complete) {
      if (side == "after" && !outcome_.before_phases.empty()) {
        run.index_statistics =
            plan_index_statistics(*target_, run, {}, &outcome_.before_phases.front());
      } else if (side == "before" && change_.keep) {
        run.index_statistics = plan_index_statistics(*target_, run);
      }
    }
    write(run, phase + ".json");
    if (run.complete) {
      phases.push_back(std::move(run));
      return true;
    }
    if (required) {
      outcome_.failure =
          fmt::format("the {} phase did not finish: {}", phase, run.incomplete_reason);
      phases.push_back(std::move(run));
    } else {
      events_.warn(
          fmt::format("{} incomplete ({}): left out of the verdict", phase, run.incomplete_reason));
    }
    return false;
  }

  // --stats: production's statistics imported over a session of their own, before the
  // change's session and journal (whose open record would refuse the import).
  void put_statistics_in_place(const ConnectionOptions& admin) {
    if (!options_.statistics) return;
    StatisticsImportOptions importing;
    importing.allow_replicated = options_.allow_replicated_ddl;
    importing.no_binlog = options_.no_binlog;
    importing.within_live_compare = true;
    importing.interrupted = options_.run.interrupted;
    importing.on_event = [this](const std::string& event) { events_.detail(event); };
    statistics_ = std::make_unique<StatisticsInPlace>(connect_(admin), *options_.statistics,
                                                      options_.statistics_source, importing);
    const StatisticsImportResult& result = statistics_->imported();
    events_.say(fmt::format("--stats: production's statistics of {} of {} tables in place ({})",
                            result.imported(), result.tables.size(), options_.statistics_source));
    for (const std::string& warning : import_warnings(result)) events_.warn("--stats: " + warning);
  }

  // A DDL recomputes the statistics of the tables it alters: production's written again.
  void reapply_statistics(int round, const char* after) {
    if (!statistics_) return;
    std::vector<std::string> tables = change_.tables;
    if (!change_.tables_known) {
      for (const TableImport& table : statistics_->imported().tables) tables.push_back(table.table);
    }
    std::vector<std::string> said;
    statistics_->reapply(tables, said);
    events_.detail(fmt::format("--stats: production's statistics of {} written again after the {}",
                               join(tables), after));
    if (round == 1 && std::string(after) == "apply") {
      for (const std::string& line : said) events_.say("--stats: " + line);
    }
  }

  void restore_statistics() {
    if (!statistics_) return;
    try {
      const StatisticsUndoResult undone = statistics_->restore();
      if (undone.differences.empty()) {
        events_.say(fmt::format("--stats: the copy's own statistics of {} tables are back",
                                undone.restored.size()));
      } else {
        events_.warn("--stats: the copy's own statistics could not all be put back: " +
                     join(undone.differences, "; "));
        if (!outcome_.failure)
          outcome_.failure = "the copy's own statistics could not all be put back";
      }
      for (const std::string& note : undone.notes) events_.detail("--stats: " + note);
    } catch (const Error& error) {
      events_.warn(
          fmt::format("--stats: the copy's own statistics could not be put back ({}): "
                      "run `sqlmeasure stats import --undo`",
                      error.what()));
      if (!outcome_.failure) outcome_.failure = error.what();
    }
  }

  // before-1's plan index statistics, for the plans after-1 changed, with the schema back
  // as it was (measure_phase); its results file is written again with them.
  void before_statistics() {
    if (outcome_.before_phases.empty() || outcome_.after_phases.empty()) return;
    RunResult& before = outcome_.before_phases.front();
    before.index_statistics =
        plan_index_statistics(*target_, before, {}, &outcome_.after_phases.front());
    if (before.index_statistics.empty()) return;
    write_results_file(before,
                       (std::filesystem::path(options_.out_dir) / "before-1.json").string());
  }

  void write(const RunResult& run, const std::string& file) {
    const std::string path = (std::filesystem::path(options_.out_dir) / file).string();
    write_results_file(run, path);
    outcome_.files.push_back(path + (run.complete ? "" : " (incomplete)"));
  }

  // before.json and after.json: every phase of a side pooled, as the verdict sees them.
  void write_pooled() {
    auto pool_into = [this](const std::vector<RunResult>& phases,
                            const std::string& side) -> std::optional<RunResult> {
      if (phases.empty()) return std::nullopt;
      RunResult pooled = pool(phases);
      if (phases.size() > 1) pooled.label = side;
      for (std::size_t i = 1; i <= phases.size(); ++i) {
        pooled.pooled_from.push_back(fmt::format("{}-{}.json", side, i));
      }
      // Every apply and undo timed, and how the alternation went.
      if (side == "after") pooled.change = pooled_change_record();
      write(pooled, side + ".json");
      return pooled;
    };
    outcome_.before = pool_into(outcome_.before_phases, "before");
    outcome_.after = pool_into(outcome_.after_phases, "after");
  }

  // What the after runs record of the change: its tables, and what each apply and undo so
  // far took.
  ChangeRecord change_record() const {
    ChangeRecord record;
    record.description = change_.description;
    record.tables = change_.tables;
    record.tables_known = change_.tables_known;
    record.ddl_measured = change_.real_ddl;
    record.hint_problems = hint_problems_;
    record.hint_problems.insert(record.hint_problems.end(), hints_keeping_off_.begin(),
                                hints_keeping_off_.end());
    if (session_ && change_.real_ddl) {
      record.apply_s = session_->apply_seconds();
      record.undo_s = session_->undo_seconds();
    }
    return record;
  }

  // The pooled after run's record: how the alternation went as well.
  ChangeRecord pooled_change_record() const {
    ChangeRecord record = change_record();
    record.alternations_planned = alternations_planned_;
    record.alternations_run = alternations_run_;
    record.alternations_stopped =
        outcome_.failure ? "stopped: " + *outcome_.failure : alternations_stopped_;
    return record;
  }

  // The journal stays open only while the change may still be on the server against the
  // user's wish: then the next run refuses to measure there, and `recover` puts it back.
  void close_journal() {
    std::optional<std::string> not_closed;
    switch (outcome_.server) {
      case ServerState::kUnchanged:
        not_closed = journal_->close("nothing was applied");
        break;
      case ServerState::kRestored:
        not_closed = journal_->close("undone, and the schema checked");
        break;
      case ServerState::kChangedByOthers:
        not_closed = journal_->close(
            "undone, the change's tables checked; other tables changed during the run");
        break;
      case ServerState::kStillApplied:
        if (change_.keep) {
          not_closed = journal_->close("kept on purpose");
          break;
        }
        outcome_.recover_with = "sqlmeasure recover --journal " + journal_->machine_path();
        return;
      case ServerState::kUnknown:
        outcome_.recover_with = "sqlmeasure recover --journal " + journal_->machine_path();
        return;
    }
    if (not_closed) {
      // The server is as it should be, but the open journal would make every later run
      // refuse it: a false alarm unless said now, with the way to close it.
      journal_not_closed_ = fmt::format(
          "the journal could not be closed ({}); every run against this database will refuse "
          "until it is. Close it with: sqlmeasure recover --journal {} --forget",
          *not_closed, journal_->machine_path());
      events_.warn("warning: " + *journal_not_closed_);
    }
  }

  // The pooled comparison, its drift warning and the all-pairs rule; a partial one when the
  // run was cut short. A change that was to be undone and was not is a failure too.
  void judge(bool cut_short) {
    const bool undone = change_.keep || outcome_.server == ServerState::kRestored ||
                        outcome_.server == ServerState::kUnchanged;
    if (!outcome_.failure && outcome_.server == ServerState::kChangedByOthers) {
      outcome_.failure =
          "another session changed the schema during the run, so the two sides did not measure "
          "the same database";
    } else if (!outcome_.failure && !undone) {
      outcome_.failure = outcome_.server == ServerState::kUnknown
                             ? "the change may not have been undone: the undo failed"
                             : "the change could not be undone: the schema differs from before";
    }
    if (!outcome_.before || !outcome_.after) return;
    if (cut_short) {
      Comparison comparison = judge_runs(*outcome_.before, "before", *outcome_.after, "after",
                                         options_.rule, options_.policy);
      comparison.after_label += " (partial)";
      outcome_.comparison = std::move(comparison);
      return;
    }
    Comparison comparison =
        judge_phases(*outcome_.before, "before", *outcome_.after, "after", outcome_.before_phases,
                     outcome_.after_phases, options_.rule, options_.policy);
    comparison.after_label += " · " + change_.description;
    outcome_.comparison = std::move(comparison);
  }

  std::vector<Screen> screens_;
  std::vector<Screen> measuring_;  // the screens the next phase measures
  const LiveCompareOptions& options_;
  const Connector& connect_;
  std::unique_ptr<Connection> target_;
  std::string database_;
  SchemaChange change_;
  std::optional<ChangeSession> session_;
  std::unique_ptr<StatisticsInPlace> statistics_;  // --stats
  std::optional<ChangeJournal> journal_;
  std::optional<std::string> journal_not_closed_;        // the server is fine; the journal says not
  std::optional<SchemaInfo> schema_before_change_;       // read when some screen has hints
  std::optional<SchemaInfo> schema_after_change_;        // after the last apply
  std::vector<HintProblem> hint_problems_;               // found after the last apply
  int alternations_planned_ = 0, alternations_run_ = 0;  // for the pooled after run
  std::string alternations_stopped_;                     // why it stopped where it did
  std::vector<HintProblem> hints_keeping_off_;  // timed in after-1 (the pooled file has them)
  LiveCompareOutcome outcome_;
  EventLog events_{outcome_.events, options_.on_event};
};  // namespace

}  // namespace

std::string LiveCompareOutcome::failure_message() const {
  if (!failure) return "";
  std::string message = *failure + "; " + describe(server);
  if (!recover_with.empty()) message += "\n  put it back with: " + recover_with;
  return message;
}

LiveCompareOutcome run_live_compare(std::vector<Screen> screens, const LiveCompareOptions& options,
                                    const Connector& connect) {
  return LiveCompare(std::move(screens), options, connect).run();
}

}  // namespace sqlmeasure
