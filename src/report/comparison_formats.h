#pragma once
// compare's renderers, one file per format; render_comparison (render.h) picks one. Private
// to src/report/.
#include <ostream>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/render.h"

namespace sqlmeasure {

void render_comparison_table(const Comparison& comparison, const Style& style, std::ostream& out);
// The Markdown for a pull-request comment (comparison_markdown.cpp).
void render_comparison_markdown(const Comparison& comparison, const Style& style,
                                std::ostream& out);
void render_comparison_csv(const Comparison& comparison, std::ostream& out);
void render_comparison_json(const Comparison& comparison, std::ostream& out);
void render_comparison_junit(const Comparison& comparison, std::ostream& out);

}  // namespace sqlmeasure
