// A host's two clocks. Monotonic: 0 at the start of the run, advancing at 1 + drift, never
// jumping. Wall: the monotonic reading plus an initial offset plus every clock_step so far.
// All arithmetic is exact integer nanoseconds (128-bit intermediates), so drift is reproducible.
#pragma once

#include <cassert>
#include <cstdint>

#include "sim/core/int128.hpp"
#include "sim/core/time.hpp"

namespace lockstep::sim {

struct Clock {
  static constexpr int64_t kBillion = 1'000'000'000;

  int64_t drift_ppb = 0;
  int64_t offset_ns = 0;
  int64_t steps_ns = 0;

  LocalTime monotonic(Instant t) const {
    if (drift_ppb == 0) return LocalTime{t.ns};  // the common case, without 128-bit division
    // Floor division, so a slow clock's reading is never rounded up past true progress.
    const int128 product = static_cast<int128>(t.ns) * drift_ppb;
    int128 skew = product / kBillion;
    if (product % kBillion != 0 && product < 0) --skew;
    return LocalTime{t.ns + static_cast<int64_t>(skew)};
  }

  LocalTime wall(Instant t) const { return monotonic(t) + Duration{offset_ns + steps_ns}; }

  // The earliest true instant at or after `now` at which the monotonic clock reads >= target.
  Instant when_monotonic_reaches(LocalTime target, Instant now) const {
    assert(drift_ppb > -kBillion);
    const int128 scaled = static_cast<int128>(target.ns) * kBillion;
    const int128 rate = kBillion + drift_ppb;
    int64_t t = static_cast<int64_t>(scaled / rate);
    while (monotonic(Instant{t}) < target) ++t;                // integer rounding: at most a
    while (t > 0 && monotonic(Instant{t - 1}) >= target) --t;  // step or two either way
    return Instant{t < now.ns ? now.ns : t};
  }
};

}  // namespace lockstep::sim
