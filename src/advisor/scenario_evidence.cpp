// What the scenarios do with the indexes: each query's plan (which index each table uses),
// each index hint timed with and without it, and each ORDER BY on a creation time compared with
// the same query ordered by the AUTO_INCREMENT key. Read-only; runs on the session the
// command opened (read-only transaction mode).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "column_traits.h"
#include "fix_sql.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/number_parse.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/sql_statements.h"
#include "sqlmeasure/stats.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

bool is_query(std::string_view sql) {
  const std::string keyword = first_keyword(sql);
  return keyword == "SELECT" || keyword == "WITH";
}

double median_ms(std::vector<double> samples_ns) { return quantile(samples_ns, 0.5) / 1e6; }

class EvidenceCollector {
 public:
  EvidenceCollector(Connection& connection, const SchemaInfo& schema,
                    const EvidenceOptions& options)
      : connection_(connection), schema_(schema), options_(options) {}

  ScenarioEvidence run(const std::vector<Screen>& screens) {
    evidence_.loaded = true;
    evidence_.screens = screens.size();
    size_t total = 0, done = 0;
    for (const Screen& screen : screens) total += screen.queries.size();
    for (const Screen& screen : screens) {
      for (const Query& query : screen.queries) {
        check_interrupted();
        progress("explain", done++, total);
        inspect(screen, query);
      }
    }
    progress("explain", done, total);
    measure_hints();
    return std::move(evidence_);
  }

 private:
  void progress(const std::string& phase, size_t done, size_t total) {
    if (options_.on_progress) options_.on_progress(Progress{phase, done, total});
  }

  void check_interrupted() {
    if (options_.interrupted != nullptr && options_.interrupted->load()) {
      fail(ExitCode::kRuntime,
           "interrupted while inspecting the scenario queries; nothing was "
           "changed");
    }
  }

  std::string render(const Query& query, std::size_t variant) {
    return render_sql(query, variant,
                      [this](std::string_view text) { return connection_.quote(text); });
  }

  // Runs `work`; a server error (not a lost connection) becomes the returned message.
  template <typename Work>
  std::optional<std::string> attempt(Work&& work) {
    try {
      work();
      return std::nullopt;
    } catch (const DatabaseError& error) {
      if (error.connection_lost()) throw;
      return std::string(error.what());
    }
  }

  // Table references to real tables: alias or name -> table.
  std::map<std::string, std::string> resolve(const QueryShape& shape) const {
    std::map<std::string, std::string> names;
    for (const TableReference& reference : shape.tables) {
      if (!reference.database.empty() && reference.database != schema_.database) continue;
      const TableInfo* table = schema_.table(reference.table);
      if (table == nullptr) continue;
      names[reference.alias.empty() ? reference.table : reference.alias] = table->name;
      if (reference.alias.empty()) names[table->name] = table->name;
    }
    return names;
  }

  static std::string lookup(const std::map<std::string, std::string>& names,
                            const std::string& name) {
    if (auto found = names.find(name); found != names.end()) return found->second;
    for (const auto& [alias, table] : names) {
      if (iequals(alias, name)) return table;
    }
    return "";
  }

  void inspect(const Screen& screen, const Query& query) {
    if (!is_query(query.sql)) return;
    QueryEvidence evidence;
    evidence.screen = screen.name;
    evidence.query = query.name;
    evidence.sql = render(query, 0);
    const QueryShape shape = read_query_shape(query.sql);
    const std::map<std::string, std::string> names = resolve(shape);
    for (const auto& [alias, table] : names) {
      if (std::find(evidence.tables.begin(), evidence.tables.end(), table) ==
          evidence.tables.end()) {
        evidence.tables.push_back(table);
      }
    }
    evidence.error = attempt([&] { evidence.plan = explain(connection_, evidence.sql); });
    for (const PlanRow& row : evidence.plan) {
      std::string table = lookup(names, row.table);
      if (table.empty()) {
        // <derived2>, <subquery3> or an alias we could not read: the table whose index it is,
        // when only one of the query's tables has an index of that name.
        std::vector<std::string> owners;
        for (const std::string& candidate : evidence.tables) {
          const TableInfo* info = schema_.table(candidate);
          for (const std::string& key : split_list(row.key)) {
            if (info != nullptr && info->index(key) != nullptr) owners.push_back(candidate);
          }
        }
        if (owners.size() == 1) table = owners[0];
      }
      if (table.empty()) continue;
      for (const std::string& key : split_list(row.key)) {
        evidence.uses.push_back({table, key, row.access_type, row.ref, row.rows});
      }
      for (const std::string& key : split_list(row.possible_keys)) {
        evidence.possible.emplace_back(table, key);
      }
    }
    for (const IndexHint& hint : shape.hints) {
      // MySQL 8's /*+ INDEX() */ hints are checked by compare and check --migration; the
      // hint rules here judge FORCE/USE/IGNORE INDEX (docs/indexes.md).
      if (hint.optimizer_hint) continue;
      const TableReference& reference = shape.tables[hint.table_reference];
      const TableInfo* info = schema_.table(reference.table);
      HintEvidence found;
      found.screen = screen.name;
      found.query = query.name;
      found.table = info != nullptr ? info->name : reference.table;
      found.kind = hint.kind;
      found.hint = hint.text;
      found.indexes = hint.indexes;
      found.sql_with = query.sql;
      found.sql_without = remove_range(query.sql, hint.begin, hint.end);
      if (evidence.error) found.error = "EXPLAIN with the hint failed: " + *evidence.error;
      pending_hints_.push_back({std::move(found), &query});
    }
    for (const OrderByColumn& item : shape.order_by) {
      order_by(screen, query, names, evidence.tables, item);
    }
    evidence_.queries.push_back(std::move(evidence));
  }

