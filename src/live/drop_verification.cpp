#include "sqlmeasure/drop_verification.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>

#include "sqlmeasure/error.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using Batch = std::vector<std::size_t>;  // indexes into the drops

// At most one index per table in a batch: two indexes of one table can stand in for each
// other (drop either alone and nothing changes, drop both and a screen scans), so only
// indexes of different tables are measured together.
std::deque<Batch> first_batches(const std::vector<IndexToDrop>& drops) {
  std::deque<Batch> batches;
  for (std::size_t i = 0; i < drops.size(); ++i) {
    bool placed = false;
    for (Batch& batch : batches) {
      const bool same_table = std::any_of(batch.begin(), batch.end(), [&](std::size_t j) {
        return iequals(drops[j].table, drops[i].table);
      });
      if (!same_table) {
        batch.push_back(i);
        placed = true;
        break;
      }
    }
    if (!placed) batches.push_back({i});
  }
  return batches;
}

// One line: an error or failure message may carry the server's own line breaks.
std::string single_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

// What regressed with the batch ignored, in the comparison's words, or nothing: a query
// that fails only with it ignored (a hint naming the index; one failing before as well is
// broken either way), else the first screen regressed by the rule's gates, with the plan
// change that carries it.
std::optional<std::string> regression(const Comparison& comparison) {
  for (const ScreenComparison& screen : comparison.screens) {
    for (const QueryComparison& query : screen.queries) {
      if (query.outcome == QueryOutcome::kBreaks) {
        return fmt::format("{}/{} fails ({})", screen.name, query.name,
                           single_line(query.failed_after.error.value_or("")));
      }
    }
  }
  for (const ScreenComparison& screen : comparison.screens) {
    if (!screen.regressed(comparison.rule)) continue;
    std::string why;
    for (const QueryComparison& query : screen.queries) {
      if (!query.plan_changes.empty()) {
        why = query.plan_changes.front().describe();
        break;
      }
    }
    if (why.empty() && screen.rows.change == Change::kRegressed) {
      why = fmt::format("rows examined {} → {}", format_thousands(screen.rows.before),
                        format_thousands(screen.rows.after));
    }
    return fmt::format("{} regressed {}{}", screen.name, format_percent(screen.time.ratio),
                       why.empty() ? "" : " (" + why + ")");
  }
  return std::nullopt;
}

std::string specs_of(const std::vector<IndexToDrop>& drops, const Batch& batch,
                     std::size_t except = SIZE_MAX) {
  std::vector<std::string> specs;
  for (std::size_t i : batch) {
    if (i != except) specs.push_back(drops[i].spec());
  }
  return join(specs);
}

// A batch that regressed while every part of it, measured apart, changed nothing: no one
// of them is to blame, and dropping all of them is what regresses. Each becomes keep.
void only_harmful_together(const std::vector<std::pair<Batch, std::string>>& together,
                           const std::vector<IndexToDrop>& drops, VerifyOutcome& out) {
  for (const auto& [batch, regressed] : together) {
    const bool all_unchanged = std::all_of(batch.begin(), batch.end(), [&](std::size_t i) {
      return out.drops[i].verdict == DropVerdict::kUnchanged;
    });
    if (!all_unchanged) continue;
    for (std::size_t i : batch) {
      out.drops[i].verdict = DropVerdict::kRegressed;
      out.drops[i].text = fmt::format(
          "no screen changes with it alone, but ignored together with {}: {}; drop them one "
          "at a time, measuring each",
          specs_of(drops, batch, i), regressed);
    }
  }
}

// Two drops of one table, each unchanged alone, may still be harmful together (either
// index stands in for the other): each such table's unchanged drops are measured once
// more, all ignored at once, within the budget.
template <typename Measure, typename Spent>
void measure_tables_whole(const std::vector<IndexToDrop>& drops, VerifyOutcome& out,
                          Measure& measure, Spent& budget_spent, const std::string& budget_text) {
  std::vector<Batch> tables;
  for (std::size_t i = 0; i < drops.size(); ++i) {
    if (out.drops[i].verdict != DropVerdict::kUnchanged) continue;
    auto same = std::find_if(tables.begin(), tables.end(), [&](const Batch& batch) {
      return iequals(drops[batch.front()].table, drops[i].table);
    });
    if (same == tables.end()) {
      tables.push_back({i});
    } else {
      same->push_back(i);
    }
  }
  for (const Batch& batch : tables) {
    if (batch.size() < 2) continue;
    if (budget_spent()) {
      for (std::size_t i : batch) {
        out.drops[i].text += "; not measured with the table's other drops: " + budget_text;
      }
      continue;
    }
    const std::optional<Comparison> comparison = measure(batch);
    if (!comparison) return;
    const std::optional<std::string> regressed = regression(*comparison);
    for (std::size_t i : batch) {
      if (regressed) {
        out.drops[i].verdict = DropVerdict::kRegressed;
        out.drops[i].text = fmt::format(
            "no screen changes with it alone, but ignored together with {}: {}; drop one of "
            "them, then measure again",
            specs_of(drops, batch, i), *regressed);
      } else {
        out.drops[i].text += "; and with " + specs_of(drops, batch, i) + " as well: no change";
      }
    }
  }
}

}  // namespace

