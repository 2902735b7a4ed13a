#pragma once
// Making an index invisible to the optimizer and back: ALTER INDEX ... IGNORED on MariaDB
// 10.6+, INVISIBLE on MySQL 8. The index stays built, so undoing it is instant. Private to
// src/live/.
#include <string>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/source_location.h"
#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {

// Why `server` cannot hide an index ("MariaDB 10.5 has no ignored indexes (10.6+)"), or
// empty when it can.
[[nodiscard]] std::string why_indexes_cannot_be_hidden(const ServerInfo& server);

// "IGNORED"/"INVISIBLE" and "NOT IGNORED"/"VISIBLE" for `server`'s flavor.
[[nodiscard]] const char* hidden_word(const ServerInfo& server);
[[nodiscard]] const char* shown_word(const ServerInfo& server);

// ALTER TABLE `db`.`table` ALTER INDEX `index` IGNORED (or INVISIBLE), and the one that
// shows it again; `where` is what error messages point to.
[[nodiscard]] SqlStatement hide_index_statement(const ServerInfo& server,
                                                const std::string& database,
                                                const std::string& table, const std::string& index,
                                                const SourceLocation& where);
[[nodiscard]] SqlStatement show_index_statement(const ServerInfo& server,
                                                const std::string& database,
                                                const std::string& table, const std::string& index,
                                                const SourceLocation& where);

}  // namespace sqlmeasure
