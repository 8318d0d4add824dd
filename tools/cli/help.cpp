#include "tools/cli/help.hpp"

#include <algorithm>
#include <iostream>

namespace po = boost::program_options;

namespace lockstep::tools {

const std::vector<CommandHelp>& command_help() {
  static const std::vector<CommandHelp> kCommands = {
      {"run",
       "run FILE|FOLDER [--seed N] [--trace out.jsonl] [--json]\n"
       "      [--timeline out.html] [--perfetto out.json] [--metrics out.prom] [--log [FILE]]\n"
       "      [--progress N]",
       "run a scenario (or every scenario under a folder) and check it"},
      {"explore",
       "explore FILE --seeds N [--from S] [--jobs J] [--shard i/n|auto] [--json out.json]\n"
       "      [--metrics out.prom] [--csv out.csv] [--artifacts DIR] [--swarm]\n"
       "      [--stop-on-failure] [--judge expectation|violation]\n"
       "      [--sweep KEY=V1,V2,...]... [--sweep-csv out.csv] [--plot out.svg] [--plot-metric M]",
       "run many seeds; judge each by expect:; summarize verdicts and metrics"},
      {"merge", "merge A.json B.json ... [--out FILE]",
       "combine the JSON of explore shards into one result"},
      {"replay", "replay ARTIFACT", "rerun a failure artifact and verify its trace hash"},
      {"shrink", "shrink ARTIFACT|SCENARIO [--checker NAME] [-o FILE] [--artifacts DIR]",
       "minimize a failing artifact while the same checker stays violated"},
      {"check",
       "check TRACE.jsonl [--checker NAME[:k=v,...]]... [--expect NAME=VERDICT]... [--json]\n"
       "      | check --history FILE --model lock|register|cas|mixed [--max-steps N] [--json]",
       "run checkers and metrics over a trace, or check a client history for linearizability"},
      {"live",
       "live FILE [--seed N] [--time-scale F] [--trace out.jsonl] [--json] [--timeline out.html]",
       "run a scenario for real: one process per node, UDP, real faults"},
      {"docs", "docs check|render [--root DIR] [--cache DIR | --no-cache]",
       "verify the pattern docs' claims, generated tables and dashboards / regenerate them"},
      {"list", "list [--json]",
       "protocols with every param, checkers, metrics, fault kinds (--json: as one JSON document)"},
      {"schema", "schema [--out FILE]",
       "the scenario format as a JSON Schema (docs/scenario.schema.json, for editors)"},
  };
  return kCommands;
}

bool print_help_if_asked(const std::string& command, const std::vector<std::string>& args,
                         const po::options_description* opts) {
  const bool asked = std::any_of(args.begin(), args.end(),
                                 [](const std::string& a) { return a == "--help" || a == "-h"; });
  if (!asked) return false;
  for (const CommandHelp& c : command_help()) {
    if (command != c.name) continue;
    std::cout << "usage: lockstep " << c.synopsis << "\n\n" << c.summary << ".\n";
    if (opts != nullptr) std::cout << "\n" << *opts;
    std::cout << "\nexit codes: 0 every expectation met, 1 a checker or expectation failed, 2 bad "
                 "input. More: docs/cli.md\n";
  }
  return true;
}

po::variables_map parse_command(const std::string& command, const std::vector<std::string>& args,
                                po::options_description& opts,
                                const po::positional_options_description& pos) {
  if (print_help_if_asked(command, args, &opts)) throw HelpShown{};
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
  po::notify(vm);
  return vm;
}

}  // namespace lockstep::tools
