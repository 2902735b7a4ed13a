// sqlmeasure list: screens and their queries, offline.
#include "command.h"

namespace sqlmeasure {
namespace {

class ListCommand final : public Command {
 public:
  void add_flags(CLI::App& app) override {
    scenarios_.add_to(app);
    output_.add_to(app);
  }

  int execute(const Context& context) override {
    const Format format = output_.format();
    render_screen_list(scenarios_.load(context.config()), format, context.out());
    return 0;
  }

 private:
  ScenarioFlags scenarios_;
  OutputFlags output_{kTableFormats};
};

}  // namespace

std::unique_ptr<Command> make_list_command() { return std::make_unique<ListCommand>(); }

}  // namespace sqlmeasure
