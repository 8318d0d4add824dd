// Checks for param values that parse but cannot run (ParamSpec::check): the loader reports the
// reason at the value's file:line:col, so a protocol's `make` never sees such a value.
#pragma once

#include <string>
#include <variant>

#include "sim/core/params.hpp"

namespace lockstep::protocols::checks {

// A period or length of zero would re-arm a timer forever at one instant.
inline std::string positive_duration(const sim::ParamValue& v) {
  const auto* d = std::get_if<sim::Duration>(&v);
  return d != nullptr && d->ns <= 0 ? "must be greater than 0s" : "";
}

inline std::string positive_integer(const sim::ParamValue& v) {
  const auto* i = std::get_if<int64_t>(&v);
  return i != nullptr && *i <= 0 ? "must be at least 1" : "";
}

// A fraction in [0, 1).
inline std::string fraction(const sim::ParamValue& v) {
  const auto* x = std::get_if<double>(&v);
  return x != nullptr && (*x < 0 || *x >= 1) ? "must be in [0, 1)" : "";
}

// A range whose low end is positive (the loader already refuses a reversed range).
inline std::string positive_range(const sim::ParamValue& v) {
  const auto* r = std::get_if<sim::DurationRange>(&v);
  return r != nullptr && r->min.ns <= 0 ? "the low end must be greater than 0s" : "";
}

}  // namespace lockstep::protocols::checks
