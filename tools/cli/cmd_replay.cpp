// `lockstep replay ARTIFACT` and `lockstep shrink ARTIFACT`.
#include <boost/program_options.hpp>
#include <cstdio>

#include "sim/core/world.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/scenario_writer.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/help.hpp"
#include "tools/engine/artifact.hpp"
#include "tools/engine/shrink.hpp"

namespace po = boost::program_options;

namespace lockstep::tools {
namespace {

std::string single_file(const std::vector<std::string>& args, const char* command,
                        std::string* out = nullptr) {
  std::string file;
  po::options_description opts(std::string(command) + " options");
  opts.add_options()("file", po::value<std::string>(&file)->required(), "artifact file");
  if (out != nullptr)
    opts.add_options()("out", po::value<std::string>(out), "write the result here");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm = parse_command(command, args, opts, pos);
  return file;
}

std::string stats_line(const ShrinkStats& s) {
  return std::to_string(s.faults) + " faults, " + sim::format_duration(s.duration) + ", " +
         std::to_string(s.nodes) + " nodes, " + std::to_string(s.events) + " events";
}

}  // namespace

int cmd_replay(const std::vector<std::string>& args) {
  const std::string file = single_file(args, "replay");
  const sim::Catalog catalog = make_catalog();
  try {
    const sim::Scenario s = sim::load_scenario(file, catalog);
    const ReplayOutcome r = replay_artifact(s);
    std::printf("artifact  %s (from %s, seed %llu)\n", file.c_str(), s.artifact.source.c_str(),
                static_cast<unsigned long long>(s.seed));
    for (const checkers::CheckResult& c : r.report.results) {
      std::printf("  %-20s %s\n", c.checker.c_str(),
                  std::string(sim::verdict_name(c.verdict)).c_str());
    }
    if (r.reproduced) {
      std::printf("reproduced: trace hash %s matches (%llu events)\n", r.actual_hash.c_str(),
                  static_cast<unsigned long long>(r.report.trace_events));
      return 0;
    }
    std::printf("NOT reproduced: trace hash %s, the artifact expects %s\n%s\n",
                r.actual_hash.c_str(), r.expected_hash.c_str(), r.divergence.c_str());
    return 1;
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

int cmd_shrink(const std::vector<std::string>& args) {
  std::string out;
  const std::string file = single_file(args, "shrink", &out);
  if (out.empty()) {
    out = file.ends_with(".yaml") ? file.substr(0, file.size() - 5) + ".shrunk.yaml"
                                  : file + ".shrunk.yaml";
  }
  const sim::Catalog catalog = make_catalog();
  try {
    const sim::Scenario s = sim::load_scenario(file, catalog);
    if (!s.nemeses.empty()) {
      throw sim::InputError(file, 0, 0, "faults",
                            "shrink needs a concrete fault list: give it an artifact written by "
                            "explore --artifacts, not a scenario with a nemesis");
    }
    std::string checker = s.artifact.violated;
    if (checker.empty()) {
      const RunReport r = run_scenario(s, RunOptions::with_seed(s.seed));
      checker = first_violated(r);
    }
    if (checker.empty()) {
      throw sim::InputError(
          file, 0, 0, "",
          "no checker is violated with seed " + std::to_string(s.seed) + ": nothing to shrink");
    }
    std::printf("shrinking %s (seed %llu) while %s stays violated\n", file.c_str(),
                static_cast<unsigned long long>(s.seed), checker.c_str());
    const ShrinkResult r = shrink(
        s, s.seed, checker, [](const std::string& line) { std::printf("  %s\n", line.c_str()); });
    const Artifact art = make_artifact(r.scenario, s.seed, false);
    if (!sim::write_file_atomically(out, art.text)) {
      throw sim::InputError(out, 0, 0, "", "cannot write the shrunk artifact here");
    }
    std::printf(
        "before    %s\nafter     %s\n(%llu candidate runs)\nwritten   %s\nreplay    lockstep "
        "replay %s\n",
        stats_line(r.before).c_str(), stats_line(r.after).c_str(),
        static_cast<unsigned long long>(r.runs), out.c_str(), out.c_str());
    return 0;
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace lockstep::tools
