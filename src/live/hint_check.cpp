// Index hints against a changed schema (sqlmeasure/hint_check.h). The name rules were
// checked on MariaDB 10.11 (docs/verdicts.md, "Index hints"): an unambiguous prefix of a
// visible index's name resolves to it, an ambiguous one fails with 1176, and an ignored index
// is neither a match nor a prefix candidate.
#include "sqlmeasure/hint_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "sqlmeasure/index_ddl.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// What the server answers a query whose hint names `index` on `table` when it does not resolve.
std::string unresolved_error(const std::string& index, const std::string& table) {
  return fmt::format("[1176] Key '{}' doesn't exist in table '{}'", index, table);
}

// A hint of one query, on a real table.
struct FoundHint {
  const Screen* screen = nullptr;
  const Query* query = nullptr;
  std::string table;  // as the query writes it
  std::string alias;  // what the server's error names: the alias, else the table
  const IndexHint* hint = nullptr;
};

// Calls `visit` for each hint of `screens` whose table is one of this database's (no other
// database qualifies it).
template <typename Visit>
void each_hint(const std::vector<Screen>& screens, Visit&& visit) {
  for (const Screen& screen : screens) {
    for (const Query& query : screen.queries) {
      const QueryShape shape = read_query_shape(query.sql);
      for (const IndexHint& hint : shape.hints) {
        if (hint.table_reference >= shape.tables.size()) continue;
        const TableReference& reference = shape.tables[hint.table_reference];
        if (!reference.database.empty()) continue;
        visit(FoundHint{&screen, &query, reference.table,
                        reference.alias.empty() ? reference.table : reference.alias, &hint});
      }
    }
  }
}

HintProblem problem_for(const FoundHint& found, const std::string& table,
                        const std::string& index) {
  HintProblem problem;
  problem.screen = found.screen->name;
  problem.query = found.query->name;
  problem.where = found.query->where;
  problem.table = table;
  problem.hint = found.hint->text;
  problem.index = index;
  return problem;
}

// Why `index` of `table` no longer resolves in `after`.
std::string cause_in(const TableInfo& after, const std::string& resolved_before,
                     const HintResolution& now) {
  switch (now.kind) {
    case HintResolution::Kind::kHidden:
      return fmt::format("{} is ignored/invisible now",
                         now.index.empty() ? resolved_before : now.index);
    case HintResolution::Kind::kAmbiguous:
      return "it is now a prefix of several indexes' names";
    case HintResolution::Kind::kMissing:
      return fmt::format("{} has no index {} any more", after.name, resolved_before);
    default:
      return "";
  }
}

}  // namespace

HintResolution resolve_hint(const std::string& named, const TableInfo& table, bool optimizer_hint) {
  HintResolution resolution;
  if (const IndexInfo* exact = table.index(named)) {
    resolution.index = exact->name;
    resolution.kind = exact->visible ? HintResolution::Kind::kExact : HintResolution::Kind::kHidden;
    return resolution;
  }
  if (optimizer_hint) return resolution;  // kMissing: exact names only
  std::vector<const IndexInfo*> candidates;
  for (const IndexInfo& index : table.indexes) {
    if (index.visible && starts_with_ci(index.name, named)) candidates.push_back(&index);
  }
  if (candidates.size() == 1) {
    resolution.kind = HintResolution::Kind::kPrefix;
    resolution.index = candidates.front()->name;
  } else if (candidates.size() > 1) {
    resolution.kind = HintResolution::Kind::kAmbiguous;
  }
  return resolution;
}

std::vector<std::string> hinted_tables(const std::vector<Screen>& screens) {
  std::vector<std::string> tables;
  each_hint(screens, [&](const FoundHint& found) {
    const std::string table = ascii_lower(found.table);
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) tables.push_back(table);
  });
  std::sort(tables.begin(), tables.end());
  return tables;
}

