// bash_completion: one `case` branch per command, each with its flags.
#include "completion.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

bool visible(const CLI::Option* option) {
  return option->nonpositional() && !option->get_group().empty();
}

struct FlagWords {
  std::vector<std::string> all;                              // every name, short and long
  std::vector<std::string> valued;                           // the names of those that take a value
  std::vector<std::pair<std::string, std::string>> choices;  // name, its values (space-separated)
};

// "TEXT:{round-robin,shuffled}" (CLI::IsMember) -> "round-robin shuffled"; else empty.
std::string choices_of(const CLI::Option* option) {
  const std::string type = option->get_type_name();
  const size_t open = type.find('{');
  const size_t close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return "";
  std::string values = type.substr(open + 1, close - open - 1);
  for (char& c : values) {
    if (c == ',') c = ' ';
  }
  return values;
}

void add_flags(const CLI::App& app, FlagWords& words) {
  for (const CLI::Option* option : app.get_options(visible)) {
    std::vector<std::string> names;
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    const bool takes_value = option->get_items_expected_max() > 0;
    const std::string choices = choices_of(option);
    for (const std::string& name : names) {
      // --help is both the app's and each command's.
      if (std::find(words.all.begin(), words.all.end(), name) != words.all.end()) continue;
      words.all.push_back(name);
      if (takes_value) words.valued.push_back(name);
      if (!choices.empty()) words.choices.emplace_back(name, choices);
    }
  }
}

std::string words(const std::vector<std::string>& list) {
  std::string joined;
  for (const std::string& word : list) joined += (joined.empty() ? "" : " ") + word;
  return joined;
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  std::vector<const CLI::App*> commands =
      app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
  std::vector<std::string> command_names;
  for (const CLI::App* command : commands) command_names.push_back(command->get_name());
  FlagWords global;
  add_flags(app, global);

  std::string script = fmt::format(
      "# bash completion for {0}: commands and flags. Generated from the command line's own\n"
      "# definition by `{0} __completion bash` when {0} is built; do not edit.\n"
      "_{0}() {{\n"
      "  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}\n"
      "  local commands='{1}' command= i\n"
      "  # The command is the first word that is neither a flag nor a flag's value.\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case ${{COMP_WORDS[i]}} in\n"
      "      {2}) ((i++)) ;;\n"
      "      -*) ;;\n"
      "      *) command=${{COMP_WORDS[i]}}; break ;;\n"
      "    esac\n"
      "  done\n"
      "  local flags='{3}' valued='{4}' arguments=\n"
      "  case $command in\n",
      app.get_name(), words(command_names),
      global.valued.empty() ? "--" : fmt::format("{}", join(global.valued, "|")), words(global.all),
      words(global.valued));
  std::string choice_cases;
  for (const CLI::App* command : commands) {
    FlagWords own = global;
    add_flags(*command, own);
    const bool takes_commands = command->get_name() == "help";
    script +=
        fmt::format("    {}) flags='{}' valued='{}'{} ;;\n", command->get_name(), words(own.all),
                    words(own.valued), takes_commands ? " arguments=$commands" : "");
    for (const auto& [name, values] : own.choices) {
      choice_cases +=
          fmt::format("    {}/{}) COMPREPLY=($(compgen -W '{}' -- \"$cur\")); return ;;\n",
                      command->get_name(), name, values);
    }
  }
  for (const auto& [name, values] : global.choices) {
    choice_cases += fmt::format("    */{}) COMPREPLY=($(compgen -W '{}' -- \"$cur\")); return ;;\n",
                                name, values);
  }
  script += "  esac\n";
  if (!choice_cases.empty()) {
    script += "  case $command/$prev in\n" + choice_cases + "  esac\n";
  }
  script += fmt::format(
      "  # A flag's value, or a file argument: files (complete -o default).\n"
      "  COMPREPLY=()\n"
      "  if [[ \" $valued \" == *\" $prev \"* ]]; then return; fi\n"
      "  if [[ $cur == -* ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n"
      "  elif [[ -z $command ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
      "  elif [[ -n $arguments ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$arguments\" -- \"$cur\"))\n"
      "  fi\n"
      "}}\n"
      "complete -o default -F _{0} {0}\n",
      app.get_name());
  return script;
}

}  // namespace sqlmeasure
