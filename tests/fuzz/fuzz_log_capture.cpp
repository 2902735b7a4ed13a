// libFuzzer target: the log parsers, the fingerprinter and the scenario writer behind
// `sqlmeasure capture`, on any bytes read as each of the four log formats (and the format
// detection on the same lines). Besides "no crash,
// no exception", it checks what a user relies on:
//   * every event of a parser comes from a line it was given (its location is in range);
//   * the files capture would write are read back by the scenario loader unchanged: the same
//     queries, SQL, times and parameter values (so `check` accepts what `capture` writes);
//   * a statement whose skeleton capture trusts (its literals are the template's parameters)
//     and another of the same skeleton, its literals changed, make the same template: what
//     capture's cache of templates per skeleton relies on.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "capture/statement_skeleton.h"
#include "capture/statement_template.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/scenario_writer.h"
#include "sqlmeasure/sql_statements.h"

namespace {

// On failure, what failed and on which statement, before the abort libFuzzer reports.
void require(bool condition, const char* what = "", std::string_view context = {}) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_log_capture: %s: [%.*s]\n", what, static_cast<int>(context.size()),
               context.data());
  std::abort();
}

// The same value as SQL reads it: an integer's leading zeros ("07" is written 7) aside.
bool same_value(const sqlmeasure::ParamValue& loaded, const sqlmeasure::ParamValue& written) {
  if (loaded.text == written.text) return true;
  if (written.kind != sqlmeasure::ParamValue::Kind::kInteger) return false;
  std::string_view digits = written.text;
  const bool negative = digits.starts_with('-');
  if (negative || digits.starts_with('+')) digits.remove_prefix(1);
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return loaded.text == (negative && digits != "0" ? "-" : "") + std::string(digits);
}

void check_round_trip(const sqlmeasure::CapturedFile& file) {
  static const std::string path =
      "/tmp/fuzz-log-capture-" + std::to_string(getpid()) + "/" + "screen.toml";
  static const bool made = [] {
    const std::string directory = "/tmp/fuzz-log-capture-" + std::to_string(getpid());
    return std::system(("mkdir -p " + directory).c_str()) == 0;
  }();
  require(made);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << sqlmeasure::screen_to_toml(file.screen, file.comments);
  }
  const sqlmeasure::Screen loaded = sqlmeasure::load_screen_file(path);
  require(loaded.queries.size() == file.screen.queries.size());
  for (std::size_t i = 0; i < loaded.queries.size(); ++i) {
    const sqlmeasure::Query& a = loaded.queries[i];
    const sqlmeasure::Query& b = file.screen.queries[i];
    require(a.name == b.name && a.sql == b.sql && a.times == b.times, "round trip", b.sql);
    require(a.params.size() == b.params.size());
    for (const auto& [name, spec] : b.params) {
      const auto found = a.params.find(name);
      require(found != a.params.end());
      require(found->second.values.size() == spec.values.size());
      for (std::size_t v = 0; v < spec.values.size(); ++v) {
        require(same_value(found->second.values[v], spec.values[v]), "value", spec.values[v].text);
      }
    }
  }
}

// `sql` with its skeleton's literals replaced by others of their kind (numbers with and
// without a fraction, strings with either quote and escapes inside).
std::string with_other_literals(std::string_view sql,
                                const sqlmeasure::StatementSkeleton& skeleton) {
  static constexpr std::string_view kNumbers[] = {"7", "12.5", "0", "31415926535"};
  static constexpr std::string_view kStrings[] = {"'x''y\\'z'", "\"q\\\"\"", "''", "'\xc3\xa9'"};
  std::string other;
  std::size_t copied = 0;
  for (std::size_t i = 0; i < skeleton.literals.size(); ++i) {
    const std::string_view literal = skeleton.literals[i];
    const auto offset = static_cast<std::size_t>(literal.data() - sql.data());
    other.append(sql.substr(copied, offset - copied));
    const bool quoted = literal.front() == '\'' || literal.front() == '"';
    other.append(quoted ? kStrings[i % 4] : kNumbers[i % 4]);
    copied = offset + literal.size();
  }
  other.append(sql.substr(copied));
  return other;
}

