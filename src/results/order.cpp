// The names of the visiting orders, as flags, sqlmeasure.toml and results files spell them.
#include "sqlmeasure/results.h"

namespace sqlmeasure {

const char* order_name(Order order) {
  return order == Order::kShuffled ? "shuffled" : "round-robin";
}

std::optional<Order> order_named(std::string_view name) {
  if (name == "round-robin") return Order::kRoundRobin;
  if (name == "shuffled") return Order::kShuffled;
  return std::nullopt;
}

}  // namespace sqlmeasure
