#pragma once
// Text from servers, scenario files and results files in Markdown (a pull-request comment
// above all): inert. GitHub turns `@name` into a notification, `#12` and `GH-12` into
// references, `[x](url)` and `![x](url)` into links and tracking images, a bare URL into a
// link, `<img …>` into an image, and a backtick run into a code span; none of that may come
// from a query's text, an error message or a label. Private to src/report/.
#include <cstddef>
#include <string>
#include <string_view>

namespace sqlmeasure {

// Every field's share of a comment: a label or an error message of 100,000 characters is cut
// (with an ellipsis), never the comment's other parts.
inline constexpr std::size_t kMarkdownFieldLimit = 1000;

// Free text, one line: control bytes and line breaks as spaces; `\`, `` ` ``, `[`, `]`, `|`
// escaped with a backslash; `<` that could open a tag and `&` that could open an entity as
// entities; a zero-width space (&#8203;) after the `@` of a mention, the `#` of `#12`, the
// `-` of `GH-12`, the `:` of `://` and the `www` of `www.`. Cut to `max_bytes` at a
// character boundary, with "…".
[[nodiscard]] std::string inert_markdown(std::string_view text,
                                         std::size_t max_bytes = kMarkdownFieldLimit);

// The text as one code span, its fence one backtick longer than the longest run inside (and
// padded when it starts or ends with one): GitHub renders it literally, mentions and all.
[[nodiscard]] std::string markdown_code(std::string_view text,
                                        std::size_t max_bytes = kMarkdownFieldLimit);

// `text` cut to at most `max_bytes` bytes at a UTF-8 character boundary, "…" ending a cut.
[[nodiscard]] std::string cut_text(std::string_view text, std::size_t max_bytes);

}  // namespace sqlmeasure
