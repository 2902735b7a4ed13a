#include "statement_reader.h"

#include <fmt/format.h>

#include <cstring>

#include "sqlmeasure/scenario.h"
#include "sqlmeasure/sql_guard.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/sql_statements.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// Pings' codes whose verdict is remembered, at most.
constexpr std::size_t kPingCodes = 4096;

// The read-only guard's reason as a count's label: what refused it, without where (a line and
// column, an executable comment's version), so that statements refused alike count together.
std::string not_read_only(std::string reason) {
  if (reason.starts_with("executable comment ")) {
    if (const std::size_t contains = reason.find(" contains "); contains != std::string::npos) {
      reason = "executable comment" + reason.substr(contains);
    }
  } else if (const std::size_t where = reason.find(" ("); where != std::string::npos) {
    reason.resize(where);  // "more than one statement (a second one starts at line 1 col 9 ..."
  }
  return "not read-only: " + reason;
}

// Why a statement is not replayed, or empty for a read a scenario can hold: what the
// read-only guard accepts in a scenario file is never "not read-only" here.
std::string why_skipped(const std::string& command, std::string_view sql) {
  if (!iequals(command, "Query") && !iequals(command, "Execute")) {
    return fmt::format("not a statement ({})", command);
  }
  const std::string keyword = first_keyword(sql);
  if (keyword == "SET") return "SET";
  if (keyword == "BEGIN" || keyword == "START" || keyword == "COMMIT" || keyword == "ROLLBACK" ||
      keyword == "SAVEPOINT" || keyword == "RELEASE" || keyword == "XA") {
    return "transaction control";
  }
  if (keyword == "INSERT" || keyword == "UPDATE" || keyword == "DELETE" || keyword == "REPLACE" ||
      keyword == "LOAD" || keyword == "CALL") {
    return "write";
  }
  if (keyword == "CREATE" || keyword == "ALTER" || keyword == "DROP" || keyword == "TRUNCATE" ||
      keyword == "RENAME" || keyword == "GRANT" || keyword == "REVOKE" || keyword == "ANALYZE" ||
      keyword == "OPTIMIZE") {
    return "DDL or administration";
  }
  if (keyword != "SELECT" && keyword != "WITH") return fmt::format("not a SELECT ({})", keyword);
  // Pings: Connector/J's "/* ping */ SELECT 1", and SELECT 1 itself.
  std::string code;
  for (const SqlToken& token : code_tokens(sql)) {
    if (!code.empty()) code += ' ';
    code += ascii_upper(token.text);
  }
  if (sql.starts_with("/* ping */") || code == "SELECT 1") return "ping";
  if (std::string why = why_not_read_only(sql); !why.empty()) return not_read_only(why);
  return "";
}

}  // namespace

void append_literal(std::string& literals, std::string_view literal) {
  const auto size = static_cast<std::uint32_t>(literal.size());
  char length[sizeof size];
  std::memcpy(length, &size, sizeof size);
  literals.append(length, sizeof size);
  literals.append(literal);
}

void append_literals(std::string& literals, const std::vector<std::string_view>& each) {
  // Sized once, then copied into: a statement's literals cost one growth check, not two each.
  std::size_t size = 0;
  for (const std::string_view literal : each) size += sizeof(std::uint32_t) + literal.size();
  std::size_t at = literals.size();
  literals.resize(at + size);
  char* const out = literals.data();
  for (const std::string_view literal : each) {
    const auto length = static_cast<std::uint32_t>(literal.size());
    std::memcpy(out + at, &length, sizeof length);
    at += sizeof length;
    std::memcpy(out + at, literal.data(), literal.size());
    at += literal.size();
  }
}

std::string_view LiteralReader::next() {
  std::uint32_t size = 0;
  std::memcpy(&size, literals_.data() + at_, sizeof size);
  at_ += sizeof size;
  const std::string_view literal = literals_.substr(at_, size);
  at_ += size;
  return literal;
}

StatementReader::StatementReader(const CaptureOptions& options)
    : read_tags_(options.group_by == CaptureOptions::GroupBy::kTags),
      tags_(options.screen_tags),
      last_comments_(TagSlots::kSlots) {}

