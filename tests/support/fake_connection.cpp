#include "support/fake_connection.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "sqlmeasure/error.h"

namespace sqlmeasure::testing {
namespace {

constexpr std::string_view kHandlerStatus = "SHOW SESSION STATUS LIKE 'Handler_read%'";
constexpr std::string_view kRowsReadStatus = "SHOW SESSION STATUS LIKE 'Rows_read'";
constexpr std::string_view kExplain = "EXPLAIN ";
constexpr std::string_view kShowWarnings = "SHOW WARNINGS";

// A uniform double in (0, 1], from the top 53 bits.
double unit(std::mt19937_64& rng) { return static_cast<double>((rng() >> 11) + 1) * 0x1.0p-53; }

}  // namespace

StatementScript& StatementScript::elapsed(std::vector<std::int64_t> sequence_ns) {
  elapsed_ns = std::move(sequence_ns);
  lognormal_median_ns.reset();
  return *this;
}

StatementScript& StatementScript::lognormal(double median_ns, double sigma,
                                            std::uint64_t generator_seed) {
  lognormal_median_ns = median_ns;
  lognormal_sigma = sigma;
  seed = generator_seed;
  return *this;
}

StatementScript& StatementScript::rows(std::uint64_t sent, std::uint64_t examined) {
  rows_sent = sent;
  rows_examined = examined;
  return *this;
}

StatementScript& StatementScript::sum(std::uint64_t value) {
  checksum = value;
  return *this;
}

StatementScript& StatementScript::explains_as(std::vector<PlanRow> rows) {
  plan = std::move(rows);
  return *this;
}

StatementScript& StatementScript::warns(std::vector<ServerWarning> raised) {
  warnings = std::move(raised);
  return *this;
}

StatementScript& StatementScript::explains_with(std::vector<ServerWarning> raised) {
  notes = std::move(raised);
  return *this;
}

StatementScript& StatementScript::returns(ResultSet set) {
  result = std::move(set);
  return *this;
}

StatementScript& StatementScript::answers(std::function<ResultSet()> produce) {
  answer = std::move(produce);
  return *this;
}

StatementScript& StatementScript::does(std::function<void()> change) {
  effect = std::move(change);
  return *this;
}

StatementScript& StatementScript::fails(Failure::Kind kind, int after, int count) {
  failure = Failure{kind, after, count};
  return *this;
}

PlanRow plan_row(std::string table, std::string type, std::string key, std::string rows,
                 std::string extra) {
  PlanRow row;
  row.id = "1";
  row.select_type = "SIMPLE";
  row.table = std::move(table);
  row.access_type = std::move(type);
  row.possible_keys = key;
  row.key = std::move(key);
  row.rows = std::move(rows);
  row.extra = std::move(extra);
  return row;
}

ResultSet single_column(std::string column, std::vector<std::optional<std::string>> values,
                        bool numeric) {
  ResultSet set;
  set.columns = {std::move(column)};
  set.numeric = {numeric};
  for (auto& value : values) set.rows.push_back({std::move(value)});
  return set;
}

FakeConnection::FakeConnection(std::string name, CallLog* shared_log)
    : name_(std::move(name)), log_(shared_log != nullptr ? shared_log : &own_log_) {
  server_.flavor = Flavor::kMariaDB;
  server_.version = "10.11.6-MariaDB-0+deb12u1";
  server_.major = 10;
  server_.minor = 11;
  server_.patch = 6;
  server_.endpoint = "socket /fake/" + name_ + ".sock";
  server_.database = "fake";
}

StatementScript& FakeConnection::on(std::string sql) {
  return on_match([sql = std::move(sql)](std::string_view text) { return text == sql; });
}

StatementScript& FakeConnection::on_match(std::function<bool(std::string_view)> predicate) {
  entries_.push_back(std::make_unique<Entry>());
  entries_.back()->matches = std::move(predicate);
  return entries_.back()->script;
}

std::vector<std::string> FakeConnection::timed_sql() const {
  std::vector<std::string> sql;
  for (const Call& call : *log_) {
    if (call.connection == name_ && call.kind == Call::Kind::kTimed) sql.push_back(call.sql);
  }
  return sql;
}

int FakeConnection::executions(std::string_view sql) const {
  int count = 0;
  for (const Call& call : *log_) {
    count += call.connection == name_ && call.kind == Call::Kind::kTimed && call.sql == sql;
  }
  return count;
}

void FakeConnection::record(Call::Kind kind, std::string_view sql, bool with_checksum) {
  log_->push_back({name_, kind, std::string(sql), with_checksum});
  if (observer_) observer_(log_->back());
  if (lost_) {
    throw DatabaseError("[2013] Lost connection to server during query (" + name_ + ")", 2013,
                        "HY000", /*connection_lost=*/true, /*timed_out=*/false);
  }
}

bool FakeConnection::has_script_for(std::string_view sql) const {
  for (const auto& entry : entries_) {
    if (entry->matches(sql)) return true;
  }
  return false;
}

FakeConnection::Entry& FakeConnection::entry_for(std::string_view sql) {
  // The first script registered wins, so a specific `on()` before a broad predicate works.
  for (auto& entry : entries_) {
    if (entry->matches(sql)) return *entry;
  }
  // Not a DatabaseError: the runner would record it on the query and go on; an unscripted
  // statement is a mistake in the test and must fail it loudly.
  throw std::logic_error("FakeConnection '" + name_ + "': no script for: " + std::string(sql));
}

void FakeConnection::run(Entry& entry) {
  const StatementScript& script = entry.script;
  const bool due = script.failure && entry.calls >= script.failure->after &&
                   (script.failure->count == 0 || entry.failures < script.failure->count);
  if (due) {
    ++entry.failures;
    switch (script.failure->kind) {
      case Failure::Kind::kTimeout:
        throw DatabaseError("[1969] Query execution was interrupted (max_statement_time exceeded)",
                            1969, "70100", false, /*timed_out=*/true);
      case Failure::Kind::kConnectionLost:
        lost_ = true;
        throw DatabaseError("[2013] Lost connection to server during query (" + name_ + ")", 2013,
                            "HY000", /*connection_lost=*/true, false);
      case Failure::Kind::kError:
        throw DatabaseError("[1146] Table 'fake.missing' doesn't exist", 1146, "42S02", false,
                            false);
    }
  }
  ++entry.calls;
  if (script.effect) script.effect();
  // Every row examined is one handler read: the first by key, the rest by next. The two
  // counters the runner must ignore move too, so including them would show.
  if (script.rows_examined > 0) {
    read_key_ += 1;
    read_next_ += script.rows_examined - 1;
    read_retry_ += 3;
    read_rnd_deleted_ += 2;
  }
  rows_read_ += script.rows_examined;
}

std::int64_t FakeConnection::next_elapsed(Entry& entry) {
  const StatementScript& script = entry.script;
  if (script.lognormal_median_ns) {
    if (!entry.rng) entry.rng.emplace(script.seed);
    // Box-Muller: a standard normal from two uniforms.
    const double u1 = unit(*entry.rng), u2 = unit(*entry.rng);
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    return std::llround(*script.lognormal_median_ns * std::exp(script.lognormal_sigma * z));
  }
  const std::size_t index = entry.timed_calls++;
  if (script.elapsed_ns.empty()) return 0;
  return script.elapsed_ns[index % script.elapsed_ns.size()];
}

Execution FakeConnection::execute_timed(std::string_view sql, bool with_checksum) {
  record(Call::Kind::kTimed, sql, with_checksum);
  Entry& entry = entry_for(sql);
  run(entry);
  Execution execution;
  execution.elapsed_ns = next_elapsed(entry);
  execution.rows_sent = entry.script.rows_sent;
  execution.checksum = with_checksum ? entry.script.checksum : 0;
  last_warnings_ = entry.script.warnings;
  execution.warnings = static_cast<unsigned>(last_warnings_.size());
  return execution;
}

ResultSet FakeConnection::handler_status() {
  // The status rows are read (and counted) before they are reported.
  read_rnd_next_ += show_status_cost_;
  return status_rows({
      {"Handler_read_first", 0},
      {"Handler_read_key", read_key_},
      {"Handler_read_last", 0},
      {"Handler_read_next", read_next_},
      {"Handler_read_prev", 0},
      {"Handler_read_retry", read_retry_},
      {"Handler_read_rnd", 0},
      {"Handler_read_rnd_deleted", read_rnd_deleted_},
      {"Handler_read_rnd_next", read_rnd_next_},
  });
}

ResultSet FakeConnection::status_rows(
    const std::vector<std::pair<std::string, std::uint64_t>>& variables) {
  ResultSet set;
  set.columns = {"Variable_name", "Value"};
  set.numeric = {false, false};
  for (const auto& [name, value] : variables) set.rows.push_back({name, std::to_string(value)});
  return set;
}

ResultSet FakeConnection::explain_result(const std::vector<PlanRow>& plan) {
  ResultSet set;
  set.columns = {"id",  "select_type", "table", "type", "possible_keys",
                 "key", "key_len",     "ref",   "rows", "Extra"};
  set.numeric = {true, false, false, false, false, false, false, false, true, false};
  // EXPLAIN prints NULL where nothing applies; the fake sends NULL for empty fields.
  auto cell = [](const std::string& text) -> std::optional<std::string> {
    if (text.empty()) return std::nullopt;
    return text;
  };
  for (const PlanRow& row : plan) {
    set.rows.push_back({cell(row.id), cell(row.select_type), cell(row.table), cell(row.access_type),
                        cell(row.possible_keys), cell(row.key), cell(row.key_len), cell(row.ref),
                        cell(row.rows), cell(row.extra)});
  }
  return set;
}

ResultSet FakeConnection::warnings_result(const std::vector<ServerWarning>& warnings) {
  ResultSet set;
  set.columns = {"Level", "Code", "Message"};
  set.numeric = {false, true, false};
  for (const ServerWarning& warning : warnings) {
    set.rows.push_back({warning.level, std::to_string(warning.code), warning.message});
  }
  return set;
}

ResultSet FakeConnection::query(std::string_view sql) {
  record(Call::Kind::kQuery, sql, false);
  // The fake itself answers the counters and EXPLAIN, from the statement's script.
  if (sql == kHandlerStatus) return handler_status();
  if (sql == kRowsReadStatus) return status_rows({{"Rows_read", rows_read_}});
  if (sql == kShowWarnings) return warnings_result(last_warnings_);
  // The run's conditions (runner/conditions.cpp), unless a test scripts them: no settings
  // and no tables, so no COUNT(*) follows.
  if ((sql.starts_with("SHOW SESSION VARIABLES WHERE Variable_name IN") ||
       sql.starts_with("SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES")) &&
      !has_script_for(sql)) {
    return ResultSet{};
  }
  if (sql.starts_with(kExplain)) {
    const StatementScript& script = entry_for(sql.substr(kExplain.size())).script;
    ResultSet plan = explain_result(script.plan);
    last_warnings_ = script.notes;
    plan.warnings = static_cast<unsigned>(last_warnings_.size());
    return plan;
  }
  Entry& entry = entry_for(sql);
  run(entry);
  if (entry.script.answer) return entry.script.answer();
  return entry.script.result.value_or(ResultSet{});
}

void FakeConnection::reconnect() {
  log_->push_back({name_, Call::Kind::kReconnect, "", false});
  lost_ = false;
}

void FakeConnection::execute(std::string_view sql) {
  record(Call::Kind::kExecute, sql, false);
  run(entry_for(sql));
}

}  // namespace sqlmeasure::testing
