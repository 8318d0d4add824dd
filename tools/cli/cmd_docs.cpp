// `lockstep docs check|render [--root DIR]`: the pattern docs' claims and generated tables.
#include <boost/program_options.hpp>
#include <cstdio>

#include "sim/core/world.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/help.hpp"
#include "tools/docs/docs.hpp"
#include "tools/engine/runner.hpp"

namespace po = boost::program_options;

namespace lockstep::tools {

int cmd_docs(const std::vector<std::string>& args) {
  std::string action;
  std::string root = ".";
  po::options_description opts("docs options");
  opts.add_options()("action", po::value<std::string>(&action)->required(), "check | render")(
      "root", po::value<std::string>(&root), "the project root (default: .)");
  po::positional_options_description pos;
  pos.add("action", 1);
  po::variables_map vm = parse_command("docs", args, opts, pos);
  if (action != "check" && action != "render") throw po::error("docs takes check or render");
  const sim::Catalog catalog = make_catalog();
  try {
    const DocsReport r = action == "check" ? check_docs(root, catalog) : render_docs(root, catalog);
    for (const std::string& page : r.rendered) std::printf("rendered  %s\n", page.c_str());
    for (const DocProblem& p : r.problems) {
      std::printf("%s:%d: %s\n", p.page.c_str(), p.line, p.what.c_str());
    }
    std::printf("docs %s: %zu pages, %zu claims, %zu generated tables, %zu problems\n",
                action.c_str(), r.pages.size(), r.claims, r.tables, r.problems.size());
    return r.problems.empty() ? 0 : 1;
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace lockstep::tools
