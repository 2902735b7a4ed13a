#pragma once
// What the general and slow log parsers share. Private to src/capture/.
#include <memory>
#include <string_view>

#include "sqlmeasure/capture.h"

namespace sqlmeasure {

// The lines a server writes when it opens a log (at start, and after FLUSH LOGS, so anywhere):
// "/usr/sbin/mariadbd, Version: ... started with:", "Tcp port: ...", "Time   Id Command ...".
[[nodiscard]] bool is_log_header(std::string_view text);

[[nodiscard]] std::unique_ptr<LogParser> make_general_log_parser(EventSink sink);
// `mysql`: MySQL's slow log (the thread id on the User@Host line); else MariaDB's.
[[nodiscard]] std::unique_ptr<LogParser> make_slow_log_parser(EventSink sink);

}  // namespace sqlmeasure
