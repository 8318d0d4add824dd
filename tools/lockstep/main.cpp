// The `lockstep` command line: thin commands over tools/runner. Exit codes (DESIGN.md §7):
// 0 every expectation met, 1 a checker or expectation failed, 2 bad input or usage.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "tools/commands.hpp"

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "usage: lockstep <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE|FOLDER [--seed N] [--trace out.jsonl] [--json]\n"
    "                   run a scenario (or every scenario under a folder) and check it\n"
    "  list             protocols with every param, checkers, fault kinds\n"
    "\n"
    "exit codes: 0 every expectation met, 1 a checker or expectation failed, 2 bad input\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = argv[1];
  std::vector<std::string> rest(argv + 2, argv + argc);
  try {
    if (command == "run") return lockstep::tools::cmd_run(rest);
    if (command == "list") return lockstep::tools::cmd_list(rest);
    if (command == "help" || command == "--help" || command == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "lockstep: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const po::error& e) {
    std::fprintf(stderr, "lockstep %s: %s\n", command.c_str(), e.what());
    return 2;
  }
}
