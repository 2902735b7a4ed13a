#pragma once
// What capture reads from each logged statement (docs/capture.md, "Queries"): its template —
// lexed once per skeleton (statement_skeleton.h), shared by every statement of that SQL —,
// its literals, why it is not replayed (a write, a ping, ...), and what its query tags say.
// All of it runs on the thread that reads the log, while the text is in its cache, ahead of
// the one that counts (event_pipeline.h). Private to src/capture/.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "query_tags.h"
#include "sqlmeasure/capture.h"
#include "statement_skeleton.h"
#include "statement_template.h"

namespace sqlmeasure {

// One replay SQL (a fingerprint's statements with an IN-list of one length), read once and
// never changed after.
struct Template {
  std::uint32_t fingerprint = 0;  // its id, 0, 1, ... in order of appearance
  const std::string* fingerprint_text = nullptr;
  std::string sql;                                           // parameters as :name
  std::vector<std::string> params;                           // their names
  std::vector<std::pair<std::string, std::string>> columns;  // theirs: qualifier, column
  std::string why;          // why_skipped of its fingerprint's first statement
  bool ping_shape = false;  // "select ?": a comment may make it a ping
  std::string unusable;     // why a read of this SQL is not replayed, or empty
};

// An event as the thread that counts needs it (event_pipeline.h), read on the thread that reads
// the log: small, and without the statement's text, so that little crosses from one core to
// the other. Its literals are kept by whoever read it, in one buffer with others'.
struct ReadEvent {
  enum class Kind : std::uint8_t {
    kStatement,    // Query, Execute: read
    kEndsSession,  // Quit, Change user, Reset connection
    kOther,        // Connect, Init DB, Prepare, Ping, ...: not replayed
  };
  Kind kind = Kind::kOther;
  std::uint64_t thread = 0;
  std::int64_t time_us = -1;
  // A statement's:
  const Template* shape = nullptr;
  const std::string* why = nullptr;  // why it is not replayed, or empty; lives as the reader
  std::size_t literals_at = 0, literals_size = 0;  // in the buffer read() appended them to
  // Where its query tags come from (when screens come from tags). A connection's statements
  // repeat their comment, traceparent and all: the reading thread only tells whether it is
  // the one its connection's statement before had, and the counting thread reads a new one
  // (TagSlots), so that neither the reading nor its memory is on the reading thread.
  enum class TagsFrom : std::uint8_t {
    kNone,  // no tag comment
    kSame,  // the comment of its connection's statement before (in the same slot)
    kNew,   // a comment new to its connection: in the buffer, at comment_at
    kRead,  // read here (a statement of several comments, or lexed): in `tags`
  };
  TagsFrom tags_from = TagsFrom::kNone;
  std::size_t comment_at = 0, comment_size = 0;
  std::shared_ptr<const ReadTags> tags;  // kRead
};

// What the comments a StatementReader told apart say, in the counting thread: read when new,
// kept per connection (in the reader's slot of it) for the statements that repeat them.
class TagSlots {
 public:
  explicit TagSlots(std::vector<std::string> screen_tags);
  // The event's tags; `buffer` is what read() appended the event's comment to.
  const ReadTags& of(const ReadEvent& event, std::string_view buffer);

  static constexpr std::size_t kSlots = 64;  // connections, by their id's remainder

 private:
  QueryTagReader reader_;
  std::vector<ReadTags> slots_;
  const ReadTags none_;
};

// A statement's literals, one after the other, each after its length: a value row's key.
void append_literal(std::string& literals, std::string_view literal);
// The same for each of `each`, in order.
void append_literals(std::string& literals, const std::vector<std::string_view>& each);

// The literals of append_literal's string, one by one.
class LiteralReader {
 public:
  explicit LiteralReader(std::string_view literals) : literals_(literals) {}
  [[nodiscard]] bool done() const { return at_ + sizeof(std::uint32_t) > literals_.size(); }
  std::string_view next();

 private:
  std::string_view literals_;
  std::size_t at_ = 0;
};

class StatementReader {
 public:
  explicit StatementReader(const CaptureOptions& options);
  ~StatementReader();
  StatementReader(const StatementReader&) = delete;
  StatementReader& operator=(const StatementReader&) = delete;

  // Reads the event into `out`; a statement's literals, and a tag comment new to its
  // connection, are appended to `buffer`.
  void read(const LogEvent& event, ReadEvent& out, std::string& buffer);

 private:
  const Template& template_of(const LogEvent& event, bool read_fast, std::string& literals);
  const Template& intern(const StatementTemplate& statement, const LogEvent& event);
  void tags_of(const LogEvent& event, bool read_fast, ReadEvent& out, std::string& buffer);
  const std::string* ping_verdict(const LogEvent& event, bool read_fast, std::string_view literals);

  StatementSkeleton skeleton_;  // of the statement being read (buffers reused)
  SkeletonIds skeleton_ids_;
  std::vector<const Template*> by_skeleton_;  // by skeleton id; null: lexed each time
  std::vector<bool> skeleton_seen_;           // by skeleton id
  std::unordered_map<std::string, std::unique_ptr<Template>> templates_;  // by SQL, params
  std::unordered_map<std::string, std::uint32_t> fingerprint_ids_;
  std::deque<std::string> fingerprints_;  // by id (a deque: their addresses stay)
  std::vector<std::string> verdicts_;     // by fingerprint id: why_skipped
  std::set<std::string> ping_verdicts_;   // why_skipped of pings' shapes (addresses stay)
  std::unordered_map<std::string, const std::string*> ping_by_code_;  // ping_verdict's
  std::string ping_key_;                                              // (buffer reused)
  bool read_tags_ = false;
  QueryTagReader tags_;
  // The last tag comment of each connection (by its id's remainder, TagSlots::kSlots).
  struct LastComment {
    std::uint64_t thread = 0;
    bool valid = false;
    std::string comment;
  };
  std::vector<LastComment> last_comments_;
};

}  // namespace sqlmeasure
