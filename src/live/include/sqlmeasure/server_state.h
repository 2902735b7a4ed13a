#pragma once
// Where the server stands once a change was applied and undone: what a live compare, its
// change session and `recover` all report.
#include <string>

namespace sqlmeasure {

// Where the server stands when a live compare ends.
enum class ServerState {
  kUnchanged,        // no statement of the change succeeded
  kRestored,         // undone, and SHOW CREATE TABLE of every table matches the snapshot again
  kStillApplied,     // kept on purpose, or an undo that left the schema different
  kChangedByOthers,  // undone, the change's tables as they were; tables it never touched
                     // differ (another session dropped, created or altered them meanwhile)
  kUnknown,          // the schema could not be checked after the change was applied
};
// "nothing was changed", "the schema is as it was", "the change is STILL APPLIED", ...
[[nodiscard]] std::string describe(ServerState state);

}  // namespace sqlmeasure
