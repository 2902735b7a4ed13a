// indexes --verify: which findings' drops to measure, and what the measurement says of them.
#include <algorithm>

#include "sqlmeasure/drop_verification.h"

namespace sqlmeasure {

std::vector<IndexToDrop> drops_proposed(AdvisorResult& result, const SchemaInfo& schema) {
  std::vector<IndexToDrop> drops;
  for (Finding& finding : result.findings) {
    if (finding.drops.empty()) continue;
    const TableInfo* table = schema.table(finding.table);
    const IndexInfo* index = table == nullptr ? nullptr : table->index(finding.drops);
    if (index != nullptr && !index->visible) {
      finding.measured =
          Finding::Measured{"not measured", "the index is already ignored (hidden-index)"};
      continue;
    }
    const bool seen = std::any_of(drops.begin(), drops.end(), [&](const IndexToDrop& drop) {
      return drop.table == finding.table && drop.index == finding.drops;
    });
    if (!seen) drops.push_back({finding.table, finding.drops});
  }
  return drops;
}

void attach_verdicts(AdvisorResult& result, const VerifyOutcome& outcome) {
  for (Finding& finding : result.findings) {
    for (const VerifiedDrop& verified : outcome.drops) {
      if (verified.drop.table != finding.table || verified.drop.index != finding.drops) continue;
      switch (verified.verdict) {
        case DropVerdict::kUnchanged:
          finding.measured = Finding::Measured{"unchanged", verified.text};
          break;
        case DropVerdict::kRegressed:
          finding.measured = Finding::Measured{"keep", verified.text};
          finding.severity = Severity::kInfo;  // a screen needs it: never fails --fail-on
          break;
        case DropVerdict::kNotMeasured:
          finding.measured = Finding::Measured{"not measured", verified.text};
          break;
      }
    }
  }
  // A drop measured as needed is info now: findings stay ordered by severity.
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
}

}  // namespace sqlmeasure
