// What a live compare, its change session and `recover` say of the server.
#include "sqlmeasure/server_state.h"

namespace sqlmeasure {

std::string describe(ServerState state) {
  switch (state) {
    case ServerState::kUnchanged:
      return "nothing was changed";
    case ServerState::kRestored:
      return "the schema is as it was";
    case ServerState::kStillApplied:
      return "the change is STILL APPLIED";
    case ServerState::kChangedByOthers:
      return "the change is undone, its tables as they were";
    case ServerState::kUnknown:
      return "the schema could not be checked: the change may still be applied, run the "
             "rollback by hand";
  }
  return "unknown";
}

}  // namespace sqlmeasure
