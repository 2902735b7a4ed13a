#pragma once
// Write scenarios (--allow-writes): measuring what an index costs an INSERT. Each
// execution runs inside a transaction that is always rolled back, so only statements a
// ROLLBACK can undo are accepted: single INSERT/UPDATE/DELETE/REPLACE statements, nothing
// that commits implicitly (DDL, LOCK TABLES, SET, CALL, transaction control, ...).
#include <string>
#include <string_view>

namespace sqlmeasure {

// Empty if `sql` may run under --allow-writes, else why not.
[[nodiscard]] std::string why_not_rollbackable(std::string_view sql);

}  // namespace sqlmeasure
