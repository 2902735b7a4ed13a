#pragma once
// What a scenario statement may do to the server, judged on the lexer's tokens before it is
// ever sent: the read-only guard every scenario passes, and the stricter rule for write
// scenarios (--allow-writes), which run in a transaction that is always rolled back.
#include <string>
#include <string_view>

#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {

// Why a statement could change data or take locks, or empty if it is a read.
// Checks the first keyword (also inside /*! */ and /*M! */ executable comments), write
// keywords anywhere, SELECT ... INTO, FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE, and
// a second statement after ';'.
[[nodiscard]] std::string why_not_read_only(std::string_view sql, SqlModes modes = {});

// SELECT ... INTO OUTFILE/DUMPFILE under any of the quoting modes — a READ ONLY transaction
// does not stop a file write, so it is refused whatever the session's sql_mode turns out to
// be. Empty when no lexing finds one.
[[nodiscard]] std::string writes_a_file_in_any_mode(std::string_view sql);

// Empty if `sql` may run under --allow-writes, else why not: only single
// INSERT/UPDATE/DELETE/REPLACE statements that a ROLLBACK can undo — nothing that commits
// implicitly (DDL, LOCK TABLES, transaction control, ...) or acts outside the transaction.
[[nodiscard]] std::string why_not_rollbackable(std::string_view sql, SqlModes modes = {});

}  // namespace sqlmeasure
