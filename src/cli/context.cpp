// What every command receives (context.h): its style, warnings and notes, and the config.
#include "context.h"

#include <cstdlib>

namespace sqlmeasure {

Style Context::style() const {
  const char* no_color_env = std::getenv("NO_COLOR");
  const bool env_forbids = no_color_env != nullptr && no_color_env[0] != '\0';
  Style style;
  if (flags_.no_color || flags_.color == "never") return style;
  // A flag beats the environment (no-color.org): CI logs that render ANSI ask with always.
  style.color = flags_.color == "always" || (invocation_.out_is_tty && !env_forbids);
  return style;
}

void Context::warn(const std::string& message) const {
  err() << "sqlmeasure: warning: " << message << '\n';
}

void Context::note(const std::string& message) const {
  if (flags_.verbose) err() << "sqlmeasure: " << message << '\n';
}

const ProjectConfig& Context::config() const {
  if (!config_) config_ = load_project_config(flags_.config);
  return *config_;
}

}  // namespace sqlmeasure
