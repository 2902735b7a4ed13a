// Plan fidelity: each query's plan here beside production's, what differs and why (issue 33;
// docs/verdicts.md, "Plans unlike production's"). The plan comparison is diff_plans', from
// production to here; what it leaves out on purpose for a before/after compare (key parts,
// the rows estimate) matters here, where the question is whether the data plans alike.
#include "sqlmeasure/plan_fidelity.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "plan_diff.h"
#include "sqlmeasure/compare.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// Extra's words for a lookup that found no row, read before the plan was made (MariaDB and
// MySQL alike): the plan then says nothing of the data's shape.
constexpr const char* kNoRowMarkers[] = {
    "Impossible WHERE",        "no matching row in const table",
    "No matching min/max row", "Impossible HAVING",
    "const row not found",     "Impossible ON condition"};

std::optional<std::uint64_t> estimate(const std::string& rows) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(rows.data(), rows.data() + rows.size(), value);
  if (error != std::errc() || end != rows.data() + rows.size()) return std::nullopt;
  return value;
}

// Further apart than kFidelityRowsFactor, either way (0 counts as 1: an empty table is far).
bool far_apart(std::uint64_t a, std::uint64_t b) {
  const double lo = static_cast<double>(std::max<std::uint64_t>(std::min(a, b), 1));
  const double hi = static_cast<double>(std::max<std::uint64_t>(std::max(a, b), 1));
  return hi / lo > kFidelityRowsFactor;
}

// "1,800" under 100k, where the digits still read; "1.8M" above.
std::string rows_text(std::uint64_t rows) {
  return rows < 100'000 ? format_thousands(rows) : format_count(rows);
}

// "1 row", "16 rows", "1.2k rows".
std::string rows_word(std::uint64_t rows) {
  return format_count(rows) + (rows == 1 ? " row" : " rows");
}

std::vector<std::string> key_list(const std::string& keys) {
  std::vector<std::string> names;
  for (const std::string& name : split_list(keys)) {
    if (!name.empty() && name != "NULL") names.push_back(ascii_lower(name));
  }
  return names;
}

bool lists(const std::string& keys, const std::string& key) {
  const std::vector<std::string> names = key_list(keys);
  return std::find(names.begin(), names.end(), ascii_lower(key)) != names.end();
}

bool has_key(const PlanRow& row) { return or_none(row.key) != "(none)"; }

// The Extra marker of a lookup that found no row, or "".
std::string no_row_marker(const std::vector<PlanRow>& plan) {
  for (const PlanRow& row : plan) {
    for (const char* marker : kNoRowMarkers) {
      if (row.extra.find(marker) != std::string::npos) return row.extra;
    }
  }
  return "";
}

// Production's rows matched to this side's by (id, table), in order, as diff_plans matches.
std::vector<std::pair<const PlanRow*, const PlanRow*>> matched_rows(
    const std::vector<PlanRow>& production, const std::vector<PlanRow>& here) {
  std::vector<std::pair<const PlanRow*, const PlanRow*>> pairs;
  std::vector<bool> taken(here.size(), false);
  for (const PlanRow& row : production) {
    for (std::size_t i = 0; i < here.size(); ++i) {
      if (!taken[i] && here[i].id == row.id && here[i].table == row.table) {
        taken[i] = true;
        pairs.emplace_back(&row, &here[i]);
        break;
      }
    }
  }
  return pairs;
}

const IndexStatistics* statistics_of(const RunResult& run, const std::string& table,
                                     const std::string& index) {
  for (const IndexStatistics& statistics : run.index_statistics) {
    if (ascii_lower(statistics.table) == ascii_lower(table) &&
        ascii_lower(statistics.index) == ascii_lower(index)) {
      return &statistics;
    }
  }
  return nullptr;
}

std::optional<std::uint64_t> table_rows(const RunResult& run, const std::string& table) {
  if (!run.conditions) return std::nullopt;
  const auto found = run.conditions->table_rows.find(ascii_lower(table));
  if (found == run.conditions->table_rows.end()) return std::nullopt;
  return found->second.rows;
}

class QueryCheck {
 public:
  QueryCheck(const RunResult& here_run, const RunResult& production_run)
      : here_run_(here_run), production_run_(production_run) {}

  QueryFidelity check(const std::string& screen, const QueryResult& here,
                      const QueryResult& production) {
    shape_ = read_query_shape(here.sql);
    QueryFidelity fidelity;
    fidelity.screen = screen;
    fidelity.query = here.name;
    if (here.error && here.plan.empty() && !production.plan.empty()) {
      fidelity.differences.push_back("no plan here: " + *here.error);
    }
    for (const PlanChange& change : diff_plans(production.plan, here.plan)) {
      fidelity.differences.push_back(change.describe());
      if (!change.table.empty()) tables_.insert(change.table);
      for (const std::string& table : change.order_before) tables_.insert(table);
    }
    for (const auto& [prod, row] : matched_rows(production.plan, here.plan)) {
      compare_rows(*prod, *row, fidelity);
    }
    if (fidelity.differences.empty()) return fidelity;
    fidelity.status = FidelityStatus::kDiffers;
    explain(here, production, fidelity);
    return fidelity;
  }

