// Executable documentation: the pattern pages state claims as a scenario link plus
// `checker: verdict` code spans on one line, and hold generated tables between
// <!-- lockstep:KIND params --> and <!-- /lockstep:KIND --> markers. check_docs verifies every
// claim against the scenario's expect: and a run, and every generated table against a fresh
// rendering; render_docs rewrites the tables.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/catalog.hpp"

namespace lockstep::tools {

struct DocProblem {
  std::string page;  // path as found under the root
  int line = 0;      // 1-based
  std::string what;
};

struct DocsReport {
  std::vector<std::string> pages;
  size_t claims = 0;  // checker: verdict spans checked
  size_t tables = 0;  // generated tables checked or rendered
  std::vector<DocProblem> problems;
  std::vector<std::string> rendered;  // pages render_docs rewrote
};

// The pages: ROOT/docs/patterns/*.md (except TEMPLATE.md) and ROOT/docs/decision-framework.md.
std::vector<std::string> doc_pages(const std::string& root);

// Throws sim::InputError for a malformed marker (unknown kind or parameter).
DocsReport check_docs(const std::string& root, const sim::Catalog& catalog);
DocsReport render_docs(const std::string& root, const sim::Catalog& catalog);

}  // namespace lockstep::tools
