// `lockstep replay ARTIFACT` and `lockstep shrink ARTIFACT`.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>

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

std::string single_file(const std::vector<std::string>& args, const char* command) {
  std::string file;
  po::options_description opts(std::string(command) + " options");
  opts.add_options()("file", po::value<std::string>(&file)->required(), "artifact file");
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

namespace {

struct ShrinkArgs {
  std::string file;
  std::string out;        // -o / --out
  std::string checker;    // --checker: the one to keep violated
  std::string artifacts;  // where the shrunk file goes for a plain scenario
};

ShrinkArgs parse_shrink(const std::vector<std::string>& args) {
  ShrinkArgs a;
  po::options_description opts("shrink options");
  opts.add_options()("file", po::value<std::string>(&a.file)->required(), "artifact or scenario")(
      "out,o", po::value<std::string>(&a.out),
      "write the shrunk artifact here (default: beside an artifact, else in --artifacts)")(
      "checker", po::value<std::string>(&a.checker),
      "keep this checker violated (default: the artifact's, else the first violated)")(
      "artifacts", po::value<std::string>(&a.artifacts)->default_value("lockstep-artifacts"),
      "where the shrunk file of a plain scenario goes");
  po::positional_options_description pos;
  pos.add("file", 1);
  parse_command("shrink", args, opts, pos);
  return a;
}

// The checker to keep violated: --checker (configured and violated with the seed), else the
// artifact's, else the first violated.
std::string shrink_target(const sim::Scenario& s, const ShrinkArgs& a) {
  if (a.checker.empty() && !s.artifact.violated.empty()) return s.artifact.violated;
  const RunReport r = run_scenario(s, RunOptions::with_seed(s.seed));
  if (a.checker.empty()) return first_violated(r);
  std::string violated;
  for (const checkers::CheckResult& c : r.results) {
    if (c.checker == a.checker && c.verdict == sim::Verdict::violated) return a.checker;
    if (c.verdict == sim::Verdict::violated) violated += (violated.empty() ? "" : ", ") + c.checker;
  }
  const bool configured =
      std::any_of(s.checkers.begin(), s.checkers.end(),
                  [&](const sim::CheckerConfig& c) { return c.name == a.checker; });
  throw sim::InputError(
      "--checker " + a.checker, 0, 0, "",
      (configured ? "not violated in " + a.file + " with seed " + std::to_string(s.seed)
                  : "not among the checkers of " + a.file) +
          (violated.empty() ? std::string("; none is violated") : "; violated: " + violated));
}

// Beside an artifact (already in an artifacts folder); a plain scenario's goes to --artifacts,
// never next to the scenario (a repository's scenarios/ folder).
std::string shrink_output(const sim::Scenario& s, const ShrinkArgs& a) {
  if (!a.out.empty()) return a.out;
  if (s.artifact.present) {
    return a.file.ends_with(".yaml") ? a.file.substr(0, a.file.size() - 5) + ".shrunk.yaml"
                                     : a.file + ".shrunk.yaml";
  }
  std::error_code ec;
  std::filesystem::create_directories(a.artifacts, ec);
  std::string name = artifact_file_name(s.name, s.seed);
  name.replace(name.size() - 5, 5, ".shrunk.yaml");
  return (std::filesystem::path(a.artifacts) / name).string();
}

}  // namespace

int cmd_shrink(const std::vector<std::string>& args) {
  const ShrinkArgs a = parse_shrink(args);
  const sim::Catalog catalog = make_catalog();
  try {
    const sim::Scenario s = sim::load_scenario(a.file, catalog);
    if (!s.nemeses.empty()) {
      throw sim::InputError(a.file, 0, 0, "faults",
                            "shrink needs a concrete fault list: give it an artifact written by "
                            "explore --artifacts, not a scenario with a nemesis");
    }
    const std::string checker = shrink_target(s, a);
    if (checker.empty()) {
      throw sim::InputError(
          a.file, 0, 0, "",
          "no checker is violated with seed " + std::to_string(s.seed) + ": nothing to shrink");
    }
    const std::string out = shrink_output(s, a);
    std::printf("shrinking %s (seed %llu) while %s stays violated\n", a.file.c_str(),
                static_cast<unsigned long long>(s.seed), checker.c_str());
    const ShrinkResult r = shrink(
        s, s.seed, checker, [](const std::string& line) { std::printf("  %s\n", line.c_str()); });
    const Artifact art = make_artifact(r.scenario, s.seed, false, checker);
    if (!sim::write_file_atomically(out, art.text)) {
      throw sim::InputError(out, 0, 0, "", "cannot write the shrunk artifact here");
    }
    std::printf(
        "before    %s\nafter     %s\n(%llu candidate runs)\nwritten   %s\nreplay    %s replay %s\n",
        stats_line(r.before).c_str(), stats_line(r.after).c_str(),
        static_cast<unsigned long long>(r.runs), out.c_str(), invoked_name().c_str(), out.c_str());
    return 0;
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace lockstep::tools