  // ORDER BY <timestamp column> on a table with an AUTO_INCREMENT key: the same query ordered
  // by the key, planned, counted and checked for the same rows.
  void order_by(const Screen& screen, const Query& query,
                const std::map<std::string, std::string>& names,
                const std::vector<std::string>& tables, const OrderByColumn& item) {
    std::string table_name;
    if (!item.qualifier.empty()) {
      table_name = lookup(names, item.qualifier);
    } else {
      for (const std::string& candidate : tables) {
        const TableInfo* info = schema_.table(candidate);
        if (info != nullptr && info->column(item.column) != nullptr) {
          if (!table_name.empty()) return;  // ambiguous
          table_name = candidate;
        }
      }
    }
    const TableInfo* table = table_name.empty() ? nullptr : schema_.table(table_name);
    if (table == nullptr) return;
    const ColumnInfo* column = table->column(item.column);
    const std::string key = table->auto_increment_key();
    // Only a creation time follows the key's order; the rule ignores the others, so they are
    // not run here either.
    if (column == nullptr || key.empty() || iequals(column->name, key) ||
        !advisor::creation_time(*column)) {
      return;
    }
    OrderByEvidence found;
    found.screen = screen.name;
    found.query = query.name;
    found.table = table->name;
    found.column = column->name;
    found.key_column = key;
    found.direction = item.direction;
    Query by_key = query;
    by_key.sql = replace_range(query.sql, item.column_begin, item.column_end, quote_ident(key));
    found.sql = render(query, 0);
    found.sql_by_key = render(by_key, 0);
    found.error = attempt([&] {
      found.plan = explain(connection_, found.sql);
      found.plan_by_key = explain(connection_, found.sql_by_key);
      found.rows_examined = rows_examined(connection_, found.sql);
      found.rows_examined_by_key = rows_examined(connection_, found.sql_by_key);
      const Execution by_column = connection_.execute_timed(found.sql, true);
      const Execution by_id = connection_.execute_timed(found.sql_by_key, true);
      found.same_rows = by_column.checksum == by_id.checksum;
    });
    std::string cache_key = table->name + "." + column->name;
    auto cached = agreement_.find(cache_key);
    if (cached == agreement_.end()) {
      std::pair<std::optional<double>, std::uint64_t> measured{std::nullopt, 0};
      std::optional<std::string> error =
          attempt([&] { measured = agreement(*table, *column, key); });
      if (error && !found.error) found.error = "order check failed: " + *error;
      cached = agreement_.emplace(cache_key, measured).first;
    }
    found.order_agreement = cached->second.first;
    found.agreement_rows = cached->second.second;
    evidence_.order_bys.push_back(std::move(found));
  }

  // Among the latest rows by key, how often the column's order agrees with the key's: the
  // share of consecutive pairs (by key) where the column does not go backwards.
  std::pair<std::optional<double>, std::uint64_t> agreement(const TableInfo& table,
                                                            const ColumnInfo& column,
                                                            const std::string& key) {
    const std::string c = quote_identifier(column.name), k = quote_identifier(key);
    ResultSet set = connection_.query(fmt::format(
        "SELECT COUNT(*), COALESCE(SUM(c < p), 0) FROM (SELECT {0} AS c, LAG({0}) OVER "
        "(ORDER BY {1}) AS p FROM (SELECT {1}, {0} FROM {2}.{3} ORDER BY {1} DESC LIMIT {4}) "
        "AS latest) AS pairs WHERE p IS NOT NULL AND c IS NOT NULL",
        c, k, quote_identifier(schema_.database), quote_identifier(table.name),
        options_.order_agreement_rows));
    if (set.rows.empty() || !set.rows[0][0] || !set.rows[0][1]) return {std::nullopt, 0};
    const std::uint64_t pairs = read_unsigned(*set.rows[0][0], "the order agreement of " + c);
    const std::uint64_t backwards = read_unsigned(*set.rows[0][1], "the order agreement of " + c);
    if (pairs == 0) return {std::nullopt, 0};
    return {1.0 - static_cast<double>(backwards) / static_cast<double>(pairs), pairs + 1};
  }