StatementReader::~StatementReader() = default;

void StatementReader::read(const LogEvent& event, ReadEvent& out, std::string& buffer) {
  out.thread = event.thread;
  out.time_us = event.time_us;
  if (!iequals(event.command, "Query") && !iequals(event.command, "Execute")) {
    out.kind = iequals(event.command, "Quit") || iequals(event.command, "Change user") ||
                       iequals(event.command, "Reset connection")
                   ? ReadEvent::Kind::kEndsSession
                   : ReadEvent::Kind::kOther;
    out.shape = nullptr;
    out.tags_from = ReadEvent::TagsFrom::kNone;
    out.tags = nullptr;
    return;
  }
  out.kind = ReadEvent::Kind::kStatement;
  out.literals_at = buffer.size();
  const bool read_fast = read_statement_skeleton(event.text_read(), skeleton_);
  if (read_fast) skeleton_.id = skeleton_ids_.id_of(skeleton_.text);
  out.shape = &template_of(event, read_fast, buffer);
  out.literals_size = buffer.size() - out.literals_at;
  // why_skipped, once per fingerprint: what decides it (the keywords, FOR UPDATE, INTO, an
  // executable comment) is all in the fingerprint; comments and literal values are not,
  // which only a ping ("/* ping */ SELECT 1") needs.
  if (out.shape->ping_shape) {
    out.why = ping_verdict(event, read_fast,
                           std::string_view(buffer).substr(out.literals_at, out.literals_size));
  } else {
    out.why = &out.shape->why;
  }
  out.tags_from = ReadEvent::TagsFrom::kNone;
  out.tags = nullptr;
  if (read_tags_) tags_of(event, read_fast, out, buffer);
}

// The verdict of a statement of a ping's shape ("select ?"): what its code says (its skeleton
// and literals: SELECT 1, or not) and whether it starts with "/* ping */". Remembered by
// those: a pool pings on every checkout, each time with the request's comment.
const std::string* StatementReader::ping_verdict(const LogEvent& event, bool read_fast,
                                                 std::string_view literals) {
  const auto verdict = [&] {
    return &*ping_verdicts_.insert(why_skipped(event.command, event.text_read())).first;
  };
  if (!read_fast) return verdict();
  ping_key_.assign(reinterpret_cast<const char*>(&skeleton_.id), sizeof skeleton_.id);
  ping_key_ += event.text_read().starts_with("/* ping */") ? '1' : '0';
  ping_key_.append(literals);
  if (const auto found = ping_by_code_.find(ping_key_); found != ping_by_code_.end()) {
    return found->second;
  }
  if (ping_by_code_.size() >= kPingCodes) ping_by_code_.clear();
  return ping_by_code_.emplace(ping_key_, verdict()).first->second;
}

// Where the statement's tags come from (ReadEvent::TagsFrom).
void StatementReader::tags_of(const LogEvent& event, bool read_fast, ReadEvent& out,
                              std::string& buffer) {
  out.tags = nullptr;
  if (read_fast && skeleton_.comments.empty()) {
    out.tags_from = ReadEvent::TagsFrom::kNone;
    return;
  }
  if (!read_fast || skeleton_.comments.size() != 1) {
    out.tags_from = ReadEvent::TagsFrom::kRead;
    out.tags = std::make_shared<const ReadTags>(read_fast ? tags_.from_comments(skeleton_.comments)
                                                          : tags_.from_sql(event.text_read()));
    return;
  }
  LastComment& last = last_comments_[event.thread % TagSlots::kSlots];
  const std::string_view comment = skeleton_.comments.front();
  if (last.valid && last.thread == event.thread && last.comment == comment) {
    out.tags_from = ReadEvent::TagsFrom::kSame;
    return;
  }
  last.valid = true;
  last.thread = event.thread;
  last.comment.assign(comment);
  out.tags_from = ReadEvent::TagsFrom::kNew;
  out.comment_at = buffer.size();
  out.comment_size = comment.size();
  buffer.append(comment);
}

TagSlots::TagSlots(std::vector<std::string> screen_tags)
    : reader_(std::move(screen_tags)), slots_(kSlots) {}