VerifyOutcome verify_drops(const std::vector<Screen>& screens,
                           const std::vector<IndexToDrop>& drops, const VerifyOptions& options,
                           const Connector& connect) {
  VerifyOutcome out;
  for (const IndexToDrop& drop : drops) out.drops.push_back({drop, DropVerdict::kNotMeasured, ""});
  auto say = [&](const std::string& event) {
    if (options.compare.on_event) options.compare.on_event(EventLevel::kPhase, event);
  };
  const auto start = std::chrono::steady_clock::now();
  auto budget_spent = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >=
           options.budget_s;
  };
  const std::string budget_text =
      fmt::format("budget (--verify-budget {:.0f} s spent)", options.budget_s);
  int measured = 0;
  // One live compare with the batch ignored; nothing when it did not finish (then
  // out.failure says why and the batch's drops say so).
  auto measure = [&](const Batch& batch) -> std::optional<Comparison> {
    LiveCompareOptions compare = options.compare;
    compare.migration.reset();
    compare.ignore_indexes.clear();
    for (std::size_t i : batch) compare.ignore_indexes.push_back(drops[i].spec());
    compare.out_dir =
        (std::filesystem::path(options.compare.out_dir) / fmt::format("verify-{}", ++measured))
            .string();
    say(fmt::format("--verify: measuring every screen with {} ignored (results in {})",
                    specs_of(drops, batch), compare.out_dir));
    std::optional<LiveCompareOutcome> outcome;
    try {
      outcome = run_live_compare(screens, compare, connect);
    } catch (const Error& error) {
      // Refused before anything was changed (the index is hidden already, an open journal,
      // a replication refusal): what was measured so far stays.
      out.failure = single_line(error.what());
    }
    if (!out.failure && (outcome->failure || !outcome->comparison)) {
      out.failure = single_line(outcome->failure ? outcome->failure_message()
                                                 : "no after run; " + describe(outcome->server));
    }
    if (out.failure) {
      for (std::size_t i : batch) out.drops[i].text = *out.failure;
      return std::nullopt;
    }
    return std::move(outcome->comparison);
  };

  std::deque<Batch> queue = first_batches(drops);
  std::vector<std::pair<Batch, std::string>> together;  // split batches, and what regressed
  while (!queue.empty()) {
    if (budget_spent()) {
      for (const Batch& batch : queue) {
        for (std::size_t i : batch) out.drops[i].text = budget_text;
      }
      say(fmt::format("--verify: the budget of {:.0f} s is spent; {} batch{} not measured",
                      options.budget_s, queue.size(), queue.size() == 1 ? "" : "es"));
      break;
    }
    const Batch batch = queue.front();
    queue.pop_front();
    const std::optional<Comparison> comparison = measure(batch);
    if (!comparison) {
      for (const Batch& rest : queue) {
        for (std::size_t i : rest) out.drops[i].text = "the verification stopped before it";
      }
      break;
    }
    if (std::optional<std::string> regressed = regression(*comparison)) {
      if (batch.size() == 1) {
        out.drops[batch[0]].verdict = DropVerdict::kRegressed;
        out.drops[batch[0]].text = *regressed + "; change the query before dropping it";
        continue;
      }
      // Which of them? Halves first, measured next. Should every half pass, the batch's
      // indexes are only harmful together: remembered, and said at the end.
      together.emplace_back(batch, *regressed);
      say(fmt::format("--verify: {} with {} ignored: splitting the batch", *regressed,
                      specs_of(drops, batch)));
      const Batch first(batch.begin(),
                        batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2));
      const Batch second(batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2),
                         batch.end());
      queue.push_front(second);
      queue.push_front(first);
      continue;
    }
    for (std::size_t i : batch) {
      out.drops[i].verdict = DropVerdict::kUnchanged;
      out.drops[i].text = fmt::format(
          "no screen changes ({} screen{}, {} alternation{}{})", comparison->screens.size(),
          comparison->screens.size() == 1 ? "" : "s", comparison->after_phases,
          comparison->after_phases == 1 ? "" : "s",
          batch.size() > 1 ? "; measured together with " + specs_of(drops, batch, i) : "");
    }
  }
  only_harmful_together(together, drops, out);
  if (!out.failure) measure_tables_whole(drops, out, measure, budget_spent, budget_text);
  return out;
}

}  // namespace sqlmeasure
