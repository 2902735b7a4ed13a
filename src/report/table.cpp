// The one table model behind the text, Markdown and CSV exports.
#include <fmt/format.h>

#include <algorithm>

#include "markdown_text.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// Display width in terminal columns: UTF-8 continuation bytes take none.
size_t display_width(const std::string& text) {
  size_t width = 0;
  bool in_escape = false;
  for (unsigned char c : text) {
    if (c == 0x1b) in_escape = true;
    if (in_escape) {
      if (c == 'm') in_escape = false;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string pad(const std::string& text, size_t width, bool right) {
  size_t current = display_width(text);
  if (current >= width) return text;
  std::string fill(width - current, ' ');
  return right ? fill + text : text + fill;
}

// A cell from files and servers: inert (markdown_text.h), and cut to its share.
std::string markdown_cell(const std::string& text) { return inert_markdown(text, 500); }

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Cells come from files and servers (SQL, error messages, labels): no control byte reaches the
// terminal, and every row stays one line.
Table safe(const Table& table) {
  Table out = table;
  for (std::string& header : out.headers) header = without_control_bytes(header);
  for (auto& row : out.rows) {
    for (std::string& cell : row) cell = without_control_bytes(cell);
  }
  return out;
}

}  // namespace

void write_text_table(const Table& input, std::ostream& out) {
  const Table table = safe(input);
  std::vector<size_t> widths(table.headers.size(), 0);
  for (size_t i = 0; i < table.headers.size(); ++i) widths[i] = display_width(table.headers[i]);
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t i = 0; i < widths.size(); ++i) {
      bool right = i < table.right_align.size() && table.right_align[i];
      std::string cell = i < cells.size() ? cells[i] : "";
      bool last = i + 1 == widths.size();
      text += last && !right ? cell : pad(cell, widths[i], right);
      if (!last) text += "  ";
    }
    out << text << '\n';
  };
  line(table.headers);
  for (const auto& row : table.rows) line(row);
}

void write_markdown_table(const Table& input, std::ostream& out) {
  const Table table = safe(input);
  out << '|';
  for (const auto& header : table.headers) out << ' ' << markdown_cell(header) << " |";
  out << "\n|";
  for (size_t i = 0; i < table.headers.size(); ++i) {
    bool right = i < table.right_align.size() && table.right_align[i];
    out << (right ? "---:|" : "---|");
  }
  out << '\n';
  for (const auto& row : table.rows) {
    out << '|';
    for (const auto& cell : row) out << ' ' << markdown_cell(cell) << " |";
    out << '\n';
  }
}

void write_csv_table(const Table& input, std::ostream& out, bool with_header) {
  const Table table = safe(input);
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csv_cell(cells[i]);
    out << '\n';
  };
  if (with_header) line(table.headers);
  for (const auto& row : table.rows) line(row);
}

void write_table(const Table& table, Format format, std::ostream& out) {
  switch (format) {
    case Format::kMarkdown:
      return write_markdown_table(table, out);
    case Format::kCsv:
      return write_csv_table(table, out);
    case Format::kTable:
    case Format::kJson:
    case Format::kJunit:
    case Format::kHtml:
      return write_text_table(table, out);
  }
}

Format parse_format(const std::string& text, const std::vector<Format>& allowed) {
  for (Format format : allowed) {
    if (text == format_name(format)) return format;
    // The terminal's table is plain text: the name some users (and issue texts) reach for.
    if (text == "text" && format == Format::kTable) return format;
  }
  std::string names;
  for (Format format : allowed)
    names += std::string(names.empty() ? "" : ", ") + format_name(format);
  fail(ExitCode::kUsage,
       fmt::format("--format: unknown format '{}' (this command writes: {})", text, names));
}

const char* format_name(Format format) {
  switch (format) {
    case Format::kTable:
      return "table";
    case Format::kJson:
      return "json";
    case Format::kMarkdown:
      return "markdown";
    case Format::kCsv:
      return "csv";
    case Format::kJunit:
      return "junit";
    case Format::kHtml:
      return "html";
  }
  return "table";
}

}  // namespace sqlmeasure
