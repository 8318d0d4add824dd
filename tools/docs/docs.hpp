// Executable documentation: the pattern pages state claims in code spans next to a scenario
// link (tools/docs/claims.hpp lists the forms), and hold generated tables between
// <!-- lockstep:KIND params --> and <!-- /lockstep:KIND --> markers (tools/docs/blocks.hpp),
// some of which also generate a file (a Grafana dashboard: tools/docs/dashboard.hpp).
// check_docs verifies every claim against the scenario, its expect: and runs over the stated
// seeds, every generated table against a fresh rendering and the page's record of its tables,
// and that Guarantees and Constraints rows state numbers only as claims; render_docs rewrites
// the tables and adds new ones to the record.
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
  size_t claims = 0;  // claims checked (one per span and linked scenario)
  size_t tables = 0;  // generated tables checked or rendered
  size_t explorations = 0;
  size_t cache_hits = 0;  // explorations read from the cache
  std::vector<DocProblem> problems;
  std::vector<std::string> rendered;  // pages and generated files render_docs (re)wrote
};

struct DocsOptions {
  std::string cache_dir;  // explorations kept between checks; empty: none
};

// The pages: ROOT/docs/patterns/*.md (except TEMPLATE.md) and ROOT/docs/decision-framework.md.
std::vector<std::string> doc_pages(const std::string& root);

// Throws sim::InputError for a malformed marker (unknown kind or parameter).
DocsReport check_docs(const std::string& root, const sim::Catalog& catalog,
                      const DocsOptions& options = {});
DocsReport render_docs(const std::string& root, const sim::Catalog& catalog,
                       const DocsOptions& options = {});

}  // namespace lockstep::tools
