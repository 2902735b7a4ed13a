// Text as HTML or XML: the one escaper of the HTML reports and JUnit.
#include "markup.h"

#include <fmt/format.h>

#include "sqlmeasure/text.h"

namespace sqlmeasure {

std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\n':
      case '\t':
        out += static_cast<char>(c);
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02X}", c);
          break;
        }
        if (c < 0x80) {
          out += static_cast<char>(c);
          break;
        }
        if (const std::size_t length = utf8_length(text, i); length > 0) {
          out.append(text.substr(i, length));
          i += length;
          continue;
        }
        out += fmt::format("\\x{:02X}", c);
    }
    ++i;
  }
  return out;
}

}  // namespace sqlmeasure
