// Reading a log file as a stream of lines: plain or gzip-compressed (zlib reads both), or
// standard input ("-"), in fixed-size chunks, so a 10 GB log costs no more memory than a
// small one.
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "log_lines.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/error.h"

namespace sqlmeasure {
namespace {

constexpr std::size_t kChunk = 1 << 20;
constexpr std::size_t kDetectLines = 50;

struct GzFile {
  gzFile file = nullptr;
  ~GzFile() {
    if (file != nullptr) gzclose(file);
  }
};

[[noreturn]] void unreadable(const std::string& name, const std::string& why) {
  fail(ExitCode::kBadInput, fmt::format("{}: cannot read the log: {}", name, why));
}

}  // namespace

LogReadSummary read_log(const std::string& path, LogFormat format, const EventSink& sink,
                        const ReadProgress& on_read) {
  const std::string name = path == "-" ? "standard input" : path;
  if (path != "-") {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status)) unreadable(name, "no such file");
    if (std::filesystem::is_directory(status)) unreadable(name, "it is a directory");
  }
  GzFile input;
  input.file = path == "-" ? gzdopen(dup(0), "rb") : gzopen(path.c_str(), "rb");
  if (input.file == nullptr) unreadable(name, std::strerror(errno));
  gzbuffer(input.file, kChunk);
  std::uint64_t size = 0;  // of the file as stored (compressed or not): what gzoffset counts
  if (path != "-" && on_read) {
    std::error_code error;
    size = std::filesystem::file_size(path, error);
    if (error) size = 0;
  }

  LogReadSummary summary;
  summary.format = format;
  std::unique_ptr<LogParser> parser;
  std::vector<std::string> first_lines;  // kept until the format is known
  int line_number = 0;
  std::string carry;  // a line cut by the chunk boundary
  std::vector<char> buffer(kChunk);

  SourceLocation where{name, 0, 1};  // one for every line: no copy of the name per line
  auto deliver = [&](std::string_view line) {
    ++line_number;
    summary.bytes += line.size() + 1;
    where.line = line_number;
    if (parser) {
      parser->line(line, where);
      return;
    }
    first_lines.emplace_back(line);
    if (summary.format == LogFormat::kAuto) summary.format = detect_log_format(first_lines);
    if (summary.format == LogFormat::kAuto && first_lines.size() < kDetectLines) return;
    if (summary.format == LogFormat::kAuto) {
      fail(ExitCode::kBadInput,
           fmt::format("{}:1: not a MariaDB or MySQL general or slow log (no event in its first "
                       "{} lines); name the format with --input-format",
                       name, kDetectLines));
    }
    parser = make_log_parser(summary.format, sink);
    for (std::size_t i = 0; i < first_lines.size(); ++i) {
      parser->line(first_lines[i], {name, static_cast<int>(i) + 1, 1});
    }
    first_lines.clear();
  };

  for (;;) {
    const int got = gzread(input.file, buffer.data(), static_cast<unsigned>(buffer.size()));
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(input.file, &code);
      unreadable(name, code == Z_ERRNO ? std::strerror(errno) : message);
    }
    if (got == 0) break;
    std::string_view chunk(buffer.data(), static_cast<std::size_t>(got));
    std::size_t start = 0;
    for (std::size_t newline = chunk.find('\n'); newline != std::string_view::npos;
         newline = chunk.find('\n', start)) {
      if (!carry.empty()) {
        carry.append(chunk.substr(start, newline - start));
        deliver(carry);
        carry.clear();
      } else {
        deliver(chunk.substr(start, newline - start));
      }
      start = newline + 1;
    }
    carry.append(chunk.substr(start));
    if (size > 0)
      on_read(static_cast<std::uint64_t>(std::max<z_off_t>(0, gzoffset(input.file))), size);
  }
  // zlib ends a cut or corrupt compressed stream as if it were the end of the file.
  if (int code = Z_OK;
      gzerror(input.file, &code) != nullptr && code != Z_OK && code != Z_STREAM_END) {
    std::string_view message = gzerror(input.file, &code);  // "PATH: unexpected end of file"
    if (message.starts_with(path + ": ")) message.remove_prefix(path.size() + 2);
    unreadable(name,
               fmt::format("{} after line {} (a cut or corrupt gzip file)", message, line_number));
  }
  if (!carry.empty()) deliver(carry);  // a last line without its newline: a truncated log
  if (line_number == 0) {
    summary.empty = true;
    return summary;
  }
  if (!parser) {
    // Only the lines a server writes when it opens the log: a log, with no event in it yet.
    const bool headers_only =
        std::all_of(first_lines.begin(), first_lines.end(),
                    [](const std::string& line) { return line.empty() || is_log_header(line); });
    if (summary.format == LogFormat::kAuto && headers_only) {
      summary.empty = true;
      summary.lines = line_number;
      return summary;
    }
    if (summary.format == LogFormat::kAuto) {
      fail(ExitCode::kBadInput,
           fmt::format("{}:1: not a MariaDB or MySQL general or slow log (no event in its {} "
                       "line{}); name the format with --input-format",
                       name, line_number, line_number == 1 ? "" : "s"));
    }
    parser = make_log_parser(summary.format, sink);
    for (std::size_t i = 0; i < first_lines.size(); ++i) {
      parser->line(first_lines[i], {name, static_cast<int>(i) + 1, 1});
    }
  }
  parser->finish();
  summary.lines = line_number;
  return summary;
}

}  // namespace sqlmeasure
