#include "tools/cli/explore_sweep.hpp"

#include <cstdio>
#include <optional>

#include "sim/io/atomic_file.hpp"
#include "sim/io/yaml_guard.hpp"
#include "tools/engine/sweep.hpp"
#include "tools/render/explore_export.hpp"
#include "tools/render/sweep_plot.hpp"
#include "tools/results/explore_json.hpp"
#include "tools/results/sweep_table.hpp"

namespace lockstep::tools {
namespace {

// Every point's seeds as CSV rows, the point's values in the first columns.
std::string points_csv(const SweepResult& sweep) {
  std::string out;
  for (size_t i = 0; i < sweep.points.size(); ++i) {
    const std::string csv = explore_csv(sweep.points[i].result);
    const size_t header_end = csv.find('\n') + 1;
    if (i == 0) {
      for (const sim::SweepAxis& a : sweep.axes) out += a.key + ",";
      out += csv.substr(0, header_end);
    }
    std::string prefix;
    for (const sim::Override& o : sweep.points[i].point) {
      const bool quote = o.value.find_first_of(",\"") != std::string::npos;
      prefix += (quote ? "\"" + o.value + "\"" : o.value) + ",";
    }
    for (size_t at = header_end; at < csv.size();) {
      const size_t end = csv.find('\n', at) + 1;
      out += prefix + csv.substr(at, end - at);
      at = end;
    }
  }
  return out;
}

nlohmann::json sweep_document(const SweepResult& sweep) {
  nlohmann::json j;
  j["sweep"] = sweep_json(sweep);
  j["points"] = nlohmann::json::array();
  for (const SweepPointResult& p : sweep.points) j["points"].push_back(explore_json(p.result));
  return j;
}

}  // namespace

std::unique_ptr<sim::AtomicFile> open_output(const std::string& path) {
  if (path.empty()) return nullptr;
  auto out = std::make_unique<sim::AtomicFile>(path);
  if (!out->ok()) {
    throw sim::InputError(path, 0, 0, "", "cannot create the file (" + out->error() + ")");
  }
  return out;
}

void commit_output(const std::unique_ptr<sim::AtomicFile>& out, std::string_view text) {
  if (!out) return;
  out->write(text);
  if (!out->commit()) {
    throw sim::InputError(out->path(), 0, 0, "", "cannot write here (" + out->error() + ")");
  }
}

int explore_sweep(const sim::Catalog& catalog, const SweepArgs& a) {
  const std::string text =
      sim::read_regular_file(a.file, sim::YamlLimits{}.max_bytes, "scenario file");
  const std::vector<std::vector<sim::Override>> grid = sweep_grid(a.axes);
  // Every point loads before the first seed runs: a bad value is an error at once.
  std::vector<sim::Scenario> scenarios;
  for (const std::vector<sim::Override>& point : grid) {
    scenarios.push_back(load_point(text, a.file, catalog, a.axes, point));
  }
  std::unique_ptr<sim::AtomicFile> json = open_output(a.json);
  std::unique_ptr<sim::AtomicFile> csv = open_output(a.csv);
  std::unique_ptr<sim::AtomicFile> table_csv = open_output(a.sweep_csv);
  std::unique_ptr<sim::AtomicFile> plot = open_output(a.plot);
  SweepResult sweep{a.axes, {}, a.plot_metric};
  uint64_t failures = 0;
  bool interrupted = false;
  for (size_t i = 0; i < grid.size() && !interrupted; ++i) {
    std::fprintf(stderr, "sweep: point %zu/%zu: %s\n", i + 1, grid.size(),
                 point_label(grid[i]).c_str());
    ExploreResult r = explore(scenarios[i], a.options);
    failures += r.failures();
    interrupted = r.interrupted;
    if (a.write_artifacts) a.write_artifacts(scenarios[i], r);
    sweep.points.push_back({grid[i], std::move(r)});
  }
  if (sweep.metric.empty()) sweep.metric = default_sweep_metric(sweep);
  if (!a.plot_metric.empty()) check_sweep_metric(sweep, a.plot_metric);
  std::printf("sweep of %s over %zu points, %llu seeds each%s\n\n%s", a.file.c_str(), grid.size(),
              static_cast<unsigned long long>(a.options.seeds), interrupted ? " (interrupted)" : "",
              sweep_markdown(sweep).c_str());
  std::printf("\n%llu seeds did not meet the scenario's expect:\n",
              static_cast<unsigned long long>(failures));
  commit_output(json, sweep_document(sweep).dump(2) + "\n");
  commit_output(csv, points_csv(sweep));
  commit_output(table_csv, sweep_csv(sweep));
  commit_output(plot, sweep_svg(sweep));
  if (plot) std::printf("plot      %s\n", a.plot.c_str());
  if (interrupted) return 130;
  return failures > 0 ? 1 : 0;
}

}  // namespace lockstep::tools
