#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (const char c : name) {
    const bool ascii_alnum =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ascii_alnum && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace sqlmeasure
