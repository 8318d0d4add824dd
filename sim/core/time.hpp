// Virtual time: true simulation instants, durations, and what a node's clock reads.
// All three are int64 nanoseconds; LocalTime is a distinct type from Instant so that protocol
// code, which only ever sees LocalTime, cannot use true time by accident.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lockstep::sim {

struct Duration {
  int64_t ns = 0;

  static constexpr Duration nanos(int64_t v) { return Duration{v}; }
  static constexpr Duration micros(int64_t v) { return Duration{v * 1'000}; }
  static constexpr Duration millis(int64_t v) { return Duration{v * 1'000'000}; }
  static constexpr Duration seconds(int64_t v) { return Duration{v * 1'000'000'000}; }
  static constexpr Duration zero() { return Duration{0}; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration{ns + o.ns}; }
  constexpr Duration operator-(Duration o) const { return Duration{ns - o.ns}; }
  constexpr Duration operator-() const { return Duration{-ns}; }
  constexpr Duration operator*(int64_t k) const { return Duration{ns * k}; }
  constexpr Duration operator/(int64_t k) const { return Duration{ns / k}; }
  constexpr Duration& operator+=(Duration o) {
    ns += o.ns;
    return *this;
  }
  constexpr Duration& operator-=(Duration o) {
    ns -= o.ns;
    return *this;
  }
  constexpr double seconds_f() const { return static_cast<double>(ns) / 1e9; }
  constexpr double millis_f() const { return static_cast<double>(ns) / 1e6; }
};

// A point in true (simulation) time, measured from the start of the run.
struct Instant {
  int64_t ns = 0;

  constexpr auto operator<=>(const Instant&) const = default;
  constexpr Instant operator+(Duration d) const { return Instant{ns + d.ns}; }
  constexpr Instant operator-(Duration d) const { return Instant{ns - d.ns}; }
  constexpr Duration operator-(Instant o) const { return Duration{ns - o.ns}; }
  constexpr Instant& operator+=(Duration d) {
    ns += d.ns;
    return *this;
  }
};

// What one node's clock reads (monotonic or wall). Only differences of two readings of the same
// clock are meaningful to a protocol.
struct LocalTime {
  int64_t ns = 0;

  constexpr auto operator<=>(const LocalTime&) const = default;
  constexpr LocalTime operator+(Duration d) const { return LocalTime{ns + d.ns}; }
  constexpr LocalTime operator-(Duration d) const { return LocalTime{ns - d.ns}; }
  constexpr Duration operator-(LocalTime o) const { return Duration{ns - o.ns}; }
};

// Parses "500us", "150ms", "2s", "1.5s", "3m", "1h", "250ns" and "0". Negative values parse
// (callers decide whether they are allowed). Returns nullopt on anything else; `*overflow` (when
// given) is set when the text is a duration too large for int64 nanoseconds (about 292 years).
std::optional<Duration> parse_duration(std::string_view text, bool* overflow = nullptr);

// Shortest exact rendering in the largest unit that keeps it exact: "1.5s", "150ms", "0s".
std::string format_duration(Duration d);

// Seconds with millisecond precision for people: "12.503s". Exact output for logs is
// format_duration.
std::string format_seconds(int64_t ns);

}  // namespace lockstep::sim