 private:
  void compare_rows(const PlanRow& prod, const PlanRow& row, QueryFidelity& fidelity) {
    if (or_none(prod.key) == or_none(row.key) && has_key(row) && prod.key_len != row.key_len) {
      fidelity.differences.push_back(
          fmt::format("{} key parts (key_len) {} → {}", row.table, prod.key_len, row.key_len));
      tables_.insert(row.table);
    }
    const std::optional<std::uint64_t> prod_rows = estimate(prod.rows);
    const std::optional<std::uint64_t> here_rows = estimate(row.rows);
    const std::size_t causes_before = causes_.size();
    if (prod_rows && here_rows && far_apart(*prod_rows, *here_rows)) {
      fidelity.differences.push_back(fmt::format("{} rows estimate {} → {}", row.table,
                                                 format_count(*prod_rows),
                                                 format_count(*here_rows)));
      tables_.insert(row.table);
      if (or_none(row.access_type) == "range" || or_none(prod.access_type) == "range") {
        add(FidelityReason::kRangeIndexDives,
            fmt::format("the range on {} is estimated by index dives on this data ({} here, "
                        "{} in production), not from statistics",
                        row.table, rows_word(*here_rows), format_count(*prod_rows)));
      } else if (or_none(row.access_type) == "ref" && dived(row)) {
        add(FidelityReason::kRangeIndexDives,
            fmt::format("the lookup of a constant on {} is estimated by index dives on this data "
                        "({} here, {} in production), not from statistics",
                        row.table, rows_word(*here_rows), format_count(*prod_rows)));
      }
    }
    if (causes_.size() == causes_before && here_rows &&
        or_none(row.access_type) != or_none(prod.access_type) && dived(row)) {
      // Another access to the table, chosen on an estimate read from this data's B-tree: with
      // production's statistics imported, the two sources are mixed — the table's size is
      // production's, the dive's count this copy's — and the join order follows the smaller.
      add(FidelityReason::kRangeIndexDives,
          fmt::format("{} is read by {} on {} here, estimated at {} by index dives on this data, "
                      "not from statistics (production: {}{})",
                      row.table, row.access_type, row.key, rows_word(*here_rows),
                      or_none(prod.access_type),
                      has_key(prod) ? " on " + prod.key : std::string()));
    }
  }

  // An access whose rows the optimizer counts in the index itself, below
  // eq_range_index_dive_limit, rather than reading statistics: a range, an index merge of
  // ranges, an equality on constants. Imported statistics cannot carry it (docs/statistics.md).
  static bool dived(const PlanRow& row) {
    const std::string type = or_none(row.access_type);
    return type == "range" || type == "index_merge" ||
           (type == "ref" && row.ref.find("const") != std::string::npos);
  }

  void explain(const QueryResult& here, const QueryResult& production, QueryFidelity& fidelity) {
    const std::string here_marker = no_row_marker(here.plan);
    const std::string prod_marker = no_row_marker(production.plan);
    if (!here_marker.empty() && prod_marker.empty()) {
      add(FidelityReason::kNoMatchingRow,
          fmt::format("the literal matches no row here (\"{}\")", here_marker));
    } else if (here_marker.empty() && !prod_marker.empty()) {
      add(FidelityReason::kNoMatchingRow,
          fmt::format("the literal matched no row in production (\"{}\")", prod_marker));
    }
    std::set<std::string> real_tables;
    for (const std::string& table : tables_) real_tables.insert(real_table(table));
    for (const std::string& table : real_tables) {
      const std::optional<std::uint64_t> here_rows = table_rows(here_run_, table);
      const std::optional<std::uint64_t> prod_rows = table_rows(production_run_, table);
      if (here_rows && prod_rows && far_apart(*here_rows, *prod_rows)) {
        add(FidelityReason::kTableRows,
            fmt::format("{} holds {} rows here, {} in production", table, rows_text(*here_rows),
                        rows_text(*prod_rows)));
      }
    }
    missing_indexes(here.plan, production.plan);
    statistics(here.plan, production.plan);
    std::stable_sort(causes_.begin(), causes_.end(),
                     [](const FidelityCause& a, const FidelityCause& b) {
                       return static_cast<int>(a.reason) < static_cast<int>(b.reason);
                     });
    fidelity.causes = causes_;
  }

