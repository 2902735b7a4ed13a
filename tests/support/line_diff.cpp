#include "support/line_diff.h"

#include <algorithm>
#include <vector>

namespace sqlmeasure::testing {
namespace {

// Lines with their '\n', so that a missing final newline is a difference too.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

struct Edit {
  char kind;  // ' ', '-', '+'
  const std::string* line;
};

// The edit script from a longest common subsequence. Golden outputs are small; beyond a few
// million cells the texts are shown as one replaced block instead.
std::vector<Edit> edits(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<Edit> script;
  const std::size_t n = a.size(), m = b.size();
  if (n * m > 4'000'000) {
    for (const std::string& line : a) script.push_back({'-', &line});
    for (const std::string& line : b) script.push_back({'+', &line});
    return script;
  }
  // common[i][j]: the LCS length of a[i..] and b[j..].
  std::vector<std::vector<std::size_t>> common(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      common[i][j] =
          a[i] == b[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
    }
  }
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      script.push_back({' ', &a[i++]});
      ++j;
    } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
      script.push_back({'-', &a[i++]});  // removals first, as diff -u shows them
    } else {
      script.push_back({'+', &b[j++]});
    }
  }
  return script;
}

}  // namespace

std::string line_diff(const std::string& expected, const std::string& actual,
                      const std::string& indent, std::size_t context, std::size_t max_lines) {
  if (expected == actual) return "";
  const std::vector<std::string> a = lines_of(expected), b = lines_of(actual);
  const std::vector<Edit> script = edits(a, b);
  // Which entries of the script to show: every change and `context` lines either side.
  std::vector<bool> shown(script.size(), false);
  for (std::size_t k = 0; k < script.size(); ++k) {
    if (script[k].kind == ' ') continue;
    const std::size_t from = k >= context ? k - context : 0;
    const std::size_t to = std::min(script.size(), k + context + 1);
    for (std::size_t s = from; s < to; ++s) shown[s] = true;
  }
  std::string out;
  std::size_t written = 0;
  std::size_t line_a = 1, line_b = 1;  // 1-based positions, for the hunk headers
  for (std::size_t k = 0; k < script.size(); ++k) {
    if (shown[k] && (k == 0 || !shown[k - 1])) {
      out += indent + "@@ expected line " + std::to_string(line_a) + ", actual line " +
             std::to_string(line_b) + " @@\n";
      ++written;
    }
    if (shown[k]) {
      if (written >= max_lines) {
        out += indent + "...\n";
        break;
      }
      const std::string& line = *script[k].line;
      out += indent + script[k].kind + line;
      if (line.empty() || line.back() != '\n') out += "\n" + indent + "\\ No newline at end\n";
      ++written;
    }
    if (script[k].kind != '+') ++line_a;
    if (script[k].kind != '-') ++line_b;
  }
  return out;
}

}  // namespace sqlmeasure::testing
