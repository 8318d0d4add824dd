// `lockstep explore` and `lockstep merge`: many seeds of one scenario, in parallel and in shards.
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "sim/core/world.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/scenario_writer.hpp"
#include "sim/io/yaml_guard.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/explore_sweep.hpp"
#include "tools/cli/help.hpp"
#include "tools/engine/artifact.hpp"
#include "tools/engine/shard.hpp"
#include "tools/engine/sweep.hpp"
#include "tools/render/explore_export.hpp"
#include "tools/results/explore_json.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace lockstep::tools {
namespace {

// Set by SIGINT. A signal handler can only reach a global; nothing else in lockstep is one.
std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted = true; }

struct ExploreArgs {
  std::string file;
  ExploreOptions options;
  std::string shard;
  std::string json;
  std::string metrics;  // OpenMetrics text of the aggregate
  std::string csv;      // one row per seed
  std::string artifacts;
  size_t max_artifacts = 10;
  std::vector<std::string> sweeps;  // KEY=V1,V2,...
  std::string sweep_csv;
  std::string plot;
  std::string plot_metric;
};

ExploreArgs parse(const std::vector<std::string>& args) {
  ExploreArgs a;
  uint64_t seeds = 0;
  std::string judge;
  po::options_description opts("explore options");
  opts.add_options()("seeds", po::value<uint64_t>(&seeds)->required(), "how many seeds")(
      "from", po::value<uint64_t>(&a.options.from)->default_value(1), "first seed")(
      "jobs", po::value<unsigned>(&a.options.jobs)->default_value(1), "worker threads")(
      "shard", po::value<std::string>(&a.shard),
      "i/n: run the i-th of n shares of the seeds; auto: from the job runner's environment")(
      "json", po::value<std::string>(&a.json), "write the results as JSON here")(
      "metrics", po::value<std::string>(&a.metrics),
      "write the metrics over all seeds as OpenMetrics text here")(
      "csv", po::value<std::string>(&a.csv), "write one CSV row per seed here")(
      "artifacts", po::value<std::string>(&a.artifacts), "write failing seeds here")(
      "max-artifacts", po::value<size_t>(&a.max_artifacts)->default_value(10), "at most this many")(
      "swarm", po::bool_switch(&a.options.swarm), "draw the scenario's swarm ranges per seed")(
      "stop-on-failure", po::bool_switch(&a.options.stop_on_failure), "stop at the first failure")(
      "judge", po::value<std::string>(&judge)->default_value("expectation"),
      "what fails a seed: expectation (not what expect: says) or violation (any violated checker)")(
      "sweep", po::value<std::vector<std::string>>(&a.sweeps),
      "KEY=V1,V2,...: explore every value (repeat for a grid), e.g. protocol.params.lease=5s,10s")(
      "sweep-csv", po::value<std::string>(&a.sweep_csv), "write the sweep's table as CSV here")(
      "plot", po::value<std::string>(&a.plot), "write the sweep's plot as SVG here")(
      "plot-metric", po::value<std::string>(&a.plot_metric),
      "the metric the sweep's table and plot show (default: the first the runs report)")(
      "file", po::value<std::string>(&a.file)->required(), "scenario file");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm = parse_command("explore", args, opts, pos);
  a.options.seeds = seeds;
  if (judge != "expectation" && judge != "violation") {
    throw po::error("--judge takes expectation or violation, got '" + judge + "'");
  }
  a.options.judge = judge == "violation" ? Judge::violation : Judge::expectation;
  if (seeds == 0) throw po::error("--seeds must be at least 1");
  if (a.options.jobs == 0) throw po::error("--jobs must be at least 1");
  if (!a.shard.empty()) {
    try {
      const Shard shard = parse_shard(a.shard, [](const char* name) { return std::getenv(name); });
      a.options.shard_index = shard.index;
      a.options.shard_count = shard.count;
      if (a.shard == "auto") {
        std::fprintf(stderr, "explore: shard %llu/%llu (from %s)\n",
                     static_cast<unsigned long long>(shard.index + 1),
                     static_cast<unsigned long long>(shard.count), shard.source.c_str());
      }
    } catch (const std::invalid_argument& e) {
      throw po::error(e.what());
    }
  }
  return a;
}

// A progress bar on a terminal; plain lines (about every 10%) otherwise.
struct Progress {
  bool tty = isatty(STDERR_FILENO) != 0;
  uint64_t last_decile = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  void operator()(uint64_t done, uint64_t total, uint64_t failures) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
    if (tty) {
      constexpr int kWidth = 30;
      const int filled = total ? static_cast<int>(kWidth * done / total) : kWidth;
      std::fprintf(stderr, "\r[%-*s] %llu/%llu seeds  %.0f/s  ETA %.0fs  failures %llu ", kWidth,
                   std::string(static_cast<size_t>(filled), '#').c_str(),
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                   rate, eta, static_cast<unsigned long long>(failures));
      return;
    }
    const uint64_t decile = total ? done * 10 / total : 10;
    if (decile > last_decile) {
      last_decile = decile;
      std::fprintf(stderr, "explore: %llu/%llu seeds, %.0f/s, %llu failures\n",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                   rate, static_cast<unsigned long long>(failures));
    }
  }
  void finish() {
    if (tty) std::fputc('\n', stderr);
  }
};

void write_json(const std::string& path, const nlohmann::json& j) {
  if (!sim::write_file_atomically(path, j.dump(2) + "\n")) {
    throw sim::InputError(path, 0, 0, "", "cannot write the JSON results here");
  }
}

