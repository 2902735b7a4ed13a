#pragma once
// Text from files and servers (SQL, names, error messages) as HTML or XML text or an attribute
// value: & < > " ' escaped, line breaks and tabs kept, other control bytes and bytes that are
// not UTF-8 shown as \xNN, so the page or the JUnit file is always valid UTF-8 (and valid XML
// 1.0, which allows no control byte) whatever the input held. Private to src/report/.
#include <string>
#include <string_view>

namespace sqlmeasure {

[[nodiscard]] std::string escape_markup(std::string_view text);

}  // namespace sqlmeasure
