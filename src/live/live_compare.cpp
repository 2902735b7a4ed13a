#include "sqlmeasure/live_compare.h"

#include <fmt/format.h>

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
    std::filesystem::create_directories(options_.out_dir);
    try {
      phases();
    } catch (...) {
      // Whatever went wrong, the server goes back to how we found it before we report.
      undo_if_applied();
      throw;
    }
    return std::move(outcome_);
  }

 private:
  bool interrupted() const {
    return options_.run.interrupted != nullptr && options_.run.interrupted->load();
  }

  void phases() {
    outcome_.before = measure_phase("before", "before.json");
    if (stopped_early(*outcome_.before, "before")) return;

    // The before phase can outlast the server's wait_timeout on the idle admin connection.
    if (!admin_alive()) reopen_admin();
    ApplyReport applied;
    try {
      applied = apply_statements(*admin_, change_.apply, false);
    } catch (const DatabaseError& error) {
      if (!error.connection_lost()) throw;
      lost_while_applying(error);
      return;
    }
    outcome_.change_applied = applied.applied > 0;
    outcome_.events.push_back(fmt::format("{}: applied {} of {} statement{}", change_.description,
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
      return;
    }
    applied_ = true;
    if (interrupted()) {
      outcome_.failure = "interrupted after the change was applied";
      undo_if_applied();
      return;
    }
    outcome_.after = measure_phase("after", "after.json");
    if (stopped_early(*outcome_.after, "after")) {
      undo_if_applied();
      return;
    }
    undo_if_applied();
    if (options_.before_again && !change_.keep && outcome_.schema_restored.value_or(false) &&
        !interrupted()) {
      outcome_.before_again = measure_phase("before again", "before-again.json");
      if (!outcome_.before_again->complete) {
        outcome_.events.push_back("before-again run incomplete: " +
                                  outcome_.before_again->incomplete_reason);
      }
    }
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

  RunResult measure_phase(const std::string& phase, const std::string& file) {
    RunOptions options = options_.run;
    options.label = options_.run.label.empty() ? phase : options_.run.label + " · " + phase;
    auto progress = options_.run.on_progress;
    if (progress) {
      options.on_progress = [progress, phase](const Progress& p) {
        Progress labelled = p;
        labelled.phase = phase + " " + p.phase;
        progress(labelled);
      };
    }
    RunResult run = std::move(measure({{&target_, options.label}}, screens_, options).front());
    std::string path = (std::filesystem::path(options_.out_dir) / file).string();
    write_results_file(run, path);
    outcome_.files.push_back(path + (run.complete ? "" : " (incomplete)"));
    return run;
  }

  bool stopped_early(const RunResult& run, const std::string& phase) {
    if (run.complete) return false;
    outcome_.failure = fmt::format("the {} phase did not finish: {}", phase, run.incomplete_reason);
    return true;
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
