#pragma once
// index.jsonl's lines: one recorded run each, and the errors a bad one gets.
#include <functional>
#include <string>

#include "sqlmeasure/history.h"

namespace sqlmeasure {

// One line, without its newline. Each screen is an array, [name, n, median_ns, p95_ns,
// rows_examined, plan, error, queries]: a thousand runs of two hundred screens stay a few MB.
[[nodiscard]] std::string entry_to_line(const HistoryEntry& entry);

// `text` as the index writes a string (a JSON string, UTF-8 as is).
[[nodiscard]] std::string index_string(const std::string& text);

// `line` (line `number` of `path`) read back, with only the screens `keep` says: a screen left
// out is never built. Error(kBadInput) naming path:LINE:COL and what is wrong.
[[nodiscard]] HistoryEntry entry_from_line(const std::string& line, const std::string& path,
                                           std::size_t number,
                                           const std::function<bool(const std::string&)>& keep);

}  // namespace sqlmeasure
