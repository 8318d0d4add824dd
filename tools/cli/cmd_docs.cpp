// `lockstep docs check|render [--root DIR] [--cache DIR | --no-cache]`: the pattern docs'
// claims, generated tables and generated dashboards.
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>

#include "sim/core/world.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/help.hpp"
#include "tools/docs/docs.hpp"
#include "tools/engine/runner.hpp"

namespace po = boost::program_options;

namespace lockstep::tools {
namespace {

// What --help shows after the synopsis: what check verifies, in the page's own terms.
constexpr const char* kDocsHelp =
    "What docs check verifies, on docs/patterns/*.md and docs/decision-framework.md:\n"
    "  claims, code spans on a line that links a scenario (each judged on every link):\n"
    "    `CHECKER: holds|violated|inconclusive`   the scenario's expect: and its default seed\n"
    "    `CHECKER: holds on 500/500 seeds`        exactly K of seeds 1..N\n"
    "    `CHECKER: violated on >= 1 of 2000 seeds` also <=, >, <, =\n"
    "    `p99(METRIC) <= 15s over 500 seeds`      min, max, mean, pNN (nearest rank)\n"
    "    `PARAM = VALUE`, `CHECKER.PARAM = VALUE`, `a.b.c = VALUE`  scenario settings\n"
    "    `PROTOCOL.PARAM = VALUE`                 a protocol default (no link needed)\n"
    "  an unknown checker, metric or param, a malformed claim, a missing scenario: an error\n"
    "  Guarantees and Constraints rows: numbers only in claims, scenarios only as links\n"
    "  generated tables (<!-- lockstep:metrics|compare|params ... -->) match a fresh\n"
    "  rendering and the page's <!-- lockstep:tables ... --> record\n"
    "  <!-- lockstep:dashboard scenario=F out=FILE.json -->: the Grafana dashboard of the\n"
    "    metric families `run F --metrics` exports (default seed) matches a fresh rendering\n"
    "    byte for byte, and so does the page's link and panel list; out= must be a .json path\n"
    "    inside the root (render writes it)\n"
    "  every pattern page has the numbered sections and named subsections of\n"
    "    docs/patterns/TEMPLATE.md's outline, in its order, none of them empty\n"
    "Every problem is printed as page:line; checking goes on after one.\n\n"
    "docs options";

}  // namespace

int cmd_docs(const std::vector<std::string>& args) {
  std::string action;
  std::string root = ".";
  std::string cache;
  po::options_description opts(kDocsHelp);
  opts.add_options()("action", po::value<std::string>(&action)->required(), "check | render")(
      "root", po::value<std::string>(&root), "the project root (default: .)")(
      "cache", po::value<std::string>(&cache),
      "where explorations are kept between runs (default: ROOT/build/docs-cache); an entry is "
      "keyed by the scenario's bytes, the trace hash version and this binary's bytes")(
      "no-cache", "explore every claim afresh");
  po::positional_options_description pos;
  pos.add("action", 1);
  po::variables_map vm = parse_command("docs", args, opts, pos);
  if (action != "check" && action != "render") throw po::error("docs takes check or render");
  DocsOptions options;
  if (!vm.count("no-cache")) {
    options.cache_dir =
        cache.empty() ? (std::filesystem::path(root) / "build" / "docs-cache").string() : cache;
  }
  const sim::Catalog catalog = make_catalog();
  try {
    const DocsReport r = action == "check" ? check_docs(root, catalog, options)
                                           : render_docs(root, catalog, options);
    for (const std::string& page : r.rendered) std::printf("rendered  %s\n", page.c_str());
    for (const DocProblem& p : r.problems) {
      std::printf("%s:%d: %s\n", p.page.c_str(), p.line, p.what.c_str());
    }
    std::printf(
        "docs %s: %zu pages, %zu claims, %zu generated tables, %zu explorations (%zu cached), "
        "%zu problems\n",
        action.c_str(), r.pages.size(), r.claims, r.tables, r.explorations, r.cache_hits,
        r.problems.size());
    return r.problems.empty() ? 0 : 1;
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace lockstep::tools
