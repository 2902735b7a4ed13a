#include "sqlmeasure/live_compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <filesystem>

#include "sqlmeasure/error.h"
#include "sqlmeasure/results_file.h"

namespace sqlmeasure {
namespace {

class LiveCompare {
 public:
  LiveCompare(Connection& target, const std::function<std::unique_ptr<Connection>()>& admin,
              std::vector<Screen>& screens, const SchemaChange& change,
              const LiveCompareOptions& options)
      : target_(target), open_admin_(admin), screens_(screens), change_(change), options_(options) {}

  LiveCompareOutcome run() {
    database_ = target_.server().database;
    if (database_.empty()) {
      fail(ExitCode::kUsage, "a live compare needs a database: pass -D/--database (or a DSN "
                             "with /db)");
    }
    admin_ = open_admin_();
    admin_->execute("USE `" + database_ + "`");
    original_ = schema_snapshot(*admin_, database_);
    measuring_ = screens_;
    std::filesystem::create_directories(options_.out_dir);
    try {
      phases();
    } catch (...) {
      // Whatever went wrong, the server goes back to how we found it before we report.
      undo_if_applied();
      throw;
    }
    write_pooled();
    return std::move(outcome_);
  }

 private:
  bool interrupted() const {
    return options_.run.interrupted != nullptr && options_.run.interrupted->load();
  }

  // before-1, then per alternation: apply, after-i, undo, before-(i+1). Any phase cut
  // short, or a change that fails or cannot be undone, ends the sequence there.
  void phases() {
    const int rounds = change_.keep ? 1 : std::max(1, options_.alternations);
    if (!measure_phase("before", 1, rounds, outcome_.before_phases)) return;
    for (int round = 1; round <= rounds; ++round) {
      if (!apply_change(round, rounds)) return;
      if (interrupted()) {
        outcome_.failure = "interrupted after the change was applied";
        undo_if_applied();
        return;
      }
      if (!measure_phase("after", round, rounds, outcome_.after_phases)) {
        undo_if_applied();
        return;
      }
      undo_if_applied();
      if (change_.keep || !outcome_.schema_restored.value_or(false)) return;
      const bool last = round == rounds;
      if ((last && !options_.before_again) || interrupted()) return;
      if (!still_unsettled(fmt::format("after-{}", round), round, rounds)) return;
      if (!measure_phase("before", round + 1, rounds, outcome_.before_phases, /*required=*/!last)) {
        return;
      }
      if (!last && !still_unsettled(fmt::format("before-{}", round + 1), round, rounds)) return;
    }
  }

  // --iterations auto, once `phase` is measured: the screens whose verdict no further
  // phase can change are not measured again. False when none is left to measure.
  bool still_unsettled(const std::string& phase, int round, int rounds) {
    if (!options_.settle_by) return true;
    const VerdictRule& rule = *options_.settle_by;
    const std::vector<std::string> settled =
        settled_screens(pool(outcome_.before_phases), pool(outcome_.after_phases),
                        phase_pairs(outcome_.before_phases, outcome_.after_phases, rule), rule);
    const std::size_t before = measuring_.size();
    std::erase_if(measuring_, [&](const Screen& screen) {
      return std::find(settled.begin(), settled.end(), screen.name) != settled.end();
    });
    if (measuring_.empty()) {
      outcome_.events.push_back(fmt::format(
          "--iterations auto: every verdict is settled after {} ({} of {} alternations); "
          "stopping there",
          phase, round, rounds));
      return false;
    }
    if (measuring_.size() < before) {
      std::string names;
      for (const Screen& screen : measuring_) names += (names.empty() ? "" : ", ") + screen.name;
      outcome_.events.push_back(fmt::format(
          "--iterations auto: {} of {} screens settled after {}; the next phases measure {}",
          screens_.size() - measuring_.size(), screens_.size(), phase, names));
    }
    return true;
  }

  static RunResult pool(const std::vector<RunResult>& phases) {
    std::vector<const RunResult*> runs;
    for (const RunResult& run : phases) runs.push_back(&run);
    return merge_runs(runs);
  }

