// `lockstep schema`: the scenario format as a JSON Schema, from the loader's key tables and this
// build's catalog (tools/render/scenario_schema.hpp). docs/scenario.schema.json is its output.
#include <cstdio>
#include <string>

#include "sim/io/atomic_file.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/help.hpp"
#include "tools/engine/runner.hpp"
#include "tools/render/scenario_schema.hpp"

namespace lockstep::tools {

int cmd_schema(const std::vector<std::string>& args) {
  if (print_help_if_asked("schema", args)) return 0;
  const bool to_file = args.size() == 2 && args[0] == "--out";
  if (!args.empty() && !to_file) {
    std::fprintf(stderr, "lockstep schema: takes no arguments but --out FILE\n");
    return 2;
  }
  const sim::Catalog catalog = make_catalog();
  const std::string schema = scenario_schema(catalog);
  if (!to_file) {
    std::fputs(schema.c_str(), stdout);
    return 0;
  }
  if (!sim::write_file_atomically(args[1], schema)) {
    std::fprintf(stderr, "lockstep schema: cannot write %s\n", args[1].c_str());
    return 2;
  }
  return 0;
}

}  // namespace lockstep::tools
