// `lockstep explore FILE --sweep KEY=V1,V2 ...` (or a file with a `sweep:` section): explores
// every grid point over the same seeds and writes the table (Markdown on stdout, --sweep-csv, and
// --json) and the plot (--plot out.svg, --plot-metric NAME).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/io/atomic_file.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/scenario.hpp"
#include "tools/engine/explore.hpp"

namespace lockstep::tools {

// An output's temporary, created now so a path that cannot be written fails before any seed
// runs; null when no path was given. Throws sim::InputError naming the path.
std::unique_ptr<sim::AtomicFile> open_output(const std::string& path);
// Writes `text` and renames the file into place (nothing when `out` is null).
void commit_output(const std::unique_ptr<sim::AtomicFile>& out, std::string_view text);

struct SweepArgs {
  std::string file;
  std::vector<sim::SweepAxis> axes;
  ExploreOptions options;
  std::string json;
  std::string csv;  // one row per seed and point, the point's values first
  std::string sweep_csv;
  std::string plot;
  std::string plot_metric;
  // Writes the failure artifacts of one point (explore's own rule and limit).
  std::function<void(const sim::Scenario&, const ExploreResult&)> write_artifacts;
};

// Exit code: 0 every seed of every point met the scenario's expectations, 1 some did not,
// 130 interrupted. Throws sim::InputError for bad input (a point that does not load, an
// unwritable output, an unknown metric).
int explore_sweep(const sim::Catalog& catalog, const SweepArgs& args);

}  // namespace lockstep::tools
