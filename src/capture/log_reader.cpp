// Reading a log file as a stream of lines: a plain file through a window of memory mapped
// from it (mapped_file.h), a gzip-compressed one or standard input ("-") through zlib, in
// fixed-size chunks either way, so a 10 GB log costs no more memory than a small one.
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "log_lines.h"
#include "mapped_file.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

constexpr std::size_t kChunk = 1 << 20;
// Lines read to tell a log's format: a log rotated or cut mid-statement may start with many
// lines of one.
constexpr std::size_t kDetectLines = 10'000;

struct GzFile {
  gzFile file = nullptr;
  ~GzFile() {
    if (file != nullptr) gzclose(file);
  }
};

[[noreturn]] void unreadable(const std::string& name, const std::string& why) {
  fail(ExitCode::kBadInput, fmt::format("{}: cannot read the log: {}", name, why));
}

// Refuses a file none of whose first lines is a log's: names the first line that is neither a
// header nor an event, and the format to name if it is a log all the same.
[[noreturn]] void not_a_log(const std::string& name, const std::vector<std::string>& lines,
                            std::string_view how_many) {
  std::size_t first = 0;
  while (first < lines.size() && (lines[first].empty() || is_log_header(lines[first]))) ++first;
  const bool comments = std::any_of(lines.begin(), lines.end(),
                                    [](const std::string& line) { return line.starts_with("# "); });
  fail(ExitCode::kBadInput,
       fmt::format("{}:{}: not a MariaDB or MySQL general or slow log: no event in {}; line {} is "
                   "neither an event nor a header: \"{}\". If it is a log, name its format: "
                   "{}",
                   name, first + 1, how_many, first + 1,
                   first < lines.size() ? printable(lines[first]) : "",
                   comments ? "--input-format mysql-slow (or mariadb-slow)"
                            : "--input-format mariadb-general (or mysql-general, mysql-slow, "
                              "mariadb-slow)"));
}

}  // namespace

LogReadSummary read_log(const std::string& path, LogFormat format, const EventSink& sink,
                        const ReadProgress& on_read, EventText text) {
  const std::string name = path == "-" ? "standard input" : path;
  if (path != "-") {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status)) unreadable(name, "no such file");
    if (std::filesystem::is_directory(status)) unreadable(name, "it is a directory");
  }
  std::unique_ptr<MappedFile> mapped = path == "-" ? nullptr : MappedFile::open(path, name);
  GzFile input;
  if (!mapped) {
    input.file = path == "-" ? gzdopen(dup(0), "rb") : gzopen(path.c_str(), "rb");
    if (input.file == nullptr) unreadable(name, std::strerror(errno));
    gzbuffer(input.file, kChunk);
  }
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
  LogFormatDetector detector;
  int line_number = 0;
  std::string carry;  // a line cut by the chunk boundary
  std::vector<char> buffer(mapped ? 0 : kChunk);
  // The next chunk of the file, empty at its end.
  const auto next_chunk = [&]() -> std::string_view {
    if (mapped) return mapped->next();
    const int got = gzread(input.file, buffer.data(), static_cast<unsigned>(buffer.size()));
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(input.file, &code);
      unreadable(name, code == Z_ERRNO ? std::strerror(errno) : message);
    }
    return {buffer.data(), static_cast<std::size_t>(got)};
  };

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
    if (summary.format == LogFormat::kAuto) summary.format = detector.feed(line);
    if (summary.format == LogFormat::kAuto && first_lines.size() < kDetectLines) return;
    if (summary.format == LogFormat::kAuto) summary.format = detector.guess();
    if (summary.format == LogFormat::kAuto) {
      not_a_log(name, first_lines, fmt::format("its first {} lines", kDetectLines));
    }
    parser = make_log_parser(summary.format, sink, text);
    for (std::size_t i = 0; i < first_lines.size(); ++i) {
      parser->line(first_lines[i], {name, static_cast<int>(i) + 1, 1});
    }
    first_lines.clear();
  };

  const auto report_progress = [&] {
    if (size == 0) return;
    on_read(mapped ? mapped->offset()
                   : static_cast<std::uint64_t>(std::max<z_off_t>(0, gzoffset(input.file))),
            size);
  };
  // The format known: the chunk's whole lines from `start` go to the parser together (no call
  // per line here), the line cut by the chunk's end carried to the next.
  const auto feed_lines = [&](std::string_view chunk, std::size_t start) {
    if (!carry.empty()) {
      const std::size_t newline = chunk.find('\n', start);
      if (newline == std::string_view::npos) {
        carry.append(chunk.substr(start));
        return;
      }
      carry.append(chunk.substr(start, newline - start));
      deliver(carry);
      carry.clear();
      start = newline + 1;
    }
    if (const std::size_t last = chunk.rfind('\n');
        last != std::string_view::npos && last >= start) {
      const std::string_view whole = chunk.substr(start, last + 1 - start);
      where.line = line_number;
      parser->lines(whole, where);
      line_number = where.line;
      summary.bytes += whole.size();
      start = last + 1;
    }
    carry.append(chunk.substr(start));
  };
  for (std::string_view chunk = next_chunk(); !chunk.empty(); chunk = next_chunk()) {
    // Until the format is known, line by line (the detector reads each); then the rest of the
    // chunk as the next ones are.
    std::size_t start = 0;
    for (std::size_t newline = parser ? std::string_view::npos : chunk.find('\n');
         newline != std::string_view::npos; newline = chunk.find('\n', start)) {
      if (!carry.empty()) {
        carry.append(chunk.substr(start, newline - start));
        deliver(carry);
        carry.clear();
      } else {
        deliver(chunk.substr(start, newline - start));
      }
      start = newline + 1;
      if (parser) break;
    }
    if (parser) {
      feed_lines(chunk, start);
    } else {
      carry.append(chunk.substr(start));
    }
    report_progress();
  }
  // zlib ends a cut or corrupt compressed stream as if it were the end of the file.
  if (int code = Z_OK; input.file != nullptr && gzerror(input.file, &code) != nullptr &&
                       code != Z_OK && code != Z_STREAM_END) {
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
    if (summary.format == LogFormat::kAuto) summary.format = detector.guess();
    if (summary.format == LogFormat::kAuto) {
      not_a_log(name, first_lines,
                fmt::format("its {} line{}", line_number, line_number == 1 ? "" : "s"));
    }
    parser = make_log_parser(summary.format, sink, text);
    for (std::size_t i = 0; i < first_lines.size(); ++i) {
      parser->line(first_lines[i], {name, static_cast<int>(i) + 1, 1});
    }
  }
  parser->finish();
  summary.lines = line_number;
  summary.cut_lines = parser->cut_lines();
  return summary;
}

}  // namespace sqlmeasure
