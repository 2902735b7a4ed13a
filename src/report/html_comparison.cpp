// `compare --format html`: what was compared, the verdict table (the terminal's rows and
// words, comparison_text.h), then per screen its samples phase by phase as measured — so
// drift and alternation show at a glance — with the medians and the threshold band, and under
// a regressed screen the queries responsible with their plans before and after side by side.
#include <fmt/format.h>

#include <algorithm>

#include "comparison_text.h"
#include "html_page.h"
#include "sqlmeasure/html_report.h"
#include "sqlmeasure/number_text.h"

namespace sqlmeasure {
namespace {

// Shape and word carry the verdict; colour only repeats it.
const char* verdict_mark(Verdict verdict) {
  switch (verdict) {
    case Verdict::kError:
      return "✖";
    case Verdict::kRegressed:
      return "▲";
    case Verdict::kOverBudget:
      return "⏱";
    case Verdict::kImproved:
      return "▼";
    case Verdict::kFixed:
      return "✔";
    case Verdict::kPlanChanged:
      return "◆";
    case Verdict::kResultsDiffer:
      return "≠";
    case Verdict::kNewWarning:
      return "!";
    case Verdict::kAdded:
      return "+";
    case Verdict::kRemoved:
      return "−";
    case Verdict::kUnchanged:
      break;
  }
  return "";
}

std::string verdict_class(Verdict verdict) {
  if (verdict == Verdict::kUnchanged) return "v v-unchanged";
  std::string name = verdict_name(verdict);
  std::replace(name.begin(), name.end(), ' ', '-');
  return "v v-" + name;
}

std::string verdict_html(Verdict verdict) {
  const std::string mark = verdict_mark(verdict);
  return "<span class=\"" + verdict_class(verdict) + "\">" +
         (mark.empty() ? "" : "<span aria-hidden=\"true\">" + mark + "</span> ") +
         escape_markup(verdict_name(verdict)) + "</span>";
}

std::string anchor(std::size_t index) { return fmt::format("screen-{}", index + 1); }

const ScreenResult* find_screen(const RunResult* run, const std::string& name) {
  if (run == nullptr) return nullptr;
  for (const ScreenResult& screen : run->screens) {
    if (screen.name == name) return &screen;
  }
  return nullptr;
}

const QueryResult* find_query(const std::vector<const RunResult*>& runs, const std::string& screen,
                              const std::string& query) {
  for (const RunResult* run : runs) {
    if (const ScreenResult* found = find_screen(run, screen)) {
      for (const QueryResult& result : found->queries) {
        if (result.name == query) return &result;
      }
    }
  }
  return nullptr;
}

// The phases as measured: before 1, after 1, before 2, ..., each side's extra phases last.
std::vector<html::ChartPhase> phases_of(const ComparedRuns& runs, const std::string& screen) {
  std::vector<html::ChartPhase> phases;
  const std::size_t rounds = std::max(runs.before.size(), runs.after.size());
  const bool numbered = rounds > 1;  // a live compare: before 1, after 1, before 2, ...
  auto add = [&](const std::vector<const RunResult*>& side, std::size_t i, bool after) {
    if (i >= side.size()) return;
    const ScreenResult* found = find_screen(side[i], screen);
    if (found == nullptr) return;  // --iterations auto: a phase left a decided screen out
    html::ChartPhase phase;
    phase.after = after;
    phase.label = numbered ? fmt::format("{} {}", after ? "after" : "before", i + 1)
                           : std::string(after ? "after" : "before");
    phase.samples_ns = found->view_samples();
    phases.push_back(std::move(phase));
  };
  for (std::size_t i = 0; i < rounds; ++i) {
    add(runs.before, i, false);
    add(runs.after, i, true);
  }
  return phases;
}

void write_facts(const Comparison& comparison, std::ostream& out) {
  out << "<dl class=\"facts\">\n<dt>before</dt><dd>" << escape_markup(comparison.before_label)
      << "</dd>\n<dt>after</dt><dd>" << escape_markup(comparison.after_label) << "</dd>\n";
  if (comparison.change) {
    out << "<dt>change</dt><dd>" << escape_markup(comparison.change->description) << "</dd>\n";
  }
  if (comparison.before_phases > 0) {
    out << "<dt>phases</dt><dd>" << escape_markup(phases_line(comparison)) << "</dd>\n";
  }
  if (const std::string sampling = sampling_line(comparison); !sampling.empty()) {
    out << "<dt>sampling</dt><dd>" << escape_markup(sampling) << "</dd>\n";
  }
  if (const std::string ddl = ddl_line(comparison); !ddl.empty()) {
    out << "<dt>DDL</dt><dd>" << escape_markup(ddl.substr(ddl.find(':') + 2)) << "</dd>\n";
  }
  if (const std::string plans = fidelity_line(comparison); !plans.empty()) {
    out << "<dt>plans</dt><dd>" << escape_markup(plans.substr(plans.find(':') + 2)) << "</dd>\n";
  }
  out << "</dl>\n";
}

void write_verdict_table(const Comparison& comparison, std::ostream& out) {
  const Table table = screen_table(comparison);
  out << "<section id=\"verdicts\">\n<h2>Verdicts</h2>\n<table>\n<thead><tr>";
  for (std::size_t i = 0; i < table.headers.size(); ++i) {
    const bool right = i < table.right_align.size() && table.right_align[i];
    out << "<th" << (right ? " class=\"r\"" : "") << ">" << escape_markup(table.headers[i])
        << "</th>";
  }
  out << "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < table.rows.size() && r < comparison.screens.size(); ++r) {
    const ScreenComparison& screen = comparison.screens[r];
    const std::vector<std::string>& row = table.rows[r];
    out << (screen.fails_gate(comparison.rule) ? "<tr class=\"gated\">" : "<tr>");
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool right = i < table.right_align.size() && table.right_align[i];
      out << "<td" << (right ? " class=\"r\"" : "") << ">";
      if (i == 0) {
        out << "<a href=\"#" << anchor(r) << "\">" << escape_markup(row[i]) << "</a>";
      } else if (i + 1 == row.size()) {
        out << verdict_html(screen.verdict())
            << (screen.accepted ? " <span class=\"muted\">(accepted)</span>" : "");
      } else {
        out << escape_markup(row[i]);
      }
      out << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n";
  std::vector<std::string> notes = hint_lines(comparison);
  for (const Warning& warning : comparison.warnings)
    notes.push_back("warning: " + warning.message());
  if (!notes.empty()) {
    out << "<ul class=\"notes\">\n";
    for (const std::string& note : notes) out << "<li>" << escape_markup(note) << "</li>\n";
    out << "</ul>\n";
  }
  out << "</section>\n";
}

void write_plan(const std::vector<PlanRow>& plan, std::ostream& out) {
  if (plan.empty()) {
    out << "<p class=\"muted\">no plan recorded</p>\n";
    return;
  }
  Table table{{"id", "select_type", "table", "type", "possible_keys", "key", "key_len", "ref",
               "rows", "Extra"},
              {true, false, false, false, false, false, true, false, true, false},
              {}};
  for (const PlanRow& r : plan) {
    table.rows.push_back({r.id, r.select_type, r.table, r.access_type, r.possible_keys,
                          r.key.empty() ? "(none)" : r.key, r.key_len, r.ref, r.rows, r.extra});
  }
  html::write_table(out, table);
}

// A query responsible for a regression: what changed, its SQL, both plans side by side, the
// rows it examined and the causes of its plan change.
void write_responsible_query(const ScreenComparison& screen, const QueryComparison& query,
                             const ComparedRuns& runs, std::ostream& out) {
  const QueryResult* before = find_query(runs.before, screen.name, query.name);
  const QueryResult* after = find_query(runs.after, screen.name, query.name);
  out << "<div class=\"query\">\n<h3>" << escape_markup(screen.name + "/" + query.name)
      << "</h3>\n";
  out << "<p>" << escape_markup(query_detail(query)) << "</p>\n";
  if (const QueryResult* any = before != nullptr ? before : after) {
    out << "<pre>" << escape_markup(any->sql) << "</pre>\n";
  }
  out << "<p>rows examined per execution: <b>" << format_count(query.rows.before) << "</b> → <b>"
      << format_count(query.rows.after) << "</b></p>\n";
  if (before != nullptr || after != nullptr) {
    out << "<div class=\"sbs\">\n<div><h4>plan before</h4>\n";
    write_plan(before != nullptr ? before->plan : std::vector<PlanRow>{}, out);
    out << "</div>\n<div><h4>plan after</h4>\n";
    write_plan(after != nullptr ? after->plan : std::vector<PlanRow>{}, out);
    out << "</div>\n</div>\n";
  }
  if (!query.plan_changes.empty()) {
    out << "<ul class=\"causes\">\n";
    for (const PlanChange& change : query.plan_changes) {
      out << "<li>" << escape_markup(change.describe());
      if (!change.causes.empty()) {
        out << "<ul>";
        for (const PlanCause& cause : change.causes) {
          out << "<li><b>" << escape_markup(plan_class_name(cause.kind)) << "</b>"
              << (cause.evidence.empty() ? "" : ": " + escape_markup(cause.evidence))
              << (cause.rule.empty() ? ""
                                     : " <span class=\"muted\">(sqlmeasure indexes rule " +
                                           escape_markup(cause.rule) + ")</span>")
              << "</li>";
        }
        out << "</ul>";
      }
      out << "</li>\n";
    }
    out << "</ul>\n";
  }
  out << "</div>\n";
}

void write_screen(const Comparison& comparison, std::size_t index, const ComparedRuns& runs,
                  bool with_charts, std::ostream& out) {
  const ScreenComparison& screen = comparison.screens[index];
  const Verdict verdict = screen.verdict();
  std::vector<html::ChartPhase> phases = phases_of(runs, screen.name);
  std::size_t samples = 0;
  for (const html::ChartPhase& phase : phases) samples += phase.samples_ns.size();
  out << "<section class=\"screen\" id=\"" << anchor(index) << "\" data-screen=\""
      << escape_markup(screen.name) << "\" data-verdict=\"" << escape_markup(verdict_name(verdict))
      << "\" data-samples=\"" << samples << "\">\n<h2>" << escape_markup(screen.name) << " "
      << verdict_html(verdict) << "</h2>\n";
  const TimeEvidence& time = screen.time;
  const bool both = screen.presence == Presence::kBoth;
  if (both && time.n_before > 0 && time.n_after > 0) {
    out << "<p>median <b>" << format_ms(time.before_ms) << " ms</b> → <b>"
        << format_ms(time.after_ms) << " ms</b> (" << escape_markup(delta(time)) << ", "
        << escape_markup(evidence(time)) << "); rows examined per view "
        << format_count(screen.rows.before) << " → " << format_count(screen.rows.after) << "</p>\n";
  } else if (screen.presence != Presence::kBoth) {
    out << "<p>"
        << (screen.presence == Presence::kOnlyAfter ? "in the after run only"
                                                    : "in the before run only")
        << "</p>\n";
  }
  if (with_charts) {
    html::ChartLines lines;
    const bool before_timed = screen.presence != Presence::kOnlyAfter && time.n_before > 0;
    const bool after_timed = screen.presence != Presence::kOnlyBefore && time.n_after > 0;
    if (before_timed) {
      lines.before_median_ms = time.before_ms;
      const VerdictRule& rule = comparison.rule;
      const double factor = 1 + rule.threshold;
      lines.band_low_ms =
          std::max(0.0, std::min(time.before_ms / factor, time.before_ms - rule.min_delta_ms));
      lines.band_high_ms = std::max(time.before_ms * factor, time.before_ms + rule.min_delta_ms);
      lines.band_label =
          fmt::format("no time change: {}–{} ms (threshold +{:.0f}%, min delta {} ms)",
                      format_ms(*lines.band_low_ms), format_ms(*lines.band_high_ms),
                      rule.threshold * 100, rule.min_delta_ms);
    }
    if (after_timed) lines.after_median_ms = time.after_ms;
    if (screen.budget) {
      const Budget& budget = screen.budget->budget;
      lines.budget_ms = budget.median_ms ? budget.median_ms : budget.p95_ms;
      lines.budget_label = fmt::format("budget ({}) {} ms", budget.median_ms ? "median" : "p95",
                                       format_ms(*lines.budget_ms));
    }
    out << "<figure>\n";
    html::write_phase_chart(out, phases, lines,
                            screen.name + ": every sample before and after, in the order measured");
    out << "<figcaption class=\"legend\"><span><span class=\"key b\"></span>before: circles, "
           "dashed median</span><span><span class=\"key a\"></span>after: squares, solid median, "
           "shaded</span><span>black bar: a phase's median</span>";
    if (lines.band_low_ms)
      out << "<span>grey band: " << escape_markup(lines.band_label) << "</span>";
    if (lines.budget_ms)
      out << "<span>red dotted: " << escape_markup(lines.budget_label) << "</span>";
    out << "</figcaption>\n</figure>\n";
  }
  if (const std::vector<std::string> notes = screen_notes(screen, true); !notes.empty()) {
    out << "<ul class=\"notes\">\n";
    for (const std::string& note : notes) out << "<li>" << escape_markup(note) << "</li>\n";
    out << "</ul>\n";
  }
  const bool responsible =
      screen.gated(comparison.rule) || verdict == Verdict::kRegressed || verdict == Verdict::kError;
  std::vector<const QueryComparison*> flagged;
  for (const QueryComparison& query : screen.queries) {
    if (query_flagged(query)) flagged.push_back(&query);
  }
  if (responsible && !flagged.empty()) {
    out << "<h3>Queries responsible</h3>\n";
    for (const QueryComparison* query : flagged) write_responsible_query(screen, *query, runs, out);
  } else if (!flagged.empty()) {
    out << "<ul class=\"notes\">\n";
    for (const QueryComparison* query : flagged) {
      out << "<li><code>" << escape_markup(screen.name + "/" + query->name)
          << "</code>: " << escape_markup(query_detail(*query)) << "</li>\n";
    }
    out << "</ul>\n";
  }
  if (!screen.queries_only_before.empty() || !screen.queries_only_after.empty()) {
    out << "<ul class=\"notes\">\n";
    for (const std::string& name : screen.queries_only_before) {
      out << "<li><code>" << escape_markup(screen.name + "/" + name) << "</code>: removed</li>\n";
    }
    for (const std::string& name : screen.queries_only_after) {
      out << "<li><code>" << escape_markup(screen.name + "/" + name) << "</code>: added</li>\n";
    }
    out << "</ul>\n";
  }
  out << "</section>\n";
}

}  // namespace

void render_comparison_html(const Comparison& comparison, const ComparedRuns& runs,
                            std::ostream& out) {
  const bool failed = comparison.gate_failed();
  html::begin_page(out,
                   "sqlmeasure compare: " + gate_count(comparison, screens_compared(comparison)));
  out << "<header>\n<h1>sqlmeasure compare</h1>\n";
  out << "<p class=\"summary" << (failed ? " fail" : "") << "\"><span aria-hidden=\"true\">"
      << (failed ? "✖" : "✔") << "</span> " << escape_markup(summary_line(comparison)) << "</p>\n";
  write_facts(comparison, out);
  out << "</header>\n";
  write_verdict_table(comparison, out);
  const bool with_charts = !runs.before.empty() || !runs.after.empty();
  if (!with_charts) {
    out << "<p class=\"muted\">The samples were not available to this report: no charts.</p>\n";
  }
  for (std::size_t i = 0; i < comparison.screens.size(); ++i) {
    write_screen(comparison, i, runs, with_charts, out);
  }
  html::end_page(out);
}

}  // namespace sqlmeasure