  // --iterations auto: a screen leaves the phase once a deterministic gate fails it and its
  // time is decided against the samples the other side has so far (none in before-1).
  void stop_when_decided(RunOptions& options, const std::vector<RunResult>& other_side) const {
    if (!options_.settle_by || other_side.empty()) return;
    auto reference = std::make_shared<std::vector<ScreenSoFar>>();
    auto kept = std::make_shared<std::vector<ScreenResult>>();
    kept->reserve(measuring_.size());
    for (const Screen& screen : measuring_) {
      ScreenSoFar so_far;
      for (const RunResult& phase : other_side) {
        for (const ScreenResult& measured : phase.screens) {
          if (measured.name != screen.name) continue;
          if (kept->size() == reference->size()) kept->push_back(measured);  // the first phase's inspection
          const std::vector<std::int64_t>& more = measured.view_samples();
          so_far.views.insert(so_far.views.end(), more.begin(), more.end());
        }
      }
      if (kept->size() == reference->size()) kept->emplace_back();  // not measured there
      so_far.result = &kept->back();
      reference->push_back(std::move(so_far));
    }
    options.decided = [reference, kept, rule = *options_.settle_by](
                          std::size_t screen, const std::vector<ScreenSoFar>& now) {
      const ScreenSoFar& other = (*reference)[screen];
      return time_decided(now.front().views, other.views, rule) &&
             gate_decides(*other.result, *now.front().result, rule);
    };
  }

  // Applies the change for alternation `round`; false (and the outcome says why) if it
  // failed, after undoing whatever part of it ran.
  bool apply_change(int round, int rounds) {
    // A phase can outlast the server's wait_timeout on the idle admin connection.
    if (!admin_alive()) reopen_admin();
    applied_ = undone_ = false;
    ApplyReport applied;
    try {
      applied = apply_statements(*admin_, change_.apply, false);
    } catch (const DatabaseError& error) {
      if (!error.connection_lost()) throw;
      lost_while_applying(error);
      return false;
    }
    outcome_.change_applied = outcome_.change_applied || applied.applied > 0;
    outcome_.events.push_back(fmt::format("{}{}: applied {} of {} statement{}", change_.description,
                                          rounds > 1 ? fmt::format(" ({}/{})", round, rounds) : "",
                                          applied.applied, change_.apply.size(),
                                          change_.apply.size() == 1 ? "" : "s"));
    if (!applied.failures.empty()) {
      outcome_.failure = "the change failed: " + applied.failures.front();
      // Undo only what ran: undoing a change that never happened would create one.
      if (applied.applied > 0) {
        undo_if_applied(/*force=*/true);
      } else {
        outcome_.events.push_back("nothing was applied, so nothing to undo");
      }
      return false;
    }
    applied_ = true;
    return true;
  }

  // The reply was lost, not necessarily the change: the server may have run some of it (an
  // ALTER carries on when its client goes away). What the schema says decides the undo.
  void lost_while_applying(const DatabaseError& error) {
    outcome_.failure = fmt::format("the connection was lost while applying the change: {}",
                                   error.what());
    outcome_.events.push_back(change_.description + ": the connection was lost while applying it");
    try {
      reopen_admin();
      if (schema_difference(original_, schema_snapshot(*admin_, database_)).empty()) {
        outcome_.events.push_back("the schema is unchanged, so nothing to undo");
        return;
      }
    } catch (const Error&) {
      // Cannot look: undo anyway; a statement whose counterpart never ran just fails.
    }
    outcome_.change_applied = true;
    undo_if_applied(/*force=*/true);
  }

  void reopen_admin() {
    admin_ = open_admin_();
    admin_->execute("USE `" + database_ + "`");
  }

  // Measures phase `side`-`number` into `phases` and writes its results file. False if it
  // was cut short: then, when `required`, the outcome's failure says so; a last before
  // phase cut short only costs its bracketing, and an event says that.
  bool measure_phase(const std::string& side, int number, int rounds,
                     std::vector<RunResult>& phases, bool required = true) {
    const std::string phase = fmt::format("{}-{}", side, number);
    RunOptions options = options_.run;
    split_iterations(options.settings, rounds);
    stop_when_decided(options, side == "before" ? outcome_.after_phases : outcome_.before_phases);
    options.label = options_.run.label.empty() ? phase : options_.run.label + " · " + phase;
    auto progress = options_.run.on_progress;
    if (progress) {
      options.on_progress = [progress, phase](const Progress& p) {
        Progress labelled = p;
        labelled.phase = phase + " " + p.phase;
        progress(labelled);
      };
    }
    RunResult run = std::move(measure({{&target_, options.label}}, measuring_, options).front());
    std::string path = (std::filesystem::path(options_.out_dir) / (phase + ".json")).string();
    write_results_file(run, path);
    outcome_.files.push_back(path + (run.complete ? "" : " (incomplete)"));
    const bool complete = run.complete;
    const std::string reason = run.incomplete_reason;
    phases.push_back(std::move(run));
    if (complete) return true;
    if (required) {
      outcome_.failure = fmt::format("the {} phase did not finish: {}", phase, reason);
    } else {
      outcome_.events.push_back(fmt::format("{} incomplete ({}): left out of the verdict", phase,
                                            reason));
      phases.pop_back();
    }
    return false;
  }

