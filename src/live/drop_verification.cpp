#include "sqlmeasure/drop_verification.h"

#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <filesystem>

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

// What regressed with the batch ignored, in the comparison's words, or nothing: a query
// that fails (a hint naming the index), else the first screen regressed by the rule's
// gates, with the plan change that carries it.
std::optional<std::string> regression(const Comparison& comparison) {
  for (const ScreenComparison& screen : comparison.screens) {
    for (const QueryComparison& query : screen.queries) {
      if (query.error) {
        return fmt::format("{}/{} fails ({})", screen.name, query.name, *query.error);
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

}  // namespace

VerifyOutcome verify_drops(const std::vector<Screen>& screens,
                           const std::vector<IndexToDrop>& drops, const VerifyOptions& options,
                           const Connector& connect) {
  VerifyOutcome out;
  for (const IndexToDrop& drop : drops) out.drops.push_back({drop, DropVerdict::kNotMeasured, ""});
  auto say = [&](const std::string& event) {
    if (options.compare.on_event) options.compare.on_event(event);
  };
  const auto start = std::chrono::steady_clock::now();
  std::deque<Batch> queue = first_batches(drops);
  int measured = 0;
  while (!queue.empty()) {
    const double spent =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (spent >= options.budget_s) {
      for (const Batch& batch : queue) {
        for (std::size_t i : batch) {
          out.drops[i].text =
              fmt::format("budget (--verify-budget {:.0f} s spent)", options.budget_s);
        }
      }
      say(fmt::format("--verify: the budget of {:.0f} s is spent; {} batch{} not measured",
                      options.budget_s, queue.size(), queue.size() == 1 ? "" : "es"));
      break;
    }
    const Batch batch = queue.front();
    queue.pop_front();
    LiveCompareOptions compare = options.compare;
    compare.migration.reset();
    compare.ignore_indexes.clear();
    for (std::size_t i : batch) compare.ignore_indexes.push_back(drops[i].spec());
    compare.out_dir =
        (std::filesystem::path(options.compare.out_dir) / fmt::format("verify-{}", ++measured))
            .string();
    say(fmt::format("--verify: measuring every screen with {} ignored (results in {})",
                    specs_of(drops, batch), compare.out_dir));
    const LiveCompareOutcome outcome = run_live_compare(screens, compare, connect);
    if (outcome.failure || !outcome.comparison) {
      out.failure =
          outcome.failure ? outcome.failure_message() : "no after run; " + describe(outcome.server);
      for (std::size_t i : batch) out.drops[i].text = *out.failure;
      for (const Batch& rest : queue) {
        for (std::size_t i : rest) out.drops[i].text = "the verification stopped before it";
      }
      break;
    }
    const Comparison& comparison = *outcome.comparison;
    if (std::optional<std::string> regressed = regression(comparison)) {
      if (batch.size() == 1) {
        out.drops[batch[0]].verdict = DropVerdict::kRegressed;
        out.drops[batch[0]].text = *regressed + " — keep it, or change the query first";
        continue;
      }
      // Which of them? Halves first, measured next.
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
          "no screen changes ({} screen{}, {} alternation{}{})", comparison.screens.size(),
          comparison.screens.size() == 1 ? "" : "s", comparison.after_phases,
          comparison.after_phases == 1 ? "" : "s",
          batch.size() > 1 ? "; measured together with " + specs_of(drops, batch, i) : "");
    }
  }
  return out;
}

}  // namespace sqlmeasure