std::vector<HintProblem> check_hints(const std::vector<Screen>& screens, const SchemaInfo& before,
                                     const SchemaInfo& after) {
  std::vector<HintProblem> problems;
  each_hint(screens, [&](const FoundHint& found) {
    const TableInfo* old_table = before.table(found.table);
    const TableInfo* new_table = after.table(found.table);
    if (old_table == nullptr || new_table == nullptr) return;  // a table the change adds/drops
    const bool optimizer = found.hint->optimizer_hint;
    for (const std::string& named : found.hint->indexes) {
      const HintResolution was = resolve_hint(named, *old_table, optimizer);
      if (!was.resolves()) continue;  // failing before the change: not the change's doing
      const HintResolution now = resolve_hint(named, *new_table, optimizer);
      if (now.resolves() && iequals(now.index, was.index)) continue;
      HintProblem problem = problem_for(found, new_table->name, named);
      problem.before = was.index;
      if (now.resolves()) {
        problem.kind = HintProblem::Kind::kRedirected;
        problem.after = now.index;
        problem.cause = new_table->index(was.index) == nullptr
                            ? fmt::format("{} is gone", was.index)
                            : fmt::format("{} is no longer a unique match", was.index);
      } else {
        problem.kind = optimizer ? HintProblem::Kind::kIgnored : HintProblem::Kind::kBreaks;
        problem.cause = cause_in(*new_table, was.index, now);
        problem.error = unresolved_error(named, found.alias);
      }
      problems.push_back(std::move(problem));
    }
  });
  return problems;
}

std::vector<HintProblem> check_hints_offline(const std::vector<Screen>& screens,
                                             const SchemaChange& migration) {
  std::vector<IndexDdl> changes;
  for (const SqlStatement& statement : migration.apply) {
    for (IndexDdl& change : read_index_ddl(statement)) changes.push_back(std::move(change));
  }
  std::vector<HintProblem> problems;
  each_hint(screens, [&](const FoundHint& found) {
    const bool optimizer = found.hint->optimizer_hint;
    for (const std::string& named : found.hint->indexes) {
      // The last change to the name decides: a drop followed by an ADD of the same name keeps
      // the hint working.
      std::optional<IndexDdl> last;
      for (const IndexDdl& change : changes) {
        if (!iequals(change.table, found.table)) continue;
        if (change.kind == IndexDdl::Kind::kDropTable) {
          last.reset();  // the query fails on the table, not the hint: its own error
          break;
        }
        if (iequals(change.index, named) ||
            (change.kind == IndexDdl::Kind::kRename && iequals(change.new_name, named))) {
          last = change;
        }
      }
      if (!last) continue;
      HintProblem problem = problem_for(found, found.table, named);
      problem.before = named;
      switch (last->kind) {
        case IndexDdl::Kind::kDrop:
          problem.cause = fmt::format("the migration drops {} ({})", named, last->where.str());
          break;
        case IndexDdl::Kind::kRename:
          if (iequals(last->new_name, named)) continue;  // renamed to this name: it resolves
          problem.cause = fmt::format("the migration renames {} to {} ({})", named, last->new_name,
                                      last->where.str());
          break;
        case IndexDdl::Kind::kHide:
          problem.cause = fmt::format("the migration makes {} ignored/invisible ({})", named,
                                      last->where.str());
          break;
        default:
          continue;  // added or shown again: it resolves
      }
      problem.kind = optimizer ? HintProblem::Kind::kIgnored : HintProblem::Kind::kBreaks;
      problem.error = unresolved_error(named, found.alias);
      if (!optimizer && last->kind != IndexDdl::Kind::kHide) {
        problem.cause += fmt::format(
            " (unless another index's name starts with {}: the server would then use that one; "
            "a live compare checks the real schema)",
            named);
      }
      problems.push_back(std::move(problem));
    }
  });
  return problems;
}

