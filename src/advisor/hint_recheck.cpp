// Every index hint of the screens, with and without it (hint_recheck.h).
#include "sqlmeasure/hint_recheck.h"

#include <fmt/format.h>

#include "sqlmeasure/error.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/query_shape.h"

namespace sqlmeasure {

bool HintRecheck::pays(double ratio) const {
  return measured && measured->with_ms > 0 && measured->without_ms >= measured->with_ms * ratio;
}

std::string HintRecheck::describe(double ratio) const {
  const std::string where = fmt::format("{} on {}/{}", hint, screen, query);
  if (!measured) return fmt::format("{}: not measured: {}", where, error.value_or("?"));
  const HintMeasurement& m = *measured;
  const std::string figures =
      fmt::format("with {} ms, without {} ms", format_ms(m.with_ms), format_ms(m.without_ms));
  if (pays(ratio)) {
    return fmt::format("{}: pays {} ({})", where, format_factor(m.without_ms / m.with_ms), figures);
  }
  return fmt::format("{}: does not pay ({}; it pays from {} faster)", where, figures,
                     format_factor(ratio));
}

std::vector<HintRecheck> recheck_hints(Connection& connection, const std::vector<Screen>& screens,
                                       const HintTiming& timing) {
  std::vector<HintRecheck> out;
  for (const Screen& screen : screens) {
    for (const Query& query : screen.queries) {
      for (const IndexHint& hint : read_query_shape(query.sql).hints) {
        // MySQL 8's /*+ INDEX() */ hints are checked by compare; FORCE/USE/IGNORE INDEX here,
        // as `indexes` judges them.
        if (hint.optimizer_hint) continue;
        HintRecheck recheck;
        recheck.screen = screen.name;
        recheck.query = query.name;
        recheck.hint = hint.text;
        recheck.sql_without = remove_range(query.sql, hint.begin, hint.end);
        try {
          recheck.measured = measure_hint(connection, query, recheck.sql_without, timing);
        } catch (const DatabaseError& error) {
          if (error.connection_lost()) throw;
          recheck.error = error.what();
        }
        out.push_back(std::move(recheck));
      }
    }
  }
  return out;
}

}  // namespace sqlmeasure
