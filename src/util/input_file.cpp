#include "sqlmeasure/input_file.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sqlmeasure/source_location.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::string kind_of(std::filesystem::file_type type) {
  switch (type) {
    case std::filesystem::file_type::directory:
      return "a directory";
    case std::filesystem::file_type::not_found:
      return "missing";
    case std::filesystem::file_type::fifo:
      return "a FIFO";
    case std::filesystem::file_type::character:
    case std::filesystem::file_type::block:
      return "a device";
    case std::filesystem::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

}  // namespace

std::string read_input_file(const std::string& path, const std::string& what, ExitCode code,
                            std::uintmax_t max_bytes) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    fail(code, fmt::format("{}: cannot read {}: no such file", path, what));
  }
  if (status.type() != std::filesystem::file_type::regular) {
    fail(code, fmt::format("{}: cannot read {}: it is {}", path, what, kind_of(status.type())));
  }
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (!error && size > max_bytes) {
    fail(code, fmt::format("{}: {} is implausibly large ({} MiB; at most {} MiB)", path, what,
                           size >> 20, max_bytes >> 20));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(code, fmt::format("{}: cannot read {}", path, what));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) fail(code, fmt::format("{}: cannot read {}", path, what));
  return std::move(text).str();
}

void check_utf8_text(const std::string& text, const std::string& path, const std::string& what) {
  const bool bom = text.starts_with("\xEF\xBB\xBF");
  std::size_t i = bom ? 3 : 0;
  std::size_t line_start = i;  // columns on line 1 count from after a BOM, as in the lexer
  int line = 1;
  while (i < text.size()) {
    const std::size_t length = utf8_length(text, i);
    if (length == 0) {
      const auto c = static_cast<unsigned char>(text[i]);
      const SourceLocation at{path, line, static_cast<int>(i - line_start + 1)};
      if (c == 0) {
        fail(ExitCode::kBadInput,
             fmt::format("{}: a NUL byte: {} must be UTF-8 text", at.str(), what));
      }
      fail(ExitCode::kBadInput,
           fmt::format("{}: byte 0x{:02X} is not UTF-8{}: save {} as UTF-8", at.str(), c,
                       i < 2 && (c == 0xFF || c == 0xFE) ? " (a UTF-16 file?)" : "", what));
    }
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += length;
  }
}

}  // namespace sqlmeasure