const ReadTags& TagSlots::of(const ReadEvent& event, std::string_view buffer) {
  switch (event.tags_from) {
    case ReadEvent::TagsFrom::kNone:
      return none_;
    case ReadEvent::TagsFrom::kRead:
      return *event.tags;
    case ReadEvent::TagsFrom::kNew:
      reader_.from_comment(buffer.substr(event.comment_at, event.comment_size),
                           slots_[event.thread % kSlots]);
      break;
    case ReadEvent::TagsFrom::kSame:
      break;
  }
  return slots_[event.thread % kSlots];
}

// The statement's template, and its literals appended to `literals`: from its skeleton when
// one of the same skeleton was lexed before, else lexed.
const Template& StatementReader::template_of(const LogEvent& event, bool read_fast,
                                             std::string& literals) {
  const std::uint32_t id = skeleton_.id;
  if (read_fast && id >= by_skeleton_.size()) {
    by_skeleton_.resize(id + 1, nullptr);
    skeleton_seen_.resize(id + 1, false);
  }
  if (read_fast && by_skeleton_[id] != nullptr) {
    append_literals(literals, skeleton_.literals);
    return *by_skeleton_[id];
  }
  const StatementTemplate statement = make_statement_template(event.text_read());
  for (const TemplateParam& param : statement.params) append_literal(literals, param.literal);
  // The skeleton stands for the template only if its literals are the template's parameters,
  // one for one (not so for ".5", or a literal kept in the SQL).
  bool same = read_fast && !statement.has_unreplayable_literal &&
              statement.params.size() == skeleton_.literals.size();
  for (std::size_t i = 0; same && i < statement.params.size(); ++i) {
    same = statement.params[i].literal == skeleton_.literals[i];
  }
  const Template& shape = intern(statement, event);
  if (read_fast && !skeleton_seen_[id]) {
    skeleton_seen_[id] = true;
    by_skeleton_[id] = same ? &shape : nullptr;
  }
  return shape;
}

// The one Template of the statement's SQL, made on its first statement.
const Template& StatementReader::intern(const StatementTemplate& statement, const LogEvent& event) {
  // By its SQL and its parameters: "id = :id" written so in the log has none, and cannot be
  // replayed, where "id = 5" made "id = :id" has one.
  std::string key = statement.sql;
  for (const TemplateParam& param : statement.params) (key += '\x1f') += param.name;
  auto [found, added] = templates_.try_emplace(std::move(key));
  if (!added) return *found->second;
  auto shape = std::make_unique<Template>();
  shape->sql = statement.sql;
  for (const TemplateParam& param : statement.params) {
    shape->params.push_back(param.name);
    shape->columns.emplace_back(param.qualifier, param.column);
  }
  const auto [id, new_fingerprint] = fingerprint_ids_.try_emplace(
      statement.fingerprint, static_cast<std::uint32_t>(fingerprints_.size()));
  if (new_fingerprint) {
    fingerprints_.push_back(statement.fingerprint);
    verdicts_.push_back(why_skipped(event.command, event.text_read()));
  }
  shape->fingerprint = id->second;
  shape->fingerprint_text = &fingerprints_[id->second];
  shape->why = verdicts_[id->second];
  shape->ping_shape = statement.fingerprint == "select ?";
  if (!is_utf8(statement.sql)) {
    // Bytes outside string literals (a name, a comment) no scenario file can hold.
    shape->unusable = "not UTF-8 outside its strings";
  } else {
    // Read back as a scenario reads it: a ":name" of the statement's own outside strings, or
    // a parameter a comment swallows ("1-- x" made ":p1-- x"), would make a file `check`
    // refuses.
    const std::vector<Placeholder> placeholders = find_placeholders(statement.sql);
    bool same = placeholders.size() == statement.params.size();
    for (std::size_t i = 0; same && i < placeholders.size(); ++i) {
      same = placeholders[i].name == statement.params[i].name;
    }
    if (!same) shape->unusable = "parameters the scenario would read otherwise";
  }
  found->second = std::move(shape);
  return *found->second;
}

}  // namespace sqlmeasure
