// The skeleton every pattern page keeps: the numbered `## N.` sections and named `###`
// subsections of docs/patterns/TEMPLATE.md's page outline (the part after its
// "# NAME OF THE PATTERN" line), in the template's order. A page may add headings of its own.
#pragma once

#include <string>
#include <vector>

#include "tools/docs/docs.hpp"

namespace lockstep::tools {

struct Heading {
  std::string text;  // the whole heading line, e.g. "### Topology"
  int line = 0;      // 1-based
};

// The `##` and `###` headings of a page, outside code fences. With `outline_only`, only those
// after the template's "# NAME OF THE PATTERN" line.
std::vector<Heading> page_headings(const std::vector<std::string>& lines, bool outline_only);

// Reports, at page:line, each template heading the page lacks or holds out of order.
void check_sections(const std::string& rel, const std::vector<std::string>& lines,
                    const std::vector<Heading>& skeleton, DocsReport& report);

}  // namespace lockstep::tools
