// `compare --format markdown`: a pull-request comment. One line says whether the change
// passes; the changed screens' table follows; everything longer (each failing screen's
// queries, the other changes, index hints, warnings, the unchanged screens) sits in collapsed
// <details> blocks, and the whole never exceeds GitHub's comment limit.
#include <fmt/format.h>

#include <map>
#include <sstream>

#include "comparison_formats.h"
#include "comparison_text.h"
#include "markdown_text.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// GitHub refuses a comment longer than 65,536 characters; counting bytes (never fewer than
// characters) keeps every comment under it.
constexpr size_t kCommentLimit = 65536;

// Text from servers, scenario files and results files: inert (markdown_text.h), each field
// cut to its share.
std::string md_text(const std::string& text) { return inert_markdown(text); }

// A label is said in the footer: a 100,000-character --label must not crowd out the verdicts.
constexpr std::size_t kLabelLimit = 200;

// A part of the comment: `open`, then `body` lines (the ones a cut may leave out), `close`.
struct Block {
  std::string open;
  std::vector<std::string> body;
  std::string close;
};

Block table_block(const std::vector<const ScreenComparison*>& screens) {
  Table header{{"screen", "before ms", "after ms", "delta", "evidence", "rows examined", "verdict"},
               {false, true, true, true, false, false, false},
               {}};
  std::ostringstream head;
  write_markdown_table(header, head);
  Block block{head.str(), {}, ""};
  for (const ScreenComparison* screen : screens) {
    Table row = header;
    row.rows.push_back(screen_row(*screen));
    std::ostringstream text;
    write_markdown_table(row, text);
    // The one-row table minus its two header lines: this row, escaped as the table escapes.
    const std::string written = text.str();
    block.body.push_back(written.substr(head.str().size()));
  }
  return block;
}

std::string details_open(const std::string& summary) {
  return "<details><summary>" + summary + "</summary>\n\n";
}
const char* const kDetailsClose = "\n</details>\n\n";

// "<b>work_search</b>: regressed · 0.500 → 0.901 ms (+80.2%) · rows examined 40 → 600k"
std::string screen_summary(const ScreenComparison& screen) {
  std::string text = "<b>" + md_text(screen.name) + "</b>: " + verdict_name(screen.verdict());
  const std::vector<std::string> row = screen_row(screen);
  if (row[1] != "-" || row[2] != "-") text += fmt::format(" · {} → {} ms", row[1], row[2]);
  if (row[3] != "-") text += " (" + row[3] + ")";
  if (screen.rows.before != screen.rows.after && row[5] != "-")
    text += " · rows examined " + row[5];
  return text;
}

// "- `list`: works key … → (none), …" for each query worth a line, and the queries one side
// lacks; `prefix` is "screen/" where several screens share a block.
void add_query_lines(const ScreenComparison& screen, const std::string& prefix,
                     std::vector<std::string>& lines) {
  for (const QueryComparison& query : screen.queries) {
    if (query_flagged(query))
      lines.push_back("- " + markdown_code(prefix + query.name) + ": " +
                      md_text(query_detail(query)) + "\n");
  }
  for (const std::string& name : screen.queries_only_before)
    lines.push_back("- " + markdown_code(prefix + name) + ": removed\n");
  for (const std::string& name : screen.queries_only_after)
    lines.push_back("- " + markdown_code(prefix + name) + ": added\n");
  // Its budget when over it (an accepted screen's acceptance has its own section).
  if (screen.over_budget()) {
    lines.push_back("- " + (prefix.empty() ? "" : markdown_code(screen.name) + " ") +
                    md_text(screen.budget->describe()) + "\n");
  }
}

// "2 improved, 1 plan changed"
std::string verdict_counts(const std::vector<const ScreenComparison*>& screens) {
  std::map<Verdict, size_t> by_verdict;
  for (const ScreenComparison* screen : screens) ++by_verdict[screen->verdict()];
  std::string text;
  for (const auto& [verdict, count] : by_verdict)
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", count, verdict_name(verdict));
  return text;
}

