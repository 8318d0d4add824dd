// `lockstep run FILE|FOLDER`: load, run, check, report.
#include <algorithm>
#include <boost/program_options.hpp>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <unistd.h>

#include "sim/core/world.hpp"
#include "sim/io/atomic_file.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/help.hpp"
#include "tools/engine/runner.hpp"
#include "tools/render/openmetrics.hpp"
#include "tools/render/perfetto.hpp"
#include "tools/render/story_log.hpp"
#include "tools/render/timeline.hpp"
#include "tools/results/report.hpp"
#include "tools/trace/trace_reader.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace lockstep::tools {
namespace {

struct RunArgs {
  std::string target;
  std::optional<uint64_t> seed;
  std::string trace;
  bool json = false;
  std::string timeline;  // the space-time diagram (HTML)
  std::string perfetto;  // Chrome trace-event JSON
  std::string metrics;   // OpenMetrics text
  std::string log;       // the story: a file, or "-" for stdout
  bool swarm = false;
  bool check_determinism = false;
  uint64_t progress_every = 0;  // 0: none
  bool has_outputs() const {
    return !trace.empty() || !timeline.empty() || !perfetto.empty() || !metrics.empty() ||
           !log.empty();
  }
};

// `text` as a whole non-negative integer; program_options would take "-1" as 2^64-1.
uint64_t parse_count(const std::string& text, const std::string& flag) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw po::error(flag + " takes a non-negative integer below 2^64, got '" + text + "'");
  }
  return value;
}

RunArgs parse(const std::vector<std::string>& args) {
  RunArgs out;
  po::options_description opts("run options");
  opts.add_options()("seed", po::value<std::string>(), "seed (default: the scenario's)")(
      "trace", po::value<std::string>(&out.trace), "write the JSONL trace here")(
      "json", po::bool_switch(&out.json), "print the report as JSON")(
      "timeline", po::value<std::string>(&out.timeline), "write the timeline page (HTML) here")(
      "perfetto", po::value<std::string>(&out.perfetto), "write a Perfetto / Chrome trace here")(
      "metrics", po::value<std::string>(&out.metrics), "write the metrics as OpenMetrics here")(
      "log", po::value<std::string>(&out.log)->implicit_value("-"),
      "print the run as a story (--log FILE writes it to FILE)")(
      "swarm", po::bool_switch(&out.swarm), "draw the scenario's swarm ranges for this seed")(
      "check-determinism", po::bool_switch(&out.check_determinism),
      "run twice and compare the traces event by event")(
      "progress", po::value<std::string>(),
      "print progress to stderr every N events (default on a terminal: every 16777216)")(
      "target", po::value<std::string>(&out.target), "scenario file or folder");
  po::positional_options_description pos;
  pos.add("target", 1);
  po::variables_map vm = parse_command("run", args, opts, pos);
  // `run --log scenario.yaml`: the bare --log took the scenario as its file.
  const bool log_took_target =
      out.target.empty() && !out.log.empty() &&
      (out.log.ends_with(".yaml") || out.log.ends_with(".yml") || fs::is_directory(out.log));
  if (log_took_target) {
    out.target = out.log;
    out.log = "-";
  }
  if (out.target.empty()) throw po::error("missing FILE|FOLDER");
  if (vm.count("seed")) out.seed = parse_count(vm["seed"].as<std::string>(), "--seed");
  if (vm.count("progress")) {
    out.progress_every = parse_count(vm["progress"].as<std::string>(), "--progress");
  } else if (isatty(STDERR_FILENO)) {
    out.progress_every = uint64_t{1} << 24;  // about a second of a busy run
  }
  if (out.json && out.log == "-") {
    throw po::error("--log prints to stdout, which --json uses; give --log=FILE");
  }
  return out;
}

// A long run says how far it got: an event explosion shows itself before a limit stops it.
void show_progress(const RunArgs& a, const sim::Scenario& s, RunOptions& options) {
  options.progress_every = a.progress_every;
  const std::string total = sim::format_duration(s.duration);
  const std::string file = s.file;
  options.on_progress = [file, total](sim::Instant now, uint64_t events) {
    std::fprintf(stderr, "%s: %s of %s simulated, %llu events\n", file.c_str(),
                 sim::format_duration(sim::Duration{now.ns}).c_str(), total.c_str(),
                 static_cast<unsigned long long>(events));
  };
}

