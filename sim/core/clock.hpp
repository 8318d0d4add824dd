// A host's two clocks. Monotonic: 0 at the start of the run, advancing at 1 + drift, never
// jumping. Wall: the monotonic reading plus an initial offset plus every clock_step so far.
// All arithmetic is exact integer nanoseconds (128-bit intermediates), so drift is reproducible.
#pragma once

#include <algorithm>
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
    if (drift_ppb == 0) return LocalTime{base_mono_ns + since};  // no division at all
    return LocalTime{base_mono_ns + since + skew(since, drift_ppb)};
  }
  // floor(since * drift / 1e9), the drift's share of `since` -- rounded down, so a slow clock's
  // reading is never rounded up past true progress. With since = q*1e9 + r (0 <= r < 1e9) it is
  // exactly q*drift + floor(r*drift / 1e9), which 64-bit arithmetic computes when |since| < 2^53
  // (104 days) and |drift| < 2^31 (every product then fits); beyond those, 128-bit division.
  static int64_t skew(int64_t since, int64_t drift) {
    constexpr int64_t kNear = int64_t{1} << 53;
    constexpr int64_t kSmallDrift = int64_t{1} << 31;
    if (since > -kNear && since < kNear && drift > -kSmallDrift && drift < kSmallDrift) {
      int64_t q = since / kBillion;
      int64_t r = since % kBillion;
      if (r < 0) {
        r += kBillion;
        --q;
      }
      const int64_t part = r * drift;
      int64_t low = part / kBillion;
      if (part % kBillion != 0 && part < 0) --low;
      return q * drift + low;
    }
    const int128 product = static_cast<int128>(since) * drift;
    int128 wide = product / kBillion;
    if (product % kBillion != 0 && product < 0) --wide;
    return static_cast<int64_t>(wide);
  }
  // Both readings at once: the wall clock is the monotonic reading plus offset and steps.
  void read(Instant t, LocalTime* mono, LocalTime* wall_out) const {
    *mono = monotonic(t);
    *wall_out = *mono + Duration{offset_ns + steps_ns};
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
  // The reading at base + s is base_mono + floor(s * rate / 1e9) (rate = 1e9 + drift; see skew),
  // which reaches target exactly from s = ceil((target - base_mono) * 1e9 / rate) on: with
  // delta = q*rate + r (0 <= r < rate) that is q*1e9 + ceil(r*1e9 / rate), where every product
  // fits 64 bits when |delta| < 2^53 and 2^29 <= rate < 2^32; beyond those, 128-bit division.
  Instant when_monotonic_reaches(LocalTime target, Instant now) const {
    assert(drift_ppb > -kBillion);
    const int64_t delta = target.ns - base_mono_ns;
    const int64_t since = drift_ppb == 0 ? delta : first_reaching(delta, kBillion + drift_ppb);
    return Instant{std::max(now.ns, base_true_ns + since)};
  }
  // ceil(delta * 1e9 / rate), for rate > 0.
  static int64_t first_reaching(int64_t delta, int64_t rate) {
    assert(rate > 0);
    constexpr int64_t kNear = int64_t{1} << 53;
    if (delta > -kNear && delta < kNear && rate >= (int64_t{1} << 29) &&
        rate < (int64_t{1} << 32)) {
      int64_t q = delta / rate;
      int64_t r = delta % rate;
      if (r < 0) {
        r += rate;
        --q;
      }
      const int64_t part = r * kBillion;  // < 2^32 * 1e9 < 2^63
      return q * kBillion + part / rate + (part % rate != 0 ? 1 : 0);
    }
    const int128 product = static_cast<int128>(delta) * kBillion;
    int128 wide = product / rate;
    if (product % rate != 0 && product > 0) ++wide;
    return static_cast<int64_t>(wide);
  }
};

}  // namespace lockstep::sim
