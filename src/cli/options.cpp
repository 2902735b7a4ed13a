// The check that a mode uses every flag it was given (options.h).
#include "options.h"

#include <fmt/format.h>

#include "sqlmeasure/error.h"

namespace sqlmeasure {

std::set<std::string> flag_names(const CLI::App& app, const std::string& group) {
  std::set<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group() == group) names.insert(option->get_name());
  }
  return names;
}

void refuse_unused_flags(const CLI::App& app, const std::set<std::string>& used,
                         const std::string& mode) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->count() == 0 || used.contains(option->get_name())) continue;
    const std::string name = option->get_name();
    fail(ExitCode::kUsage, fmt::format("{} does not apply to {}; leave it out",
                                       name == "files" ? "FILES" : name, mode));
  }
}

}  // namespace sqlmeasure
