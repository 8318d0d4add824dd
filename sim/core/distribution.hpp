// A value distribution from the scenario file: a constant, uniform, exponential, normal or
// lognormal. Used both for durations (values in nanoseconds) and plain numbers (drift in ppm).
#pragma once

#include <cstdint>
#include <string>

#include "sim/core/rng.hpp"

namespace lockstep::sim {

struct Distribution {
  enum class Kind : uint8_t { constant, uniform, exponential, normal, lognormal };
  Kind kind = Kind::constant;
  // constant: a; uniform: [a, b]; exponential: mean a; normal: mean a, stddev b;
  // lognormal: median a, sigma b. Durations are in nanoseconds.
  double a = 0;
  double b = 0;
  // Samples are clamped to [min, max] so that a normal latency can never go negative.
  double min = -1e300;
  double max = 1e300;

  static Distribution constant_of(double v) { return {Kind::constant, v, v}; }

  double sample(Rng& rng) const;
  // Integer-valued sample (rounded towards zero), e.g. nanoseconds.
  int64_t sample_int(Rng& rng) const { return static_cast<int64_t>(sample(rng)); }
  // The largest value this distribution can produce, or the mean for unbounded tails.
  double upper_hint() const;
  bool is_constant() const { return kind == Kind::constant; }

  // "uniform[1ms, 5ms]"-style text for reports; `duration` picks the unit rendering.
  std::string describe(bool duration) const;
};

}  // namespace lockstep::sim
