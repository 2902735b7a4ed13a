// The evidence's words for shares, values, indexes, SQL and plans, the same in every rule.
#include "evidence_text.h"

#include <fmt/format.h>

#include <algorithm>

#include "fix_sql.h"

namespace sqlmeasure::advisor {

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

std::string index_text(const IndexInfo& index) {
  return fmt::format("{} {}", quote_ident(index.name), index.column_list());
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

}  // namespace sqlmeasure::advisor
