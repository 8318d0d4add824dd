// A sweep as a self-contained SVG (`explore --plot out.svg`): against the first swept key, the
// violation rate (top) and the chosen metric's median across seeds (bottom), with axes, ticks,
// a point per grid point and labels; one line per combination of the other keys. Numeric and
// duration values are placed to scale, other values evenly. Nothing is fetched; elements carry
// classes and data- attributes (tools/browser/check-sweep reads them).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tools/results/sweep_table.hpp"

namespace lockstep::tools {

// "5s" -> 5 (seconds), "0.25" -> 0.25, "fifo" -> nullopt.
std::optional<double> plot_position(const std::string& value);

// Ticks covering [lo, hi] at a 1, 2, 2.5 or 5 x 10^k step, about `count` of them.
std::vector<double> nice_ticks(double lo, double hi, int count);

std::string sweep_svg(const SweepResult& sweep);

}  // namespace lockstep::tools