// The warnings' one-line summary: the words before each one's first colon ("drift",
// "unconfirmed", "run settings differ"), so twenty drifting screens take one short line.
std::string warnings_summary(const std::vector<Warning>& warnings) {
  std::string kinds;
  for (const Warning& warning : warnings) {
    std::string kind = warning.text.substr(0, warning.text.find(':'));
    if (kind.size() > 40) kind = kind.substr(0, 37) + "...";
    if (kinds.find(kind) == std::string::npos) kinds += (kinds.empty() ? "" : ", ") + kind;
  }
  return fmt::format("⚠️ {} warning{}: {}", warnings.size(), warnings.size() == 1 ? "" : "s",
                     md_text(kinds));
}

std::string footer(const Comparison& comparison) {
  std::string text = "\n<sub>" + md_text(summary_line(comparison)) + ".";
  if (comparison.before_phases > 0) text += " " + md_text(phases_line(comparison)) + ".";
  if (const std::string sampling = sampling_line(comparison); !sampling.empty()) {
    text += " " + md_text(sampling) + ".";
  }
  if (const std::string ddl = ddl_line(comparison); !ddl.empty()) text += " " + md_text(ddl) + ".";
  if (const std::string plans = fidelity_line(comparison); !plans.empty()) {
    text += " " + md_text(plans) + ".";
  }
  text += " Before: " + inert_markdown(comparison.before_label, kLabelLimit) +
          "; after: " + inert_markdown(comparison.after_label, kLabelLimit) + ".</sub>\n";
  return text;
}

// Writes the blocks in order while they fit; the first that does not is cut line by line,
// and what is left out is named with where the full report is.
std::string assemble(const std::string& head, const std::vector<Block>& blocks,
                     const std::string& tail, const Style& style) {
  // --report-url is the user's own: a link that must stay one, cut to its share.
  const std::string where = style.full_report.empty()
                                ? "run compare with --format html or --format table"
                                : cut_text(without_control_bytes(style.full_report), 2000);
  const size_t note_room = 400 + where.size();  // the cut notes below, with room to spare
  const size_t budget = kCommentLimit - std::min(kCommentLimit, tail.size() + note_room);
  std::string out = head;
  size_t left_out = 0;
  for (size_t b = 0; b < blocks.size(); ++b) {
    const Block& block = blocks[b];
    size_t size = block.open.size() + block.close.size();
    for (const std::string& line : block.body) size += line.size();
    if (left_out == 0 && out.size() + size <= budget) {
      out += block.open;
      for (const std::string& line : block.body) out += line;
      out += block.close;
      continue;
    }
    if (left_out == 0 && out.size() + block.open.size() + block.close.size() < budget) {
      out += block.open;
      size_t shown = 0;
      for (const std::string& line : block.body) {
        if (out.size() + line.size() + block.close.size() > budget) break;
        out += line;
        ++shown;
      }
      const size_t more = block.body.size() - shown;
      if (more > 0)
        out += fmt::format("\n… {} more line{} in the full report\n", more, more == 1 ? "" : "s");
      out += block.close;
      left_out += blocks.size() - b - 1;
      break;
    }
    left_out += blocks.size() - b;
    break;
  }
  if (out.size() > budget || left_out > 0) {
    out += fmt::format(
        "\n> Cut to fit GitHub's 65,536-character comment limit{}; the full report: {}\n",
        left_out > 0
            ? fmt::format(": {} more section{} left out", left_out, left_out == 1 ? "" : "s")
            : "",
        where);
  }
  out += tail;
  // Every part above is bounded; this only guards the promise.
  return out.size() <= kCommentLimit ? out : cut_text(out, kCommentLimit);
}

}  // namespace