// Every .yaml under `folder`, sorted, so folder runs are reproducible.
std::vector<std::string> scenario_files(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    const auto ext = entry.path().extension();
    std::error_code ec;  // a symlink loop inside is skipped, not thrown
    if (entry.is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) {
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

bool has_metric(const RunReport& r, std::string_view name) {
  return std::any_of(r.metrics.begin(), r.metrics.end(),
                     [&](const checkers::Metric& m) { return m.name == name; });
}

// The figures that say most about the run's protocol family.
std::string key_metrics(const RunReport& r) {
  char buf[160];
  if (has_metric(r, "lock.acquisitions")) {
    std::snprintf(buf, sizeof buf, "acq %.0f, wait p50 %.3fs, stale writes %.0f, msgs %.0f",
                  metric(r, "lock.acquisitions"), metric(r, "lock.wait_time.p50"),
                  metric(r, "resource.stale_writes"), metric(r, "net.messages_sent"));
  } else if (has_metric(r, "leader.elections")) {
    std::snprintf(buf, sizeof buf, "elections %.0f, terms %.0f, rotation max %.3fs, msgs %.0f",
                  metric(r, "leader.elections"), metric(r, "leader.terms"),
                  metric(r, "leader.rotation_time.max"), metric(r, "net.messages_sent"));
  } else {
    std::snprintf(buf, sizeof buf, "msgs %.0f", metric(r, "net.messages_sent"));
  }
  return buf;
}

int run_folder(const RunArgs& a, const sim::Catalog& catalog) {
  if (a.has_outputs()) {
    throw po::error(
        "--trace, --timeline, --perfetto, --metrics and --log take one scenario file, "
        "not a folder");
  }
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
      RunOptions options = RunOptions::with_seed(a.seed);
      options.swarm = a.swarm;
      show_progress(a, s, options);
      const RunReport r = run_scenario(s, options);
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

// The files a single run writes besides its report, each through a temporary file created before
// the run (so an unwritable path fails fast) and renamed into place only when the run completed.
struct Outputs {
  std::unique_ptr<TimelineSink> timeline;
  std::unique_ptr<sim::AtomicFile> timeline_file;
  std::unique_ptr<PerfettoSink> perfetto;
  std::unique_ptr<sim::AtomicFile> metrics_file;
  std::unique_ptr<sim::AtomicFile> log_file;
  std::unique_ptr<StoryLog> story;

  static void check(bool ok, const std::string& path, std::string_view what = "create",
                    const std::string& why = "the directory must exist and be writable") {
    if (ok) return;
    throw sim::InputError(path, 0, 0, "",
                          "cannot " + std::string(what) + " the file (" + why + ")");
  }

  Outputs(const RunArgs& a, RunOptions& options) {
    if (!a.timeline.empty()) {
      timeline = std::make_unique<TimelineSink>();
      timeline_file = std::make_unique<sim::AtomicFile>(a.timeline);
      check(timeline_file->ok(), a.timeline, "create", timeline_file->error());
      options.extra_sinks.push_back(timeline.get());
    }
    if (!a.perfetto.empty()) {
      perfetto = std::make_unique<PerfettoSink>(a.perfetto);
      check(perfetto->ok(), a.perfetto);
      options.extra_sinks.push_back(perfetto.get());
    }
    if (!a.metrics.empty()) {
      metrics_file = std::make_unique<sim::AtomicFile>(a.metrics);
      check(metrics_file->ok(), a.metrics, "create", metrics_file->error());
    }
    if (!a.log.empty()) story = std::make_unique<StoryLog>(story_writer(a));
    if (story) options.extra_sinks.push_back(story.get());
  }

  StoryLog::Writer story_writer(const RunArgs& a) {
    if (a.log == "-") return [](std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); };
    log_file = std::make_unique<sim::AtomicFile>(a.log);
    check(log_file->ok(), a.log, "create", log_file->error());
    return [f = log_file.get()](std::string_view s) { f->write(s); };
  }

  // After the run: the timeline needs the verdicts, the metrics file the metrics.
  void commit(const sim::Scenario& s, const RunReport& r, const RunArgs& a) {
    if (timeline) {
      const TimelineMeta meta{s.summary, sim::hash_hex(r.hash), r.replay_command()};
      timeline_file->write(timeline->html(r.results, meta));
      check(timeline_file->commit(), a.timeline, "write", timeline_file->error());
    }
    if (perfetto) check(perfetto->commit(r.results), a.perfetto, "write");
    if (metrics_file) {
      metrics_file->write(render_openmetrics(r.metrics, r.scenario, r.seed));
      check(metrics_file->commit(), a.metrics, "write", metrics_file->error());
    }
    if (log_file) check(log_file->commit(), a.log, "write", log_file->error());
  }
};

int run_one(const RunArgs& a, const sim::Catalog& catalog) {
  const sim::Scenario s = sim::load_scenario(a.target, catalog);
  RunOptions options = RunOptions::with_seed(a.seed);
  options.trace_path = a.trace;
  options.swarm = a.swarm;
  show_progress(a, s, options);
  Outputs outputs(a, options);
  RunReport r;
  std::string divergence;
  if (a.check_determinism) {
    divergence = check_determinism(s, options, &r);
  } else {
    r = run_scenario(s, options);
  }
  outputs.commit(s, r, a);
  if (a.json) {
    std::cout << render_json(s, r).dump(2) << "\n";
  } else {
    if (a.log == "-") std::fputs("\n", stdout);
    std::fputs(render_text(s, r).c_str(), stdout);
  }
  if (a.check_determinism) {
    if (!divergence.empty()) {
      std::fprintf(stderr, "determinism: FAILED: %s\n", divergence.c_str());
      return 1;
    }
    std::fprintf(stderr, "determinism: two runs gave the same trace, event for event (hash %s)\n",
                 sim::hash_hex(r.hash).c_str());
  }
  return r.all_met() ? 0 : 1;
}

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  const RunArgs a = parse(args);
  const sim::Catalog catalog = make_catalog();
  try {
    std::error_code ec;  // a symlink loop is reported by the loader, not thrown here
    if (fs::is_directory(a.target, ec)) return run_folder(a, catalog);
    return run_one(a, catalog);
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const sim::LimitError& e) {
    std::fprintf(stderr, "%s: %s\n", a.target.c_str(), e.what());
    return 2;
  } catch (const fs::filesystem_error& e) {
    std::fprintf(stderr, "%s: %s\n", a.target.c_str(), e.code().message().c_str());
    return 2;
  }
}

}  // namespace lockstep::tools