std::vector<HintProblem> hints_keeping_off_new_indexes(Connection& connection,
                                                       const std::vector<Screen>& screens,
                                                       const SchemaInfo& before,
                                                       const SchemaInfo& after,
                                                       const HintTiming& timing) {
  std::vector<HintProblem> found;
  each_hint(screens, [&](const FoundHint& hinted) {
    const IndexHint& hint = *hinted.hint;
    if (hint.optimizer_hint || hint.kind == "IGNORE") return;
    const TableInfo* old_table = before.table(hinted.table);
    const TableInfo* new_table = after.table(hinted.table);
    if (old_table == nullptr || new_table == nullptr) return;
    std::vector<std::string> added;
    for (const IndexInfo& index : new_table->indexes) {
      if (index.visible && old_table->index(index.name) == nullptr) added.push_back(index.name);
    }
    if (added.empty()) return;
    const QueryShape shape = read_query_shape(hinted.query->sql);
    const TableReference& reference = shape.tables[hint.table_reference];
    const std::string plan_table = reference.alias.empty() ? reference.table : reference.alias;
    auto row_of = [&](const std::string& sql) -> PlanRow {
      for (const PlanRow& row : explain(connection, sql)) {
        if (iequals(row.table, plan_table)) return row;
      }
      return {};
    };
    auto quote = [&connection](std::string_view text) { return connection.quote(text); };
    Query without = *hinted.query;
    without.sql = remove_range(hinted.query->sql, hint.begin, hint.end);
    const auto new_among = [&](const std::string& keys) -> std::string {
      for (const std::string& key : split_list(keys)) {
        for (const std::string& name : added) {
          if (iequals(name, key)) return name;
        }
      }
      return "";
    };
    // The optimizer's choice can depend on the value (a user with one row: any index will do),
    // so the first parameter variants are explained until one uses the new index; one where it
    // is only a possible key counts too: the hint is what keeps it from being considered.
    std::size_t variants = 1;
    for (const auto& [name, spec] : hinted.query->params) {
      variants = std::max(variants, spec.values.size());
    }
    std::string used_with, used_without, considered;
    for (std::size_t v = 0; v < std::min<std::size_t>(variants, 8); ++v) {
      const PlanRow with_row = row_of(render_sql(*hinted.query, v, quote));
      if (!new_among(with_row.key).empty()) return;  // it uses the new index despite the hint
      const PlanRow without_row = row_of(render_sql(without, v, quote));
      if (used_with.empty()) used_with = with_row.key;
      if (considered.empty()) considered = new_among(without_row.possible_keys);
      if (const std::string uses = new_among(without_row.key); !uses.empty()) {
        used_without = uses;
        break;
      }
    }
    const std::string new_index = used_without.empty() ? considered : used_without;
    if (new_index.empty()) return;
    const HintMeasurement measured = measure_hint(connection, *hinted.query, without.sql, timing);
    // Only considered, never chosen for these values: said only when dropping the hint pays
    // (by the factor `indexes` judges hints by), else it is no finding.
    if (used_without.empty() && measured.without_ms * timing.effect_ratio > measured.with_ms) {
      return;
    }
    HintProblem problem =
        problem_for(hinted, new_table->name, hint.indexes.empty() ? "" : hint.indexes.front());
    problem.kind = HintProblem::Kind::kKeepsOff;
    problem.before = used_with;
    problem.after = new_index;
    problem.cause = fmt::format("with the hint it reads {}; without it the optimizer {} {}",
                                used_with.empty() || used_with == "NULL" ? "no index" : used_with,
                                used_without.empty() ? "considers" : "uses", new_index);
    problem.with_ms = measured.with_ms;
    problem.without_ms = measured.without_ms;
    problem.samples = measured.samples;
    problem.rows_examined_with = measured.rows_examined_with;
    problem.rows_examined_without = measured.rows_examined_without;
    found.push_back(std::move(problem));
  });
  return found;
}

}  // namespace sqlmeasure