void check_skeleton(std::string_view sql) {
  sqlmeasure::StatementSkeleton skeleton;
  if (!sqlmeasure::read_statement_skeleton(sql, skeleton)) return;
  const sqlmeasure::StatementTemplate first = sqlmeasure::make_statement_template(sql);
  bool trusted = !first.has_unreplayable_literal && first.params.size() == skeleton.literals.size();
  for (std::size_t i = 0; trusted && i < first.params.size(); ++i) {
    trusted = first.params[i].literal == skeleton.literals[i];
  }
  if (!trusted) return;  // capture lexes every statement of this skeleton
  const std::string other = with_other_literals(sql, skeleton);
  sqlmeasure::StatementSkeleton again;
  require(sqlmeasure::read_statement_skeleton(other, again) && again.text == skeleton.text,
          "skeleton of the changed statement", other);
  const sqlmeasure::StatementTemplate second = sqlmeasure::make_statement_template(other);
  require(second.sql == first.sql && second.fingerprint == first.fingerprint &&
              !second.has_unreplayable_literal && second.params.size() == again.literals.size(),
          "one skeleton, two templates", other);
  for (std::size_t i = 0; i < second.params.size(); ++i) {
    require(second.params[i].literal == again.literals[i], "literal", other);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= input.size();) {
    const std::size_t newline = input.find('\n', start);
    if (newline == std::string_view::npos) {
      if (start < input.size()) lines.push_back(input.substr(start));
      break;
    }
    lines.push_back(input.substr(start, newline - start));
    start = newline + 1;
  }

  // Telling the format reads any line (it reads the general log's event lines as the parser).
  (void)sqlmeasure::detect_log_format(std::vector<std::string>(lines.begin(), lines.end()));

  for (const sqlmeasure::LogFormat format :
       {sqlmeasure::LogFormat::kMariaDbGeneral, sqlmeasure::LogFormat::kMySqlGeneral,
        sqlmeasure::LogFormat::kMariaDbSlow, sqlmeasure::LogFormat::kMySqlSlow}) {
    sqlmeasure::CaptureOptions options;
    options.max_values = 3;
    if (format == sqlmeasure::LogFormat::kMySqlGeneral) {
      options.group_by = sqlmeasure::CaptureOptions::GroupBy::kQuery;
    } else if (format == sqlmeasure::LogFormat::kMySqlSlow) {
      options.group_by = sqlmeasure::CaptureOptions::GroupBy::kThread;
    }
    sqlmeasure::CaptureBuilder builder(options);
    auto parser = sqlmeasure::make_log_parser(format, [&](sqlmeasure::LogEvent&& event) {
      require(event.where.line >= 1 && static_cast<std::size_t>(event.where.line) <= lines.size(),
              "location", event.text);
      // A template need not read back as written (a "--" the original had no blank after
      // can become a comment): capture checks each shape and leaves out those that do not,
      // which the round trip below holds it to.
      check_skeleton(event.text);
      builder.add(event);
    });
    for (std::size_t i = 0; i < lines.size(); ++i) {
      parser->line(lines[i], {"fuzz.log", static_cast<int>(i) + 1, 1});
    }
    parser->finish();
    require(parser->cut_lines() <= lines.size(), "cut lines");
    // The same lines as two chunks, the texts left in them (as capture reads a log file):
    // the same events' texts, each read while its chunk is there.
    {
      std::vector<std::string> copied, in_log;
      auto by_line = sqlmeasure::make_log_parser(
          format, [&](sqlmeasure::LogEvent&& event) { copied.emplace_back(event.text); });
      auto by_chunk = sqlmeasure::make_log_parser(
          format, [&](sqlmeasure::LogEvent&& event) { in_log.emplace_back(event.text_read()); },
          sqlmeasure::EventText::kInLog);
      std::string whole;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        by_line->line(lines[i], {"fuzz.log", static_cast<int>(i) + 1, 1});
        whole += lines[i];
        whole += '\n';
      }
      by_line->finish();
      const std::size_t half = whole.find('\n', whole.size() / 2);
      sqlmeasure::SourceLocation where{"fuzz.log", 0, 1};
      std::string first = whole.substr(0, half == std::string::npos ? whole.size() : half + 1);
      std::string second = half == std::string::npos ? "" : whole.substr(half + 1);
      by_chunk->lines(first, where);
      std::fill(first.begin(), first.end(), '#');
      by_chunk->lines(second, where);
      std::fill(second.begin(), second.end(), '#');
      by_chunk->finish();
      require(copied == in_log, "texts read in the log", whole);
    }
    builder.end_of_log();
    const sqlmeasure::CaptureResult result = builder.finish();
    for (const sqlmeasure::CapturedFile& file : sqlmeasure::captured_files(result, "fuzz.log")) {
      check_round_trip(file);
    }
  }
  return 0;
}