  // An index one side's plan looks up with that the other side's plan of the same table does
  // not even consider: missing there, or the reverse.
  void missing_indexes(const std::vector<PlanRow>& here, const std::vector<PlanRow>& production) {
    auto considered = [](const std::vector<PlanRow>& plan, const PlanRow& row) {
      for (const PlanRow& other : plan) {
        if (other.table != row.table) continue;
        if (lists(other.possible_keys, row.key) || ascii_lower(other.key) == ascii_lower(row.key))
          return std::optional<bool>(true);
        return std::optional<bool>(false);
      }
      return std::optional<bool>();  // the table is not in that plan: nothing to tell
    };
    for (const PlanRow& row : production) {
      if (!tables_.contains(row.table) || !has_key(row) || !lists(row.possible_keys, row.key))
        continue;
      if (considered(here, row) == false) {
        add(FidelityReason::kIndexMissing,
            fmt::format("index {} of {}, which production's plan uses, is not among the possible "
                        "keys here",
                        row.key, row.table));
      }
    }
    for (const PlanRow& row : here) {
      if (!tables_.contains(row.table) || !has_key(row) || !lists(row.possible_keys, row.key))
        continue;
      if (considered(production, row) == false) {
        add(FidelityReason::kIndexExtra,
            fmt::format("index {} of {}, which the plan here uses, is not among production's "
                        "possible keys",
                        row.key, row.table));
      }
    }
  }

  // The indexes either plan uses on a table that differs, where both runs recorded their
  // statistics: the optimizer's rows per value (rows / leading distinct) far apart.
  void statistics(const std::vector<PlanRow>& here, const std::vector<PlanRow>& production) {
    std::set<std::pair<std::string, std::string>> indexes;
    for (const std::vector<PlanRow>* plan : {&production, &here}) {
      for (const PlanRow& row : *plan) {
        if (tables_.contains(row.table) && has_key(row)) {
          indexes.insert({real_table(row.table), row.key});
        }
      }
    }
    for (const auto& [table, index] : indexes) {
      const IndexStatistics* mine = statistics_of(here_run_, table, index);
      const IndexStatistics* theirs = statistics_of(production_run_, table, index);
      if (!mine || !theirs || !mine->leading_distinct || !theirs->leading_distinct ||
          *mine->leading_distinct == 0 || *theirs->leading_distinct == 0) {
        continue;
      }
      const std::uint64_t per_value_here = mine->table_rows / *mine->leading_distinct;
      const std::uint64_t per_value_prod = theirs->table_rows / *theirs->leading_distinct;
      if (!far_apart(per_value_here, per_value_prod)) continue;
      add(FidelityReason::kStatistics,
          fmt::format("statistics differ: {}.{} has {} distinct leading values in {} rows here "
                      "(~{} rows a value), {} in {} in production (~{})",
                      table, index, format_count(*mine->leading_distinct),
                      rows_text(mine->table_rows), format_count(per_value_here),
                      format_count(*theirs->leading_distinct), rows_text(theirs->table_rows),
                      format_count(per_value_prod)));
    }
  }

  // The table a plan row's name (an alias, perhaps) stands for in the query, in lower case as
  // the run's conditions name it.
  std::string real_table(const std::string& plan_table) const {
    for (const TableReference& reference : shape_.tables) {
      const std::string& name = reference.alias.empty() ? reference.table : reference.alias;
      if (ascii_lower(name) == ascii_lower(plan_table)) return ascii_lower(reference.table);
    }
    return ascii_lower(plan_table);
  }

  void add(FidelityReason reason, std::string text) {
    for (const FidelityCause& cause : causes_) {
      if (cause.text == text) return;
    }
    causes_.push_back({reason, std::move(text)});
  }

  const RunResult& here_run_;
  const RunResult& production_run_;
  QueryShape shape_;              // of the query here: its tables and their aliases
  std::set<std::string> tables_;  // those whose rows differ, as the plans name them
  std::vector<FidelityCause> causes_;
};

const ScreenResult* screen_named(const RunResult& run, const std::string& name) {
  for (const ScreenResult& screen : run.screens) {
    if (screen.name == name) return &screen;
  }
  return nullptr;
}

const QueryResult* query_named(const ScreenResult& screen, const std::string& name) {
  for (const QueryResult& query : screen.queries) {
    if (query.name == name) return &query;
  }
  return nullptr;
}

}  // namespace

const char* fidelity_status_id(FidelityStatus status) {
  switch (status) {
    case FidelityStatus::kSame:
      return "same";
    case FidelityStatus::kDiffers:
      return "differs";
    case FidelityStatus::kNotHere:
      return "not-here";
    case FidelityStatus::kNotInProduction:
      return "not-in-production";
  }
  return "same";
}

