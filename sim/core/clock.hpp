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
  // Where the current rate began (a clock_rate fault moves it): the readings stay continuous.
  int64_t base_true_ns = 0;
  int64_t base_mono_ns = 0;

  LocalTime monotonic(Instant t) const {
    const int64_t since = t.ns - base_true_ns;
    if (drift_ppb == 0) return LocalTime{base_mono_ns + since};  // no 128-bit division
    // Floor division, so a slow clock's reading is never rounded up past true progress.
    const int128 product = static_cast<int128>(since) * drift_ppb;
    int128 skew = product / kBillion;
    if (product % kBillion != 0 && product < 0) --skew;
    return LocalTime{base_mono_ns + since + static_cast<int64_t>(skew)};
  }

  LocalTime wall(Instant t) const { return monotonic(t) + Duration{offset_ns + steps_ns}; }

  // From `now` on the clock runs at 1 + drift_ppb·1e-9 (a clock_rate fault).
  void set_rate(Instant now, int64_t drift) {
    assert(drift > -kBillion);
    base_mono_ns = monotonic(now).ns;
    base_true_ns = now.ns;
    drift_ppb = drift;
  }

  // The earliest true instant at or after `now` at which the monotonic clock reads >= target.
  Instant when_monotonic_reaches(LocalTime target, Instant now) const {
    assert(drift_ppb > -kBillion);
    const int128 scaled = static_cast<int128>(target.ns - base_mono_ns) * kBillion;
    const int128 rate = kBillion + drift_ppb;
    int64_t t = base_true_ns + static_cast<int64_t>(scaled / rate);
    while (monotonic(Instant{t}) < target) ++t;                // integer rounding: at most a
    while (t > 0 && monotonic(Instant{t - 1}) >= target) --t;  // step or two either way
    return Instant{t < now.ns ? now.ns : t};
  }
};

}  // namespace lockstep::sim