void render_comparison_markdown(const Comparison& comparison, const Style& style,
                                std::ostream& out) {
  const size_t failed = comparison.failing_count();
  const size_t accepted = comparison.accepted_count();
  // Queries that fail on both sides are compared nowhere: said in the head and listed, as the
  // table output lists them, so a green comment does not hide them.
  std::size_t failing_both = 0;
  std::vector<std::string> not_compared;
  for (const ScreenComparison& screen : comparison.screens) {
    for (const QueryComparison& query : screen.queries) {
      if (query.outcome != QueryOutcome::kFailsBoth) continue;
      ++failing_both;
      if (screen.verdict() == Verdict::kUnchanged) {
        not_compared.push_back("- " + markdown_code(screen.name + "/" + query.name) + ": " +
                               md_text(query_detail(query)) + "\n");
      }
    }
  }
  const std::string also = failing_both == 0
                               ? ""
                               : fmt::format(" · {} quer{} not compared: failing on both sides",
                                             failing_both, failing_both == 1 ? "y" : "ies");
  const std::string head =
      failed > 0
          ? "### ❌ " + md_text(gate_count(comparison, screens_compared(comparison))) + also + "\n\n"
      : accepted > 0
          ? fmt::format("### ✅ no screen fails the gate ({} accepted){}\n\n", accepted, also)
          : "### ✅ no screen regressed" + also + "\n\n";
  std::vector<const ScreenComparison*> changed, unchanged, failing, others;
  for (const ScreenComparison& screen : comparison.screens) {
    (screen.verdict() == Verdict::kUnchanged ? unchanged : changed).push_back(&screen);
    if (screen.verdict() == Verdict::kUnchanged) continue;
    (screen.fails_gate(comparison.rule) ? failing : others).push_back(&screen);
  }
  std::vector<Block> blocks;
  if (!changed.empty()) {
    Block table = table_block(changed);
    table.close = "\n";
    blocks.push_back(std::move(table));
  }
  if (!not_compared.empty()) {
    blocks.push_back({fmt::format("**Not compared** ({}):\n\n", not_compared.size()),
                      std::move(not_compared), "\n"});
  }
  // What the team accepted and why, in the open: a reviewer sees every escape from the gate.
  if (const std::vector<std::string> lines = accepted_lines(comparison); !lines.empty()) {
    Block block{fmt::format("**Accepted** ({}):\n\n", lines.size()), {}, "\n"};
    for (const std::string& line : lines) block.body.push_back("- " + md_text(line) + "\n");
    blocks.push_back(std::move(block));
  }
  // Each failing screen on its own, in the table's order: its queries, plans, rows examined.
  for (const ScreenComparison* screen : failing) {
    Block block{details_open(screen_summary(*screen)), {}, kDetailsClose};
    add_query_lines(*screen, "", block.body);
    blocks.push_back(std::move(block));
  }
  if (!others.empty()) {
    Block block{details_open(fmt::format("{} other screen{} changed: {}", others.size(),
                                         others.size() == 1 ? "" : "s", verdict_counts(others))),
                {},
                kDetailsClose};
    for (const ScreenComparison* screen : others)
      add_query_lines(*screen, screen->name + "/", block.body);
    blocks.push_back(std::move(block));
  }
  if (const std::vector<std::string> hints = hint_lines(comparison); !hints.empty()) {
    Block block{details_open(fmt::format("Index hints: {}", hints.size())), {}, kDetailsClose};
    for (const std::string& hint : hints) block.body.push_back("- " + md_text(hint) + "\n");
    blocks.push_back(std::move(block));
  }
  if (!comparison.warnings.empty()) {
    Block block{details_open(warnings_summary(comparison.warnings)), {}, kDetailsClose};
    for (const Warning& warning : comparison.warnings)
      block.body.push_back("- " + md_text(warning.message()) + "\n");
    blocks.push_back(std::move(block));
  }
  if (!unchanged.empty()) {
    Block table = table_block(unchanged);
    table.open = details_open(fmt::format("{} screen{} unchanged (~)", unchanged.size(),
                                          unchanged.size() == 1 ? "" : "s")) +
                 table.open;
    table.close = kDetailsClose;
    blocks.push_back(std::move(table));
  }
  out << assemble(head, blocks, footer(comparison), style);
}

}  // namespace sqlmeasure
