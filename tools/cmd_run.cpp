// `lockstep run FILE|FOLDER`: load, run, check, report.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "sim/world.hpp"
#include "tools/commands.hpp"
#include "tools/report.hpp"
#include "tools/runner.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace lockstep::tools {
namespace {

struct RunArgs {
  std::string target;
  std::optional<uint64_t> seed;
  std::string trace;
  bool json = false;
};

RunArgs parse(const std::vector<std::string>& args) {
  RunArgs out;
  po::options_description opts("run options");
  opts.add_options()("seed", po::value<uint64_t>(), "seed (default: the scenario's)")(
      "trace", po::value<std::string>(&out.trace), "write the JSONL trace here")(
      "json", po::bool_switch(&out.json), "print the report as JSON")(
      "target", po::value<std::string>(&out.target), "scenario file or folder");
  po::positional_options_description pos;
  pos.add("target", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
  po::notify(vm);
  if (out.target.empty()) throw po::error("missing FILE|FOLDER");
  if (vm.count("seed")) out.seed = vm["seed"].as<uint64_t>();
  return out;
}

// Every .yaml under `folder`, sorted, so folder runs are reproducible.
std::vector<std::string> scenario_files(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
      files.push_back(entry.path().generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string verdict_summary(const RunReport& r) {
  std::string out;
  for (size_t i = 0; i < r.results.size(); ++i) {
    if (i > 0) out += ", ";
    out += r.results[i].checker + "=" + std::string(sim::verdict_name(r.results[i].verdict));
  }
  return out;
}

std::string key_metrics(const RunReport& r) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "acq %.0f, wait p50 %.3fs, stale writes %.0f, msgs %.0f",
                metric(r, "lock.acquisitions"), metric(r, "lock.wait_time.p50"),
                metric(r, "resource.stale_writes"), metric(r, "net.messages_sent"));
  return buf;
}

int run_folder(const RunArgs& a, const sim::Catalog& catalog) {
  if (!a.trace.empty()) throw po::error("--trace takes one scenario file, not a folder");
  const std::vector<std::string> files = scenario_files(a.target);
  if (files.empty()) {
    std::fprintf(stderr, "%s: no .yaml scenario files found\n", a.target.c_str());
    return 2;
  }
  int exit_code = 0;
  nlohmann::json all = nlohmann::json::array();
  struct Row {
    std::string scenario, met, verdicts, metrics, replay;
  };
  std::vector<Row> rows{{"scenario", "met", "verdicts", "key metrics", ""}};
  for (const std::string& file : files) {
    try {
      const sim::Scenario s = sim::load_scenario(file, catalog);
      const RunReport r = run_scenario(s, RunOptions::with_seed(a.seed));
      if (!r.all_met()) exit_code = std::max(exit_code, 1);
      if (a.json) all.push_back(render_json(s, r));
      rows.push_back({r.scenario, r.all_met() ? "yes" : "NO", verdict_summary(r), key_metrics(r),
                      r.all_met() ? "" : r.replay_command()});
    } catch (const sim::InputError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      exit_code = 2;
    }
  }
  if (a.json) {
    std::cout << all.dump(2) << "\n";
    return exit_code;
  }
  size_t w_name = 0;
  size_t w_verdicts = 0;
  for (const Row& row : rows) {
    w_name = std::max(w_name, row.scenario.size());
    w_verdicts = std::max(w_verdicts, row.verdicts.size());
  }
  for (const Row& row : rows) {
    std::printf("%-*s  %-4s %-*s  %s\n", static_cast<int>(w_name), row.scenario.c_str(),
                row.met.c_str(), static_cast<int>(w_verdicts), row.verdicts.c_str(),
                row.metrics.c_str());
    if (!row.replay.empty()) std::printf("    replay: %s\n", row.replay.c_str());
  }
  return exit_code;
}

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  const RunArgs a = parse(args);
  const sim::Catalog catalog = make_catalog();
  try {
    if (fs::is_directory(a.target)) return run_folder(a, catalog);
    const sim::Scenario s = sim::load_scenario(a.target, catalog);
    RunOptions options = RunOptions::with_seed(a.seed);
    options.trace_path = a.trace;
    const RunReport r = run_scenario(s, options);
    if (a.json) {
      std::cout << render_json(s, r).dump(2) << "\n";
    } else {
      std::fputs(render_text(s, r).c_str(), stdout);
    }
    return r.all_met() ? 0 : 1;
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const sim::LimitError& e) {
    std::fprintf(stderr, "%s: %s\n", a.target.c_str(), e.what());
    return 2;
  }
}

}  // namespace lockstep::tools
