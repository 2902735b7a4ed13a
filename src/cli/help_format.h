#pragma once
// --help as a person writes it: `--port N  Server TCP port (1 to 65,535)` rather than CLI11's
// `UINT:INT in [1 - 65535]`, and every default said once, from the value the code uses
// (an option's default_str, set from the constant). Private to src/cli/.
#include <CLI/CLI.hpp>
#include <string>

namespace sqlmeasure {

class HelpFormatter final : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* option) const override;
  std::string make_option_desc(const CLI::Option* option) const override;
};

// A range or a list of choices from a validator's description, as words: "INT in [1 - 65535]"
// is "1 to 65,535", "{a,b,c}" is "a, b or c"; empty when it is neither.
[[nodiscard]] std::string constraint_in_words(const std::string& validator);

}  // namespace sqlmeasure
