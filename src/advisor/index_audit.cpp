// `sqlmeasure indexes` on one connection: read, gather evidence, judge (index_audit.h).
#include "sqlmeasure/index_audit.h"

#include "sqlmeasure/runner.h"
#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {

IndexReport audit_indexes(Connection& connection, const std::string& database,
                          std::vector<Screen> screens, const IndexAuditOptions& options) {
  IndexReport report;
  // The columns the rules judge are the ones profiled: by the same thresholds.
  CollectOptions collect = options.collect;
  collect.min_rows = report.thresholds.min_rows;
  collect.low_cardinality_max_distinct = report.thresholds.low_cardinality_max_distinct;
  report.schema = collect_schema(connection, database, collect);
  connection.execute("USE " + quote_identifier(database));
  if (!options.scenarios_directory.empty()) {
    resolve_params(connection, screens, options.seed);
    report.scenarios =
        collect_scenario_evidence(connection, report.schema, screens, options.evidence);
    report.scenarios.directory = options.scenarios_directory;
  }
  report.result = run_advisor(report.schema, report.scenarios, report.thresholds);
  return report;
}

}  // namespace sqlmeasure
