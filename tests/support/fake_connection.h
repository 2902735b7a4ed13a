#pragma once
// A scripted sqlmeasure::Connection for deterministic tests (no server). A test says, per
// SQL text or per predicate, what each execution takes and returns: elapsed time (a fixed
// sequence, or a seeded log-normal), rows sent, checksum, rows examined (which advance the
// Rows_read and Handler_read_* counters that SHOW SESSION STATUS reports), the EXPLAIN plan,
// a result set for untimed queries, and a failure to throw. Every statement is logged in
// order, so tests can assert how the runner interleaves its work.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure::testing {

// What a scripted statement throws, after `after` successful executions of it: `count`
// times (a transient failure), or every time from then on (count 0).
struct Failure {
  enum class Kind { kTimeout, kConnectionLost, kError };
  Kind kind = Kind::kError;
  int after = 0;
  int count = 0;
};

// The behaviour of one statement (or of every statement a predicate matches).
struct StatementScript {
  std::vector<std::int64_t> elapsed_ns = {1'000'000};  // cycled, one per execute_timed
  // When set, elapsed times are drawn from a log-normal with this median and sigma, from a
  // generator seeded with `seed` (drawn by hand: std:: distributions differ by library).
  std::optional<double> lognormal_median_ns;
  double lognormal_sigma = 0.1;
  std::uint64_t seed = 1;
  std::uint64_t rows_sent = 0;
  std::uint64_t rows_examined = 0;  // advances Rows_read and Handler_read_* per execution
  std::uint64_t checksum = 0;       // returned when the caller asks for one
  std::vector<PlanRow> plan;        // answered to `EXPLAIN <sql>`
  // What SHOW WARNINGS lists after an execution of it (warnings) or its EXPLAIN (notes).
  std::vector<ServerWarning> warnings, notes;
  std::optional<ResultSet> result;    // answered to query(sql)
  std::function<ResultSet()> answer;  // answered to query(sql) when set: a state of the test's
  std::function<void()> effect;       // run after each successful execution (a schema change)
  std::optional<Failure> failure;

  // Fluent setters, so a test reads as one sentence per statement.
  StatementScript& elapsed(std::vector<std::int64_t> sequence_ns);
  StatementScript& lognormal(double median_ns, double sigma, std::uint64_t generator_seed);
  StatementScript& rows(std::uint64_t sent, std::uint64_t examined);
  StatementScript& sum(std::uint64_t value);  // the checksum
  StatementScript& explains_as(std::vector<PlanRow> rows);
  StatementScript& warns(std::vector<ServerWarning> raised);          // when it runs
  StatementScript& explains_with(std::vector<ServerWarning> raised);  // when it is explained
  StatementScript& returns(ResultSet set);
  StatementScript& answers(std::function<ResultSet()> produce);
  StatementScript& does(std::function<void()> change);
  StatementScript& fails(Failure::Kind kind, int after = 0, int count = 0);
};

// One statement as the connection received it.
struct Call {
  enum class Kind { kTimed, kQuery, kExecute, kReconnect };
  std::string connection;  // the fake's name, to tell endpoints apart
  Kind kind = Kind::kTimed;
  std::string sql;
  bool with_checksum = false;
};
using CallLog = std::vector<Call>;

// A plan row as EXPLAIN prints it; `rows` as text, like the server sends it.
[[nodiscard]] PlanRow plan_row(std::string table, std::string type, std::string key,
                               std::string rows = "1", std::string extra = "");
// A one-column result set (the shape `params.x = { from = ... }` reads).
[[nodiscard]] ResultSet single_column(std::string column,
                                      std::vector<std::optional<std::string>> values, bool numeric);

class FakeConnection final : public Connection {
 public:
  // `shared_log`, when given, receives the calls of several fakes in one order.
  explicit FakeConnection(std::string name = "fake", CallLog* shared_log = nullptr);

  StatementScript& on(std::string sql);  // exactly this text
  StatementScript& on_match(std::function<bool(std::string_view)> predicate);
  // Handler_read_* reads that SHOW SESSION STATUS itself adds (MariaDB materialises the
  // status rows in a temporary table); rows_examined() must subtract it.
  void set_show_status_cost(std::uint64_t rows) { show_status_cost_ = rows; }
  // Called after every statement is logged and before it runs (e.g. to raise an interrupt).
  void set_observer(std::function<void(const Call&)> observer) { observer_ = std::move(observer); }
  void set_server(ServerInfo server) { server_ = std::move(server); }

  [[nodiscard]] const CallLog& log() const { return *log_; }
  // SQL of this fake's execute_timed calls, in order (`with_checksum` ones included).
  [[nodiscard]] std::vector<std::string> timed_sql() const;
  [[nodiscard]] int executions(std::string_view sql) const;  // execute_timed calls of one text

  // Connection
  [[nodiscard]] const ServerInfo& server() const override { return server_; }
  Execution execute_timed(std::string_view sql, bool with_checksum) override;
  ResultSet query(std::string_view sql) override;
  void execute(std::string_view sql) override;
  [[nodiscard]] std::string quote(std::string_view text) override { return quote_offline(text); }
  void reconnect() override;  // always succeeds: a lost connection is usable again

 private:
  struct Entry {
    std::function<bool(std::string_view)> matches;
    StatementScript script;
    int calls = 0;                // successful executions so far (timed or not)
    int failures = 0;             // failures thrown so far
    std::size_t timed_calls = 0;  // execute_timed calls so far, for `elapsed_ns`
    std::optional<std::mt19937_64> rng;
  };

  void record(Call::Kind kind, std::string_view sql, bool with_checksum);
  Entry& entry_for(std::string_view sql);
  [[nodiscard]] bool has_script_for(std::string_view sql) const;
  // Counts one execution: throws the scripted failure when due, else advances counters.
  void run(Entry& entry);
  std::int64_t next_elapsed(Entry& entry);
  ResultSet handler_status();
  [[nodiscard]] static ResultSet status_rows(
      const std::vector<std::pair<std::string, std::uint64_t>>& variables);
  [[nodiscard]] static ResultSet explain_result(const std::vector<PlanRow>& plan);
  [[nodiscard]] static ResultSet warnings_result(const std::vector<ServerWarning>& warnings);

  std::string name_;
  ServerInfo server_;
  CallLog own_log_;
  CallLog* log_;
  std::vector<std::unique_ptr<Entry>> entries_;  // stable addresses for the fluent setters
  std::function<void(const Call&)> observer_;
  bool lost_ = false;
  std::uint64_t show_status_cost_ = 0;
  std::vector<ServerWarning> last_warnings_;  // what SHOW WARNINGS answers now
  // MariaDB's Rows_read (SHOW STATUS adds nothing to it), and the Handler_read_* counters
  // (SHOW STATUS adds its cost; retry and rnd_deleted advance too, and must be ignored).
  std::uint64_t rows_read_ = 0;
  std::uint64_t read_key_ = 0, read_next_ = 0, read_rnd_next_ = 0, read_retry_ = 0,
                read_rnd_deleted_ = 0;
};

}  // namespace sqlmeasure::testing