void write_artifacts(const sim::Scenario& s, const ExploreResult& r, const ExploreArgs& a) {
  if (a.artifacts.empty()) return;
  std::error_code ec;
  fs::create_directories(a.artifacts, ec);
  size_t written = 0;
  for (uint64_t seed : r.failing_seeds()) {
    // Kept after Ctrl-C too: the failures already found are what an interrupted run is for.
    if (written == a.max_artifacts) break;
    const Artifact art = make_artifact(s, seed, a.options.swarm);
    const std::string path = (fs::path(a.artifacts) / artifact_file_name(s.name, seed)).string();
    if (!sim::write_file_atomically(path, art.text)) {
      throw sim::InputError(path, 0, 0, "", "cannot write the artifact here");
    }
    const std::string violated = first_violated(art.report);
    std::printf("artifact  %s  (%s; replay: %s replay %s)\n", path.c_str(),
                violated.empty() ? "expectations not met" : (violated + " violated").c_str(),
                invoked_name().c_str(), path.c_str());
    ++written;
  }
}

int sweep(const sim::Catalog& catalog, const ExploreArgs& a,
          const std::vector<sim::SweepAxis>& axes) {
  if (!a.metrics.empty()) throw po::error("--metrics takes one exploration, not a sweep");
  SweepArgs args{a.file, axes, a.options, a.json, a.csv, a.sweep_csv, a.plot, a.plot_metric, {}};
  args.write_artifacts = [&](const sim::Scenario& s, const ExploreResult& r) {
    write_artifacts(s, r, a);
  };
  const int code = explore_sweep(catalog, args);
  std::signal(SIGINT, SIG_DFL);
  return code;
}

}  // namespace

int cmd_explore(const std::vector<std::string>& args) {
  ExploreArgs a = parse(args);
  const sim::Catalog catalog = make_catalog();
  try {
    const sim::Scenario s = sim::load_scenario(a.file, catalog);
    for (const std::string& w : s.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (a.options.swarm && !s.swarm.declared) {
      std::fprintf(stderr, "warning: --swarm, but %s declares no swarm: ranges\n", a.file.c_str());
    }
    g_interrupted = false;
    std::signal(SIGINT, on_sigint);
    Progress progress;
    a.options.interrupted = &g_interrupted;
    a.options.on_progress = [&](uint64_t d, uint64_t t, uint64_t f) { progress(d, t, f); };
    std::vector<sim::SweepAxis> cli_axes;
    for (const std::string& arg : a.sweeps) cli_axes.push_back(parse_sweep_arg(arg));
    const std::vector<sim::SweepAxis> axes = sweep_axes(s.sweep, cli_axes);
    if (!axes.empty()) return sweep(catalog, a, axes);
    if (!a.sweep_csv.empty() || !a.plot.empty() || !a.plot_metric.empty()) {
      throw po::error("--sweep-csv, --plot and --plot-metric need a sweep (--sweep or sweep:)");
    }
    // Created before the first seed runs, so a path that cannot be written fails at once.
    std::unique_ptr<sim::AtomicFile> metrics_out = open_output(a.metrics);
    std::unique_ptr<sim::AtomicFile> csv_out = open_output(a.csv);
    const ExploreResult r = explore(s, a.options);
    progress.finish();
    std::fputs(explore_summary(r).c_str(), stdout);
    std::printf("wall time %.2f s: %.1f seeds/s\n", r.wall_seconds,
                r.wall_seconds > 0 ? static_cast<double>(r.runs.size()) / r.wall_seconds : 0.0);
    if (!a.json.empty()) {
      // Streamed a run at a time: 200,000 seeds never become one JSON document in memory.
      sim::AtomicFile out(a.json);
      write_explore_json(r, [&](std::string_view bytes) { out.write(bytes); });
      if (!out.commit()) {
        throw sim::InputError(a.json, 0, 0, "",
                              "cannot write the JSON results here (" + out.error() + ")");
      }
    }
    commit_output(metrics_out, explore_openmetrics(r));
    commit_output(csv_out, explore_csv(r));
    write_artifacts(s, r, a);
    // Only now: a second Ctrl-C while the results are written must not lose them.
    std::signal(SIGINT, SIG_DFL);
    if (r.interrupted) return 130;
    return r.failures() > 0 ? 1 : 0;
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const sim::LimitError& e) {
    std::fprintf(stderr, "%s: %s\n", a.file.c_str(), e.what());
    return 2;
  }
}

int cmd_merge(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string out;
  po::options_description opts("merge options");
  opts.add_options()("out", po::value<std::string>(&out),
                     "write the merged JSON here (default: stdout)")(
      "files", po::value<std::vector<std::string>>(&files)->required(), "explore --json files");
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm = parse_command("merge", args, opts, pos);
  try {
    std::vector<ExploreResult> parts;
    for (const std::string& f : files) {
      // Regular files only, bounded: a directory or FIFO is an error, not a hang or a crash.
      const std::string text = sim::read_regular_file(f, 1u << 30, "explore result");
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(text);
      } catch (const nlohmann::json::exception& e) {
        throw sim::InputError(f, 0, 0, "", std::string("not JSON: ") + e.what());
      }
      parts.push_back(explore_from_json(j, f));
    }
    const nlohmann::json merged = explore_json(merge_explorations(parts, files));
    if (out.empty()) {
      std::cout << merged.dump(2) << "\n";
    } else {
      write_json(out, merged);
    }
    return 0;
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace lockstep::tools
