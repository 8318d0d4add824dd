// The `lockstep` command line: thin commands over tools/runner. Exit codes (DESIGN.md §7):
// 0 every expectation met, 1 a checker or expectation failed, 2 bad input or usage.
// A library function (tools/cli/cli_main.hpp): tools/cli/lockstep_main.cpp is the `lockstep`
// program, and a program with protocols of its own calls it the same way.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "tools/cli/cli_main.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/help.hpp"
#include "tools/engine/runner.hpp"
#include "tools/render/timeline.hpp"

namespace po = boost::program_options;

namespace {

std::string usage() {
  std::string out = "usage: lockstep <command> [options]   (lockstep <command> --help for one)\n\n";
  out += "commands:\n";
  for (const lockstep::tools::CommandHelp& c : lockstep::tools::command_help()) {
    out += "  " + std::string(c.synopsis) + "\n                   " + c.summary + "\n";
  }
  out += "\nexit codes: 0 every expectation met, 1 a checker or expectation failed, 2 bad input\n";
  return out;
}

// The program's version and the versions of what it writes, so a trace or a hash can be matched
// to the build that made it.
std::string version() {
  return "lockstep " LOCKSTEP_VERSION
         "\ntrace format: JSONL, docs/trace-format.md\ntrace hash: version " +
         std::to_string(lockstep::sim::kTraceHashVersion) +
         " (XXH64 lanes)\ntimeline data: version " +
         std::to_string(lockstep::tools::kTimelineDataVersion) + "\n";
}

// A program's extra protocols that contradict themselves or a built-in one (a duplicate name, a
// field with two types) stop it before any command, with the catalog's reason.
bool extra_protocols_fit() {
  if (lockstep::tools::extra_protocol_specs().empty()) return true;
  try {
    lockstep::tools::make_catalog();
    return true;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "lockstep: the program's extra protocols do not fit the catalog: %s\n",
                 e.what());
    return false;
  }
}

}  // namespace

int lockstep::tools::cli_main(int argc, char** argv) {
  if (!extra_protocols_fit()) return 2;
  if (argc < 2) {
    std::fputs(usage().c_str(), stderr);
    return 2;
  }
  const std::string command = argv[1];
  std::vector<std::string> rest(argv + 2, argv + argc);
  try {
    if (command == "run") return lockstep::tools::cmd_run(rest);
    if (command == "list") return lockstep::tools::cmd_list(rest);
    if (command == "explore") return lockstep::tools::cmd_explore(rest);
    if (command == "merge") return lockstep::tools::cmd_merge(rest);
    if (command == "replay") return lockstep::tools::cmd_replay(rest);
    if (command == "shrink") return lockstep::tools::cmd_shrink(rest);
    if (command == "docs") return lockstep::tools::cmd_docs(rest);
    if (command == "check") return lockstep::tools::cmd_check(rest);
    if (command == "live") return lockstep::tools::cmd_live(rest);
    if (command == "schema") return lockstep::tools::cmd_schema(rest);
    if (command == "--version" || command == "version") {
      std::fputs(version().c_str(), stdout);
      return 0;
    }
    if (command == "help" || command == "--help" || command == "-h") {
      std::fputs(usage().c_str(), stdout);
      return 0;
    }
    std::fprintf(stderr, "lockstep: unknown command '%s'\n\n%s", command.c_str(), usage().c_str());
    return 2;
  } catch (const lockstep::tools::HelpShown&) {
    return 0;
  } catch (const po::error& e) {
    std::fprintf(stderr, "lockstep %s: %s\n", command.c_str(), e.what());
    return 2;
  }
}
