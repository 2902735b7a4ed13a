// Plan changes are reported even when the time is unchanged (PRODUCT.md §6): on a small
// fixture a full scan is fast, on production data it is the next incident.
#include "plan_diff.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace sqlmeasure {

// EXPLAIN prints NULL (or nothing, through some clients) where no key or type applies.
std::string or_none(const std::string& field) {
  return field.empty() || field == "NULL" ? "(none)" : field;
}

bool uses_filesort(const PlanRow& row) {
  return row.extra.find("Using filesort") != std::string::npos;
}

bool uses_temporary(const PlanRow& row) {
  return row.extra.find("Using temporary") != std::string::npos;
}

namespace {

PlanChange table_change(const std::string& table, std::optional<PlanRow> before,
                        std::optional<PlanRow> after) {
  PlanChange change;
  change.table = table;
  change.before = std::move(before);
  change.after = std::move(after);
  return change;
}

bool differs(const PlanRow& before, const PlanRow& after) {
  return or_none(before.key) != or_none(after.key) ||
         or_none(before.access_type) != or_none(after.access_type) ||
         uses_filesort(before) != uses_filesort(after) ||
         uses_temporary(before) != uses_temporary(after);
}

// "ALL, key (none), filesort": one side of a table seen on that side only.
std::string summarize_row(const PlanRow& row) {
  std::string text = or_none(row.access_type) + ", key " + or_none(row.key);
  if (uses_filesort(row)) text += ", filesort";
  if (uses_temporary(row)) text += ", temporary";
  return text;
}

std::string arrow(const std::string& before, const std::string& after) {
  return before + " → " + after;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

}  // namespace

std::vector<PlanChange> diff_plans(const std::vector<PlanRow>& before,
                                   const std::vector<PlanRow>& after) {
  std::vector<PlanChange> changes;
  std::vector<bool> matched(after.size(), false);
  for (const PlanRow& old_row : before) {
    std::size_t i = 0;
    while (i < after.size() &&
           (matched[i] || after[i].id != old_row.id || after[i].table != old_row.table)) {
      ++i;
    }
    if (i == after.size()) {
      changes.push_back(table_change(old_row.table, old_row, std::nullopt));
      continue;
    }
    matched[i] = true;
    if (differs(old_row, after[i]))
      changes.push_back(table_change(old_row.table, old_row, after[i]));
  }
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (!matched[i]) changes.push_back(table_change(after[i].table, std::nullopt, after[i]));
  }
  // The same tables of one SELECT read in another order: a join order change, which no
  // per-table difference shows when each table keeps its access.
  for (const PlanRow& first : before) {
    std::vector<std::string> order_before, order_after;
    for (const PlanRow& row : before) {
      if (row.id == first.id) order_before.push_back(row.table);
    }
    if (order_before.front() != first.table) continue;  // once per SELECT id
    for (const PlanRow& row : after) {
      if (row.id == first.id) order_after.push_back(row.table);
    }
    std::vector<std::string> common_before, common_after;
    for (const std::string& table : order_before) {
      if (std::find(order_after.begin(), order_after.end(), table) != order_after.end()) {
        common_before.push_back(table);
      }
    }
    for (const std::string& table : order_after) {
      if (std::find(order_before.begin(), order_before.end(), table) != order_before.end()) {
        common_after.push_back(table);
      }
    }
    if (common_before.size() > 1 && common_before != common_after) {
      PlanChange change;
      change.order_before = common_before;
      change.order_after = common_after;
      changes.push_back(std::move(change));
    }
  }
  return changes;
}

std::string PlanChange::describe() const {
  if (!order_before.empty()) {
    return "join order " + arrow(join(order_before, ", "), join(order_after, ", "));
  }
  const std::string name = table.empty() ? "(no table)" : table;
  if (!before && !after) return name;
  if (!before) return name + " added: " + summarize_row(*after);
  if (!after) return name + " removed: " + summarize_row(*before);

  std::vector<std::string> parts;
  if (or_none(before->key) != or_none(after->key)) {
    parts.push_back("key " + arrow(or_none(before->key), or_none(after->key)));
  }
  if (or_none(before->access_type) != or_none(after->access_type)) {
    parts.push_back(arrow(or_none(before->access_type), or_none(after->access_type)));
  }
  if (uses_filesort(*before) != uses_filesort(*after)) {
    parts.push_back(uses_filesort(*after) ? "+filesort" : "-filesort");
  }
  if (uses_temporary(*before) != uses_temporary(*after)) {
    parts.push_back(uses_temporary(*after) ? "+temporary" : "-temporary");
  }
  return parts.empty() ? name : name + " " + join(parts, ", ");
}

}  // namespace sqlmeasure