  // Each side's samples are spread over its phases: the total stays what was asked for.
  // --iterations auto aims each phase at √K × the precision, which K phases pooled reach
  // (an interval's width shrinks with √n).
  static void split_iterations(RunSettings& settings, int rounds) {
    if (rounds <= 1) return;
    settings.iterations = std::max(1, (settings.iterations + rounds - 1) / rounds);
    RunSettings::AutoIterations& rule = settings.auto_iterations;
    rule.min_rounds = std::max(5, (rule.min_rounds + rounds - 1) / rounds);
    rule.budget_s /= rounds;
    const double widen = std::sqrt(static_cast<double>(rounds));
    rule.max_relative_half_width *= widen;
    rule.max_absolute_half_width_ns = std::llround(
        static_cast<double>(rule.max_absolute_half_width_ns) * widen);
  }

  // before.json and after.json: every phase of a side pooled, as the verdict sees them.
  void write_pooled() {
    auto pool_into = [this](const std::vector<RunResult>& phases, const std::string& file)
        -> std::optional<RunResult> {
      if (phases.empty()) return std::nullopt;
      RunResult pooled = pool(phases);
      if (phases.size() > 1) pooled.label = file.substr(0, file.find('.'));
      std::string path = (std::filesystem::path(options_.out_dir) / file).string();
      write_results_file(pooled, path);
      outcome_.files.push_back(path + (pooled.complete ? "" : " (incomplete)"));
      return pooled;
    };
    outcome_.before = pool_into(outcome_.before_phases, "before.json");
    outcome_.after = pool_into(outcome_.after_phases, "after.json");
  }

  // Applies the undo statements once, on whatever path we are on, and proves the schema
  // is back by comparing SHOW CREATE TABLE of every table with the snapshot.
  void undo_if_applied(bool force = false) {
    if (undone_ || (!applied_ && !force)) return;
    undone_ = true;
    if (change_.keep) {
      outcome_.change_left_applied = applied_ || outcome_.change_applied;
      outcome_.events.push_back("kept: the change stays applied (--keep, or an additive "
                                "migration without --rollback)");
      return;
    }
    try {
      if (!admin_alive()) reopen_admin();
      admin_->execute("USE `" + database_ + "`");  // the change may have switched databases
      ApplyReport report = apply_statements(*admin_, change_.undo, true);
      outcome_.events.push_back(fmt::format("undo: applied {} of {} statement{}", report.applied,
                                            change_.undo.size(),
                                            change_.undo.size() == 1 ? "" : "s"));
      for (const std::string& failure : report.failures) {
        outcome_.events.push_back("undo: " + failure);
      }
      std::string difference = schema_difference(original_, schema_snapshot(*admin_, database_));
      outcome_.schema_restored = difference.empty();
      outcome_.change_left_applied = !difference.empty();
      outcome_.events.push_back(
          difference.empty()
              ? fmt::format("schema restored: SHOW CREATE TABLE of all {} tables is identical "
                            "(index order aside)",
                            original_.size())
              : fmt::format("SCHEMA NOT RESTORED: tables differ from before: {}", difference));
    } catch (const Error& error) {
      outcome_.schema_restored = false;
      outcome_.change_left_applied = true;
      outcome_.events.push_back(fmt::format(
          "UNDO FAILED: {}. The change may still be applied: run the rollback by hand", error.what()));
    }
  }

  bool admin_alive() {
    try {
      (void)admin_->query("SELECT 1");
      return true;
    } catch (const DatabaseError&) {
      return false;
    }
  }

  Connection& target_;
  const std::function<std::unique_ptr<Connection>()>& open_admin_;
  std::vector<Screen>& screens_;
  std::vector<Screen> measuring_;  // the screens the next phase measures
  const SchemaChange& change_;
  const LiveCompareOptions& options_;
  std::unique_ptr<Connection> admin_;
  std::string database_;
  std::map<std::string, std::string> original_;
  bool applied_ = false, undone_ = false;
  LiveCompareOutcome outcome_;
};

}  // namespace

LiveCompareOutcome run_live_compare(Connection& target,
                                    const std::function<std::unique_ptr<Connection>()>& admin,
                                    std::vector<Screen>& screens, const SchemaChange& change,
                                    const LiveCompareOptions& options) {
  return LiveCompare(target, admin, screens, change, options).run();
}

}  // namespace sqlmeasure
