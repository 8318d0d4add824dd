// Sweeps: one exploration per point of a grid of parameter values (`explore --sweep KEY=V1,V2`
// and the scenario's `sweep:` section). Each point is the scenario file with the point's values
// put at their key paths, loaded and checked as if the file said so, and explored over the same
// seeds; the table and the plot compare the points.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/catalog.hpp"
#include "sim/scenario/scenario.hpp"
#include "tools/engine/explore.hpp"

namespace lockstep::tools {

inline constexpr size_t kMaxSweepPoints = 10'000;

// "protocol.params.lease=5s,10s,[1s, 2s]" -> key and values (commas inside [] or {} belong to
// the value). Throws sim::InputError naming `--sweep` on a malformed argument.
sim::SweepAxis parse_sweep_arg(const std::string& arg);

// The axes a run sweeps: the command line's when given (they replace the file's on the same
// key), else the file's. Throws sim::InputError when a key repeats among `cli`.
std::vector<sim::SweepAxis> sweep_axes(const std::vector<sim::SweepAxis>& file,
                                       const std::vector<sim::SweepAxis>& cli);

// Every combination of the axes' values, the first axis varying slowest: one override per axis.
// Throws sim::InputError past kMaxSweepPoints.
std::vector<std::vector<sim::Override>> sweep_grid(const std::vector<sim::SweepAxis>& axes);

// "lease=5s, renew_every=2s": the point's values, each key by its last part.
std::string point_label(const std::vector<sim::Override>& point);

// The scenario at one point, named `NAME@KEY=VALUE,...` (so its artifacts are told apart).
// Throws sim::InputError at the axis that gave the value when the point does not load.
sim::Scenario load_point(const std::string& text, const std::string& file,
                         const sim::Catalog& catalog, const std::vector<sim::SweepAxis>& axes,
                         const std::vector<sim::Override>& point);

struct SweepPointResult {
  std::vector<sim::Override> point;
  ExploreResult result;
};

struct SweepResult {
  std::vector<sim::SweepAxis> axes;
  std::vector<SweepPointResult> points;  // in grid order
  std::string metric;                    // the metric the table and plot show
};

// Seeds with at least one violated checker, whatever the scenario expects.
uint64_t violated_seeds(const ExploreResult& r);

}  // namespace lockstep::tools
