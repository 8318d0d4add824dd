// The `lockstep` command line: thin commands over tools/runner. Exit codes (DESIGN.md §7):
// 0 every expectation met, 1 a checker or expectation failed, 2 bad input or usage.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "tools/cli/commands.hpp"

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "usage: lockstep <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE|FOLDER [--seed N] [--trace out.jsonl] [--json]\n"
    "      [--timeline out.html] [--perfetto out.json] [--metrics out.prom] [--log [FILE]]\n"
    "                   run a scenario (or every scenario under a folder) and check it\n"
    "  explore FILE --seeds N [--from S] [--jobs J] [--shard i/n] [--json out.json]\n"
    "          [--artifacts DIR] [--swarm] [--stop-on-failure]\n"
    "                   run many seeds; summarize verdicts and metrics; write failing seeds\n"
    "  merge A.json B.json ... [--out FILE]\n"
    "                   combine the JSON of explore shards into one result\n"
    "  replay ARTIFACT  rerun a failure artifact and verify its trace hash\n"
    "  shrink ARTIFACT [--out FILE]\n"
    "                   minimize a failing artifact while the same checker stays violated\n"
    "  check TRACE.jsonl [--checker NAME[:k=v,...]]... [--expect NAME=VERDICT]... [--json]\n"
    "                   run checkers and metrics over an existing trace (docs/trace-format.md)\n"
    "  live FILE [--seed N] [--time-scale F] [--trace out.jsonl] [--json] [--timeline out.html]\n"
    "                   run a scenario for real: one process per node, UDP, real faults\n"
    "  docs check|render [--root DIR]\n"
    "                   verify the pattern docs' claims and generated tables / regenerate them\n"
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
    if (command == "explore") return lockstep::tools::cmd_explore(rest);
    if (command == "merge") return lockstep::tools::cmd_merge(rest);
    if (command == "replay") return lockstep::tools::cmd_replay(rest);
    if (command == "shrink") return lockstep::tools::cmd_shrink(rest);
    if (command == "docs") return lockstep::tools::cmd_docs(rest);
    if (command == "check") return lockstep::tools::cmd_check(rest);
    if (command == "live") return lockstep::tools::cmd_live(rest);
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
