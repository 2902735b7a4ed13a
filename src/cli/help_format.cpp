// The help formatter: value words, ranges and choices in words, the default at the end.
#include "help_format.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// 65535 → "65,535", 3.1536e+07 → "31,536,000", 1e-12 stays, 0.5 stays.
std::string number_in_words(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(value)) return text;
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    const auto whole = static_cast<long long>(value);
    return whole < 0 ? "-" + format_thousands(static_cast<std::uint64_t>(-whole))
                     : format_thousands(static_cast<std::uint64_t>(whole));
  }
  return fmt::format("{:g}", value);
}

// CLI11's full type name: "UINT:INT in [1 - 65535]" → the type, and the validators after ':'.
std::string type_of(const CLI::Option* option) {
  const std::string full = option->get_type_name();
  return full.substr(0, full.find(':'));
}

std::string validators_of(const CLI::Option* option) {
  const std::string full = option->get_type_name();
  const std::size_t colon = full.find(':');
  return colon == std::string::npos ? "" : full.substr(colon + 1);
}

}  // namespace

std::string constraint_in_words(const std::string& validator) {
  const std::size_t in = validator.find(" in [");
  if (in != std::string::npos && validator.ends_with("]")) {
    const std::string range = validator.substr(in + 5, validator.size() - in - 6);
    const std::size_t dash = range.find(" - ");
    if (dash == std::string::npos) return "";
    return number_in_words(range.substr(0, dash)) + " to " +
           number_in_words(range.substr(dash + 3));
  }
  if (validator.starts_with("{") && validator.ends_with("}")) {
    std::vector<std::string> items = split_list(validator.substr(1, validator.size() - 2));
    if (items.empty()) return "";
    const std::string last = items.back();
    items.pop_back();
    return items.empty() ? last : join(items) + " or " + last;
  }
  return "";
}

std::string HelpFormatter::make_option_opts(const CLI::Option* option) const {
  if (!option->get_option_text().empty()) return " " + option->get_option_text();
  if (option->get_type_size() == 0) return "";
  const std::string type = type_of(option);
  std::string word = type;
  if (type == "INT" || type == "UINT") word = "N";
  if (type == "FLOAT") word = "NUMBER";
  std::string out = word.empty() ? "" : " " + word;
  if (option->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
  if (option->get_required()) out += " (required)";
  return out;
}

std::string HelpFormatter::make_option_desc(const CLI::Option* option) const {
  std::string description = option->get_description();
  std::vector<std::string> notes;
  const std::string constraint = constraint_in_words(validators_of(option));
  // Choices the description already lists are not listed again.
  const std::string validators = validators_of(option);
  bool listed = validators.starts_with("{");
  if (listed) {
    for (const std::string& item : split_list(validators.substr(1, validators.size() - 2))) {
      listed = listed && description.find(item) != std::string::npos;
    }
  }
  if (!constraint.empty() && !listed) notes.push_back(constraint);
  if (!option->get_default_str().empty()) notes.push_back("default " + option->get_default_str());
  if (notes.empty()) return description;
  return description + " (" + join(notes, "; ") + ")";
}

}  // namespace sqlmeasure