const char* fidelity_reason_id(FidelityReason reason) {
  switch (reason) {
    case FidelityReason::kNoMatchingRow:
      return "no-matching-row";
    case FidelityReason::kTableRows:
      return "table-rows";
    case FidelityReason::kIndexMissing:
      return "index-missing";
    case FidelityReason::kIndexExtra:
      return "index-extra";
    case FidelityReason::kStatistics:
      return "statistics";
    case FidelityReason::kRangeIndexDives:
      return "range-index-dives";
  }
  return "table-rows";
}

std::string QueryFidelity::describe() const {
  switch (status) {
    case FidelityStatus::kSame:
      return "planned as production";
    case FidelityStatus::kNotHere:
      return "not measured here";
    case FidelityStatus::kNotInProduction:
      return "not in production's plans";
    case FidelityStatus::kDiffers:
      break;
  }
  std::string text = join(differences, ", ");
  if (!causes.empty()) {
    std::vector<std::string> why;
    for (const FidelityCause& cause : causes) why.push_back(cause.text);
    text += "; why: " + join(why, "; ");
  }
  return text;
}

std::size_t PlanFidelity::compared() const {
  return static_cast<std::size_t>(std::count_if(queries.begin(), queries.end(), [](const auto& q) {
    return q.status == FidelityStatus::kSame || q.status == FidelityStatus::kDiffers;
  }));
}

std::size_t PlanFidelity::differing() const {
  return static_cast<std::size_t>(std::count_if(queries.begin(), queries.end(), [](const auto& q) {
    return q.status == FidelityStatus::kDiffers;
  }));
}

std::string PlanFidelity::summary() const {
  const std::size_t total = compared(), differ = differing();
  std::string line = fmt::format("plans: {} of {} quer{} plan{} as production ({} differ{})",
                                 total - differ, total, total == 1 ? "y" : "ies",
                                 total == 1 ? "s" : "", differ, differ == 1 ? "s" : "");
  std::size_t not_in_production = 0, not_here = 0;
  for (const QueryFidelity& query : queries) {
    not_in_production += query.status == FidelityStatus::kNotInProduction;
    not_here += query.status == FidelityStatus::kNotHere;
  }
  if (not_in_production > 0) {
    line += fmt::format("; {} quer{} not in production's plans", not_in_production,
                        not_in_production == 1 ? "y" : "ies");
  }
  if (not_here > 0) line += fmt::format("; {} of production's not measured here", not_here);
  return line;
}

std::vector<std::string> PlanFidelity::lines() const {
  std::vector<std::string> lines;
  for (const QueryFidelity& query : queries) {
    if (query.status == FidelityStatus::kSame) continue;
    lines.push_back(fmt::format(
        "{}/{}{}: {}", query.screen, query.query,
        query.status == FidelityStatus::kDiffers ? " (production → here)" : "", query.describe()));
  }
  return lines;
}

const QueryFidelity* PlanFidelity::find(const std::string& screen, const std::string& query) const {
  for (const QueryFidelity& entry : queries) {
    if (entry.screen == screen && entry.query == query) return &entry;
  }
  return nullptr;
}

PlanFidelity check_plan_fidelity(const RunResult& here, const RunResult& production,
                                 const std::string& source) {
  PlanFidelity fidelity;
  fidelity.source = source;
  for (const ScreenResult& screen : here.screens) {
    const ScreenResult* theirs = screen_named(production, screen.name);
    for (const QueryResult& query : screen.queries) {
      const QueryResult* match = theirs ? query_named(*theirs, query.name) : nullptr;
      if (!match) {
        fidelity.queries.push_back(
            {screen.name, query.name, FidelityStatus::kNotInProduction, {}, {}});
        continue;
      }
      fidelity.queries.push_back(QueryCheck(here, production).check(screen.name, query, *match));
    }
  }
  // Production's queries of the screens measured here that were not: a screen not selected
  // here is left out, not listed query by query.
  for (const ScreenResult& screen : production.screens) {
    const ScreenResult* mine = screen_named(here, screen.name);
    if (!mine) continue;
    for (const QueryResult& query : screen.queries) {
      if (!query_named(*mine, query.name)) {
        fidelity.queries.push_back({screen.name, query.name, FidelityStatus::kNotHere, {}, {}});
      }
    }
  }
  return fidelity;
}

void note_plan_fidelity(Comparison& comparison, PlanFidelity fidelity) {
  for (ScreenComparison& screen : comparison.screens) {
    const Verdict verdict = screen.verdict();
    const bool flagged = verdict != Verdict::kUnchanged && verdict != Verdict::kAdded &&
                         verdict != Verdict::kRemoved;
    for (QueryComparison& query : screen.queries) {
      const QueryFidelity* entry = fidelity.find(screen.name, query.name);
      query.unlike_production =
          flagged && entry && entry->status == FidelityStatus::kDiffers ? entry->describe() : "";
    }
  }
  comparison.fidelity = std::move(fidelity);
}

}  // namespace sqlmeasure
