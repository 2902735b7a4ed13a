#include "sqlmeasure/results_json.h"

namespace sqlmeasure {

nlohmann::json plan_to_json(const std::vector<PlanRow>& plan) {
  nlohmann::json rows = nlohmann::json::array();
  for (const PlanRow& r : plan) {
    rows.push_back({{"id", r.id},
                    {"select_type", r.select_type},
                    {"table", r.table},
                    {"type", r.access_type},
                    {"possible_keys", r.possible_keys},
                    {"key", r.key},
                    {"key_len", r.key_len},
                    {"ref", r.ref},
                    {"rows", r.rows},
                    {"extra", r.extra}});
  }
  return rows;
}

}  // namespace sqlmeasure
