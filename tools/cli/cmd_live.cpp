// `lockstep live FILE`: run a scenario for real (tools/live), with the same report as `run`.
// `lockstep live --node-mode ...` is the hidden mode the coordinator starts each node in.
#include <signal.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "sim/io/atomic_file.hpp"
#include "sim/io/loader.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/help.hpp"
#include "tools/engine/runner.hpp"
#include "tools/live/coordinator.hpp"
#include "tools/live/node.hpp"
#include "tools/render/timeline.hpp"
#include "tools/results/report.hpp"

namespace po = boost::program_options;

namespace lockstep::tools {
namespace {

struct LiveArgs {
  std::string target;
  live::LiveOptions options;
  bool json = false;
  std::string timeline;  // the space-time diagram (HTML)
};

LiveArgs parse(const std::vector<std::string>& args) {
  LiveArgs out;
  po::options_description opts("live options");
  opts.add_options()("seed", po::value<uint64_t>(), "seed (default: the scenario's)")(
      "time-scale", po::value<double>(&out.options.time_scale)->default_value(1),
      "multiply every duration of the scenario by F (0.2: five times faster)")(
      "trace", po::value<std::string>(&out.options.trace_path), "write the JSONL trace here")(
      "json", po::bool_switch(&out.json), "print the report as JSON")(
      "timeline", po::value<std::string>(&out.timeline), "write the timeline page (HTML) here")(
      "run-dir", po::value<std::string>(&out.options.run_dir),
      "keep node journals and the ports file here (default: a new temporary directory)")(
      "target", po::value<std::string>(&out.target), "scenario file");
  po::positional_options_description pos;
  pos.add("target", 1);
  po::variables_map vm = parse_command("live", args, opts, pos);
  if (out.target.empty()) throw po::error("missing FILE");
  if (vm.count("seed")) out.options.seed = vm["seed"].as<uint64_t>();
  // Below 0.01 the scenario's milliseconds become tens of microseconds: the machine's own
  // scheduling noise would decide the run.
  if (!(out.options.time_scale >= 0.01 && out.options.time_scale <= 100)) {
    throw po::error("--time-scale must be between 0.01 and 100");
  }
  return out;
}

std::string self_exe() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error("cannot find the lockstep binary (/proc/self/exe)");
  return std::string(buf, static_cast<size_t>(n));
}

nlohmann::json live_json(const live::LiveResult& r, double scale) {
  return {{"time_scale", scale},    {"run_dir", r.run_dir},
          {"ports", r.ports},       {"foreign_datagrams", r.foreign_datagrams},
          {"restarts", r.restarts}, {"interrupted", r.interrupted}};
}

int run_live_command(const LiveArgs& a) {
  const sim::Catalog catalog = make_catalog();
  const sim::Scenario s = sim::load_scenario(a.target, catalog);
  // Name every key the live runtime cannot honour at once, not one per attempt.
  const std::vector<sim::InputError> refusals = live::live_refusals(s);
  for (const sim::InputError& e : refusals) std::fprintf(stderr, "%s\n", e.what());
  if (!refusals.empty()) return 2;
  live::LiveOptions options = a.options;
  options.self_exe = self_exe();
  ::signal(SIGPIPE, SIG_IGN);  // a dead node's pipe must not kill the coordinator
  std::unique_ptr<TimelineSink> timeline;
  std::unique_ptr<sim::AtomicFile> timeline_file;
  if (!a.timeline.empty()) {
    timeline = std::make_unique<TimelineSink>();
    timeline_file = std::make_unique<sim::AtomicFile>(a.timeline);
    if (!timeline_file->ok()) {
      throw sim::InputError(a.timeline, 0, 0, "", "cannot create the file");
    }
    options.extra_sinks.push_back(timeline.get());
  }
  const live::LiveResult r = live::run_live(s, options);
  if (timeline) {
    const TimelineMeta meta{s.summary, sim::hash_hex(r.report.hash), "lockstep live " + s.file};
    timeline_file->write(timeline->html(r.report.results, meta));
    if (!timeline_file->commit()) throw sim::InputError(a.timeline, 0, 0, "", "cannot write it");
  }
  if (a.json) {
    nlohmann::json j = render_json(s, r.report);
    j["live"] = live_json(r, options.time_scale);
    std::cout << j.dump(2) << "\n";
  } else {
    std::fputs(render_text(s, r.report).c_str(), stdout);
    std::printf(
        "live: time scale %g, %zu node processes, %lld restarts, %lld foreign datagrams "
        "dropped%s%s\n",
        options.time_scale, r.ports.size(), static_cast<long long>(r.restarts),
        static_cast<long long>(r.foreign_datagrams), a.options.run_dir.empty() ? "" : ", run dir ",
        a.options.run_dir.c_str());
  }
  if (r.interrupted) {
    std::fprintf(stderr, "lockstep live: interrupted; every node process was killed\n");
    return 2;
  }
  return r.report.all_met() ? 0 : 1;
}

}  // namespace

int cmd_live(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "--node-mode") {
    try {
      return live::node_main(live::parse_node_args({args.begin() + 1, args.end()}));
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "lockstep live: %s\n", e.what());
      return 2;
    }
  }
  const LiveArgs a = parse(args);
  try {
    return run_live_command(a);
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "lockstep live: %s: %s\n", a.target.c_str(), e.what());
    return 2;
  }
}

}  // namespace lockstep::tools
