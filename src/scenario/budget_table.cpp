// [budget] / [[budget]]: the figures a screen's views must stay within after a change.
#include "budget_table.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <vector>

#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::string position(const std::string& file, const toml::source_region& region) {
  return fmt::format("{}:{}:{}", file, region.begin.line, region.begin.column);
}

}  // namespace

Budget read_budget(const std::string& file, const toml::table& table, const toml::node& node,
                   const std::set<std::string>& also, const std::string& section, ExitCode code) {
  std::set<std::string> known = also;
  known.insert({"median_ms", "p95_ms"});
  for (const auto& [key, value] : table) {
    if (known.contains(std::string(key.str()))) continue;
    // At the key, where the typo is.
    const toml::source_region& at = key.source().begin.line > 0 ? key.source() : value.source();
    fail(code,
         fmt::format("{}: unknown key '{}' in {}{}", position(file, at), printable(key.str()),
                     section,
                     did_you_mean_hint(std::string(key.str()),
                                       std::vector<std::string>(known.begin(), known.end()))));
  }
  Budget budget;
  budget.source = position(file, node.source());
  for (const auto& [key, out] :
       {std::pair{"median_ms", &budget.median_ms}, std::pair{"p95_ms", &budget.p95_ms}}) {
    const toml::node* value = table.get(key);
    if (value == nullptr) continue;
    std::optional<double> ms;
    if (const auto* f = value->as_floating_point()) ms = f->get();
    if (const auto* i = value->as_integer()) ms = static_cast<double>(i->get());
    if (!ms || !std::isfinite(*ms) || *ms <= 0 || *ms > 86'400'000) {
      fail(code, fmt::format("{}: '{}' in {} must be a number of milliseconds above 0 and at "
                             "most 86400000 (a day)",
                             position(file, value->source()), key, section));
    }
    *out = ms;
  }
  if (!budget.median_ms && !budget.p95_ms) {
    fail(code, fmt::format("{}: {} sets no figure: give median_ms, p95_ms or both", budget.source,
                           section));
  }
  if (budget.median_ms && budget.p95_ms && *budget.p95_ms < *budget.median_ms) {
    fail(code, fmt::format("{}: p95_ms ({} ms) is below median_ms ({} ms) in {}: a p95 is never "
                           "below the median; swapped?",
                           position(file, table.get("p95_ms")->source()), format_ms(*budget.p95_ms),
                           format_ms(*budget.median_ms), section));
  }
  return budget;
}

}  // namespace sqlmeasure