  struct PendingHint {
    HintEvidence evidence;
    const Query* query;
  };

  bool hint_runnable(const HintEvidence& hint) const {
    const TableInfo* table = schema_.table(hint.table);
    if (table == nullptr) return false;
    return std::all_of(hint.indexes.begin(), hint.indexes.end(), [&](const std::string& name) {
      const IndexInfo* index = table->index(name);
      return index != nullptr && index->visible;
    });
  }

  // Each hint: warm-up, then samples taken in pairs (with, without), the pair order
  // alternating, the parameter values cycling, so both sides see the same conditions.
  void measure_hints() {
    size_t done = 0;
    for (PendingHint& pending : pending_hints_) {
      check_interrupted();
      progress("timing index hints", done++, pending_hints_.size());
      HintEvidence& hint = pending.evidence;
      if (!hint.error && hint_runnable(hint)) {
        std::optional<std::string> error = attempt([&] {
          HintTiming timing{options_.hint_warmup, options_.hint_samples, options_.interrupted};
          hint.measured = measure_hint(connection_, *pending.query, hint.sql_without, timing);
        });
        if (error) {
          hint.error = *error;
          hint.measured.reset();
        }
      }
      evidence_.hints.push_back(std::move(hint));
    }
    progress("timing index hints", done, pending_hints_.size());
  }

  Connection& connection_;
  const SchemaInfo& schema_;
  const EvidenceOptions& options_;
  ScenarioEvidence evidence_;
  std::vector<PendingHint> pending_hints_;
  std::map<std::string, std::pair<std::optional<double>, std::uint64_t>> agreement_;
};

}  // namespace

HintMeasurement measure_hint(Connection& connection, const Query& query,
                             const std::string& sql_without, const HintTiming& timing) {
  auto render = [&connection](const Query& q, std::size_t variant) {
    return render_sql(q, variant,
                      [&connection](std::string_view text) { return connection.quote(text); });
  };
  Query without = query;
  without.sql = sql_without;
  std::size_t variants = 1;
  for (const auto& [name, spec] : query.params) variants = std::max(variants, spec.values.size());
  HintMeasurement measured;
  measured.samples = std::max(1, timing.samples);
  measured.variants =
      static_cast<int>(std::min<std::size_t>(variants, static_cast<std::size_t>(measured.samples)));
  std::vector<std::string> with_sql, without_sql;
  for (int v = 0; v < measured.variants; ++v) {
    with_sql.push_back(render(query, static_cast<std::size_t>(v)));
    without_sql.push_back(render(without, static_cast<std::size_t>(v)));
  }
  measured.plan_with = explain(connection, with_sql[0]);
  measured.plan_without = explain(connection, without_sql[0]);
  const int inspected = std::min(measured.variants, 4);
  for (int v = 0; v < inspected; ++v) {
    measured.rows_examined_with += rows_examined(connection, with_sql[static_cast<size_t>(v)]);
    measured.rows_examined_without +=
        rows_examined(connection, without_sql[static_cast<size_t>(v)]);
  }
  measured.rows_examined_with /= static_cast<std::uint64_t>(inspected);
  measured.rows_examined_without /= static_cast<std::uint64_t>(inspected);
  for (int w = 0; w < timing.warmup; ++w) {
    const size_t v = static_cast<size_t>(w % measured.variants);
    (void)connection.execute_timed(with_sql[v], false);
    (void)connection.execute_timed(without_sql[v], false);
  }
  std::vector<double> with_ns, without_ns;
  for (int k = 0; k < measured.samples; ++k) {
    if (timing.interrupted != nullptr && timing.interrupted->load()) {
      fail(ExitCode::kRuntime, "interrupted while timing an index hint");
    }
    const size_t v = static_cast<size_t>(k % measured.variants);
    auto time = [&](const std::string& sql) {
      return static_cast<double>(connection.execute_timed(sql, false).elapsed_ns);
    };
    if (k % 2 == 0) {
      with_ns.push_back(time(with_sql[v]));
      without_ns.push_back(time(without_sql[v]));
    } else {
      without_ns.push_back(time(without_sql[v]));
      with_ns.push_back(time(with_sql[v]));
    }
  }
  measured.with_ms = median_ms(with_ns);
  measured.without_ms = median_ms(without_ns);
  return measured;
}

ScenarioEvidence collect_scenario_evidence(Connection& connection, const SchemaInfo& schema,
                                           const std::vector<Screen>& screens,
                                           const EvidenceOptions& options) {
  return EvidenceCollector(connection, schema, options).run(screens);
}

}  // namespace sqlmeasure
