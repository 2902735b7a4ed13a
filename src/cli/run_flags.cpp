// The flags that say what to measure and how: scenarios, the measurement settings.
#include "run_flags.h"

#include <fmt/format.h>

#include <charconv>

#include "output_flags.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

void ScenarioFlags::add_to(CLI::App& app) {
  const char* group = "Scenarios";
  app.add_option("--scenarios", scenarios, "Scenario directory (default: ./scenarios)")
      ->group(group);
  app.add_option("--screens", screens, "Screens to use: names or globs, comma-separated")
      ->group(group);
  app.add_flag("--allow-writes", allow_writes,
               "Allow INSERT/UPDATE/DELETE/REPLACE scenarios; each runs in a transaction that is "
               "always rolled back")
      ->group(group);
}

std::string ScenarioFlags::directory(const ProjectConfig& config) const {
  if (scenarios) return *scenarios;
  if (config.scenarios) return *config.scenarios;
  return "scenarios";
}

std::vector<std::string> ScenarioFlags::globs(const ProjectConfig& config) const {
  if (screens) return split_list(*screens);
  if (config.screens) return *config.screens;
  return {};
}

std::vector<Screen> ScenarioFlags::load(const ProjectConfig& config) const {
  LoadOptions options;
  options.allow_writes = allow_writes;
  std::vector<Screen> selected =
      select_screens(load_scenarios(directory(config), options), globs(config));
  // A screen file's [budget] first, else sqlmeasure.toml's: the run records it.
  for (Screen& screen : selected) {
    if (!screen.budget) screen.budget = budget_for(screen.name, config.policy);
  }
  return selected;
}

void RunFlags::add_to(CLI::App& app) {
  const char* group = "Measurement";
  // The defaults the help shows are the ones resolve() falls back to: RunSettings{}'s.
  const RunSettings defaults;
  app.add_option("--warmup", warmup, "Untimed executions of each query first")
      ->group(group)
      ->default_str(std::to_string(defaults.warmup))
      ->check(CLI::Range(0, 100000));
  app.add_option_function<std::string>(
         "--iterations",
         [this](const std::string& value) {
           if (value == "auto") {
             iterations_auto = true;
             return;
           }
           int count = 0;
           auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), count);
           if (error != std::errc() || end != value.data() + value.size() || count < 1 ||
               count > 10000000) {
             throw CLI::ValidationError("--iterations",
                                        "expected 1 to 10000000, or auto; got " + value);
           }
           iterations_auto = false;
           iterations = count;
         },
         "Timed samples per query: auto, until each verdict or median is settled "
         "(docs/measurement.md), or a count, 1 to 10,000,000 (20 with --concurrency above 1)")
      ->group(group)
      ->default_str("auto")
      ->type_name("N|auto");
  app.add_option("--concurrency", concurrency,
                 "Connections replaying the screens at once while sampling")
      ->group(group)
      ->default_str(std::to_string(defaults.concurrency))
      ->check(CLI::Range(1, 256));
  app.add_option("--seed", seed, "Seed for parameter sampling and --order shuffled")
      ->group(group)
      ->default_str(std::to_string(defaults.seed));
  app.add_option("--order", order, "The order of the screens' queries: round-robin or shuffled")
      ->group(group)
      ->default_str(order_name(defaults.order))
      ->type_name("ORDER:{round-robin,shuffled}")
      ->check([](const std::string& value) {
        return order_named(value) ? "" : "expected round-robin or shuffled, got " + value;
      });
  app.add_option("--query-timeout", query_timeout_ms,
                 "Per-query timeout in milliseconds, enforced by the server (0 = none)")
      ->group(group)
      ->default_str(std::to_string(defaults.query_timeout_ms));
  app.add_option("--label", label, "A name for this run, stored in the results file")->group(group);
  app.add_option("--retries", retries,
                 "Reconnect up to N times when the connection is lost while measuring (never "
                 "during a migration)")
      ->group(group)
      ->default_str(std::to_string(RunFlags{}.retries))
      ->check(CLI::Range(0, 100));
}

RunOptions RunFlags::options(const Context& context, const ScenarioFlags& scenarios,
                             const std::string& what) const {
  if (iterations_auto && concurrency > 1) {
    fail(ExitCode::kUsage,
         "--iterations auto cannot be combined with --concurrency above 1; "
         "give a number of iterations");
  }
  RunOptions options;
  options.settings = resolve(context.config(), scenarios);
  options.label = label.value_or("");
  options.allow_writes = scenarios.allow_writes;
  options.retries = retries;
  options.interrupted = context.interrupted();
  options.on_progress = progress_printer(context, what);
  return options;
}

RunSettings RunFlags::resolve(const ProjectConfig& config, const ScenarioFlags& scenarios) const {
  RunSettings settings;
  settings.warmup = warmup.value_or(config.warmup.value_or(settings.warmup));
  settings.iterations = iterations.value_or(config.iterations.value_or(settings.iterations));
  settings.seed = seed.value_or(config.seed.value_or(settings.seed));
  settings.order = order ? *order_named(*order) : config.order.value_or(settings.order);
  settings.scenarios = scenarios.directory(config);
  settings.screen_globs = scenarios.globs(config);
  settings.query_timeout_ms = query_timeout_ms.value_or(
      config.connection.query_timeout_ms.value_or(settings.query_timeout_ms));
  settings.concurrency = concurrency;
  // --iterations auto is the default: a count given here or in sqlmeasure.toml fixes it, and
  // so does --concurrency above 1, which replays a count (docs/measurement.md).
  const bool fixed = iterations.has_value() || config.iterations.has_value() || concurrency > 1;
  if (iterations_auto || !fixed) {
    settings.auto_iterations.enabled = true;
    settings.iterations = kAutoIterationsMax;
  }
  return settings;
}

}  // namespace sqlmeasure
