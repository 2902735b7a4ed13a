// The list of rules, the run that applies them, and the helpers every rule writes with.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "advisor/advisor_internal.h"
#include "sqlmeasure/error.h"

namespace sqlmeasure {

namespace advisor {
namespace {

// In report order: what breaks a screen first, then what wastes, then what is merely unused.
std::vector<const Rule*> all_rules() {
  return {&hint_index_missing_rule(),      &hint_worth_rule(),
          &duplicate_index_rule(),  &redundant_index_rule(),
          &low_cardinality_rule(),  &composite_order_rule(),
          &order_by_created_rule(), &stale_statistics_rule(),
          &unused_index_rule(),     &unused_constraint_index_rule()};
}

// Words MySQL 8 or MariaDB reserve that could plausibly name a table or an index.
constexpr std::string_view kReserved[] = {
    "add",     "all",    "alter",      "and",      "as",      "asc",       "between",
    "by",      "case",   "change",     "check",    "column",  "condition", "constraint",
    "create",  "cross",  "database",   "default",  "delete",  "desc",      "distinct",
    "drop",    "else",   "exists",     "explain",  "fetch",   "for",       "force",
    "foreign", "from",   "fulltext",   "group",    "groups",  "having",    "ignore",
    "in",      "index",  "insert",     "interval", "into",    "is",        "join",
    "key",     "keys",   "left",       "like",     "limit",   "lock",      "match",
    "not",     "null",   "on",         "or",       "order",   "primary",   "range",
    "rank",    "read",   "references", "rename",   "replace", "right",     "row",
    "rows",    "select", "set",        "show",     "spatial", "table",     "union",
    "unique",  "update"};

}  // namespace


std::string backtick(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::string quote_ident(std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '$');
  }
  const std::string lowered = ascii_lower(name);
  for (std::string_view word : kReserved) plain = plain && lowered != word;
  return plain ? std::string(name) : backtick(name);
}

std::string drop_index_sql(const std::string& table, const std::string& index) {
  return fmt::format("ALTER TABLE {} DROP INDEX {};", quote_ident(table), quote_ident(index));
}

std::string what_if_command(const std::string& table, const std::string& index) {
  return fmt::format(
      "try it first: sqlmeasure compare --ignore-index {}.{} (the index is "
      "ignored, not dropped, while every screen is measured)",
      table, index);
}

std::string verify_migration_note() {
  return "verify with sqlmeasure compare --migration up.sql --rollback down.sql before "
         "applying";
}


std::string share_text(double share) {
  const double percent = share * 100;
  if (percent > 0 && percent < 0.1) return fmt::format("{:.3f} %", percent);
  if (percent > 99.9 && percent < 100) return fmt::format("{:.2f} %", percent);
  return fmt::format("{:.1f} %", percent);
}


std::string value_text(const std::optional<std::string>& value) {
  if (!value) return "NULL";
  bool number = !value->empty();
  for (char c : *value) number = number && ((c >= '0' && c <= '9') || c == '.' || c == '-');
  if (number) return *value;
  std::string shown = value->size() > 40 ? value->substr(0, 37) + "..." : *value;
  return "'" + shown + "'";
}

std::string index_text(const IndexInfo& index) {
  return fmt::format("{} {}", quote_ident(index.name), index.column_list());
}

std::string key_definition(const IndexInfo& index) {
  if (index.primary()) return "PRIMARY KEY " + index.column_list();
  std::string kind = index.type == "FULLTEXT" || index.type == "SPATIAL" ? index.type + " "
                     : index.unique                                      ? "UNIQUE "
                                                                         : "";
  return kind + "KEY " + index_text(index);
}


std::string one_line(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string plan_text(const std::vector<PlanRow>& plan) {
  std::string text;
  for (const PlanRow& row : plan) {
    std::string access = row.access_type.empty() ? "?" : row.access_type;
    std::string line = row.key.empty() ? fmt::format("{}: {}, no index", row.table, access)
                                       : fmt::format("{}: {} on {}", row.table, access, row.key);
    std::string details = row.rows.empty() ? "" : "rows " + row.rows;
    if (!row.extra.empty()) details += (details.empty() ? "" : "; ") + row.extra;
    if (!details.empty()) line += " (" + details + ")";
    text += (text.empty() ? "" : " | ") + line;
  }
  return text.empty() ? "(no plan)" : text;
}

bool plan_has_filesort(const std::vector<PlanRow>& plan) {
  return std::any_of(plan.begin(), plan.end(), [](const PlanRow& row) {
    return row.extra.find("filesort") != std::string::npos;
  });
}

Finding make_finding(const RuleInfo& info, const std::string& table, const std::string& index) {
  Finding finding;
  finding.rule = info.id;
  finding.severity = info.default_severity;
  finding.table = table;
  finding.index = index;
  return finding;
}

std::optional<LowCardinality> low_cardinality(const TableInfo& table, const std::string& column,
                                              const AdvisorThresholds& limits) {
  const ColumnProfile* profile = table.profile(column);
  // Without counted values, trust SHOW INDEX only when the statistics look sound.
  if (profile == nullptr && table.statistics_look_stale()) return std::nullopt;
  if (profile != nullptr && profile->distinct_capped) return std::nullopt;
  const std::optional<std::uint64_t> distinct = table.distinct(column);
  if (!distinct || *distinct == 0 || *distinct > limits.low_cardinality_max_distinct) {
    return std::nullopt;
  }
  LowCardinality low;
  low.distinct = *distinct;
  low.profile = profile;
  if (profile != nullptr && !profile->top.empty() && profile->rows_read > 0) {
    low.dominant_share =
        static_cast<double>(profile->top.front().count) / static_cast<double>(profile->rows_read);
  }
  // Ten evenly spread values still make a useful index; two, or one value owning most rows,
  // do not.
  if (low.distinct <= limits.few_values_max_distinct ||
      low.dominant_share >= limits.dominant_value_share) {
    return low;
  }
  return std::nullopt;
}

bool creation_time(const ColumnInfo& column) {
  if (column.data_type != "datetime" && column.data_type != "timestamp" &&
      column.data_type != "date") {
    return false;
  }
  const std::string name = ascii_lower(column.name);
  if (name.find("creat") != std::string::npos || name.find("insert") != std::string::npos) {
    return true;
  }
  const std::string fallback = column.default_value ? ascii_lower(*column.default_value) : "";
  return fallback.find("current_timestamp") != std::string::npos &&
         ascii_lower(column.extra).find("on update") == std::string::npos;
}

std::string top_values_text(const ColumnProfile& profile) {
  std::string values;
  for (const ValueCount& value : profile.top) {
    values +=
        fmt::format("{}{} → {}", values.empty() ? "" : ", ", value_text(value.value),
                    share_text(static_cast<double>(value.count) /
                               static_cast<double>(std::max<std::uint64_t>(1, profile.rows_read))));
  }
  return values;
}

std::vector<const QueryEvidence*> queries_using(const ScenarioEvidence& scenarios,
                                                const std::string& table,
                                                const std::string& index) {
  std::vector<const QueryEvidence*> out;
  for (const QueryEvidence& query : scenarios.queries) {
    for (const IndexUse& use : query.uses) {
      if (use.table == table && iequals(use.index, index)) {
        out.push_back(&query);
        break;
      }
    }
  }
  return out;
}

std::vector<const QueryEvidence*> queries_considering(const ScenarioEvidence& scenarios,
                                                      const std::string& table,
                                                      const std::string& index) {
  std::vector<const QueryEvidence*> out;
  for (const QueryEvidence& query : scenarios.queries) {
    for (const auto& [t, i] : query.possible) {
      if (t == table && iequals(i, index)) {
        out.push_back(&query);
        break;
      }
    }
  }
  return out;
}

namespace {

std::string list_queries(const std::vector<const QueryEvidence*>& queries, size_t limit = 3) {
  std::string text;
  for (size_t i = 0; i < queries.size() && i < limit; ++i) {
    text += (i ? ", " : "") + queries[i]->label();
  }
  if (queries.size() > limit) text += fmt::format(" and {} more", queries.size() - limit);
  return text;
}

}  // namespace

std::string usage_evidence(const ScenarioEvidence& scenarios, const std::string& table,
                           const std::string& index) {
  if (!scenarios.loaded) return "";
  std::vector<const QueryEvidence*> using_it = queries_using(scenarios, table, index);
  if (!using_it.empty()) {
    return fmt::format("scenario use: the plan of {} {} uses it ({})", using_it.size(),
                       using_it.size() == 1 ? "query" : "queries", list_queries(using_it));
  }
  size_t reading = 0;
  for (const QueryEvidence& query : scenarios.queries) {
    if (std::find(query.tables.begin(), query.tables.end(), table) != query.tables.end()) {
      ++reading;
    }
  }
  if (reading == 0) return "scenario use: no scenario query reads this table";
  std::vector<const QueryEvidence*> considering = queries_considering(scenarios, table, index);
  return fmt::format(
      "scenario use: none of the {} scenario {} reading {} uses it in its plan (only `key` "
      "counts); it is in possible_keys of {}",
      reading, reading == 1 ? "query" : "queries", table,
      considering.empty() ? std::string("none")
                          : fmt::format("{} ({})", considering.size(), list_queries(considering)));
}

std::vector<const ForeignKeyInfo*> foreign_keys_served(const TableInfo& table,
                                                       const IndexInfo& index) {
  std::vector<const ForeignKeyInfo*> out;
  const std::vector<std::string> columns = index.column_names();
  auto covers = [&](const std::vector<std::string>& fk_columns) {
    if (fk_columns.empty() || fk_columns.size() > columns.size()) return false;
    for (size_t i = 0; i < fk_columns.size(); ++i) {
      if (!iequals(fk_columns[i], columns[i])) return false;
      if (index.columns[i].sub_part) return false;  // a prefix index cannot back a foreign key
    }
    return true;
  };
  for (const ForeignKeyInfo& fk : table.foreign_keys) {
    if (covers(fk.columns)) out.push_back(&fk);
  }
  for (const ForeignKeyInfo& fk : table.referenced_by) {
    if (covers(fk.referenced_columns)) out.push_back(&fk);
  }
  return out;
}

const ForeignKeyInfo* foreign_key_needing(const TableInfo& table, const IndexInfo& index) {
  for (const ForeignKeyInfo* fk : foreign_keys_served(table, index)) {
    bool other = false;
    for (const IndexInfo& candidate : table.indexes) {
      if (&candidate == &index || !candidate.btree()) continue;
      for (const ForeignKeyInfo* served : foreign_keys_served(table, candidate)) {
        other = other || served == fk;
      }
    }
    if (!other) return fk;
  }
  return nullptr;
}

}  // namespace advisor

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

Severity parse_severity(const std::string& text, const std::string& flag) {
  for (Severity severity : {Severity::kInfo, Severity::kWarning, Severity::kError}) {
    if (ascii_lower(text) == severity_name(severity)) return severity;
  }
  fail(ExitCode::kUsage,
       fmt::format("{}: unknown severity '{}' (expected info, warning or error)", flag, text));
}

std::vector<RuleInfo> advisor_rules() {
  std::vector<RuleInfo> infos;
  for (const advisor::Rule* rule : advisor::all_rules()) infos.push_back(rule->info);
  return infos;
}

AdvisorResult run_advisor(const SchemaInfo& schema, const ScenarioEvidence& scenarios,
                          const AdvisorThresholds& thresholds) {
  using namespace advisor;
  AdvisorResult result;
  const RuleInput input{schema, scenarios, thresholds};
  std::vector<std::string> order;
  for (const Rule* rule : all_rules()) {
    order.push_back(rule->info.id);
    if (rule->info.needs_scenarios && !scenarios.loaded) {
      result.skipped.push_back(
          fmt::format("{}: needs --scenarios (the plans of the screens' queries)", rule->info.id));
      continue;
    }
    rule->check(input, rule->info, result.findings);
  }

  // One finding per index problem: an index that is also unused gets that as evidence on its
  // other finding rather than a second finding.
  auto is_unused_rule = [](const Finding& f) {
    return f.rule == unused_index_rule().info.id ||
           f.rule == unused_constraint_index_rule().info.id;
  };
  auto is_index_rule = [&](const Finding& f) {
    return !f.index.empty() && !is_unused_rule(f) && f.rule != hint_index_missing_rule().info.id &&
           f.rule != hint_worth_rule().info.id && f.rule != stale_statistics_rule().info.id;
  };
  std::vector<std::pair<std::string, std::string>> covered;  // (table, lower-case index)
  for (const Finding& finding : result.findings) {
    if (is_index_rule(finding)) covered.emplace_back(finding.table, ascii_lower(finding.index));
  }
  std::vector<Finding> kept;
  for (Finding& finding : result.findings) {
    if (is_unused_rule(finding)) {
      const std::pair<std::string, std::string> key{finding.table, ascii_lower(finding.index)};
      if (std::find(covered.begin(), covered.end(), key) != covered.end()) continue;
    } else if (is_index_rule(finding)) {
      std::string usage = usage_evidence(scenarios, finding.table, finding.index);
      if (!usage.empty()) finding.evidence.push_back(usage);
    }
    kept.push_back(std::move(finding));
  }
  result.findings = std::move(kept);

  auto rank = [&](const std::string& rule) {
    return std::find(order.begin(), order.end(), rule) - order.begin();
  };
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [&](const Finding& a, const Finding& b) {
                     if (a.severity != b.severity) return a.severity > b.severity;
                     if (a.rule != b.rule) return rank(a.rule) < rank(b.rule);
                     if (a.table != b.table) return a.table < b.table;
                     return a.index < b.index;
                   });
  return result;
}

}  // namespace sqlmeasure
