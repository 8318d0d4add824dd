// Typed protocol and workload parameters. A protocol declares ParamSpecs (name, type, default,
// meaning); the scenario loader checks the file against them and fills in defaults, so a
// protocol reading a Params finds every declared name with the declared type.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/time.hpp"

namespace lockstep::sim {

enum class ParamType : uint8_t {
  boolean,         // true | false
  integer,         // 3
  number,          // 0.5
  duration,        // 10s (never negative)
  duration_range,  // [150ms, 300ms]
  distribution,    // a duration distribution: 2s | {exponential: 2s} | {uniform: [1s, 4s]}
  choice,          // one of the words in `choices`, e.g. "monotonic|wall"
};

std::string_view param_type_name(ParamType type);

struct DurationRange {
  Duration min;
  Duration max;
};

using ParamValue =
    std::variant<bool, int64_t, double, Duration, DurationRange, Distribution, std::string>;

struct ParamSpec {
  std::string_view name;
  ParamType type;
  std::string_view default_yaml;  // parsed exactly as a value in a scenario file would be
  std::string_view meaning;
  std::string_view choices = {};  // for ParamType::choice: "a|b|c"
  // Optional: why a well-typed value is still unusable ("must be greater than 0s"), or "" when
  // it is fine. The loader reports the reason at the value's file:line:col.
  std::string (*check)(const ParamValue& value) = nullptr;
  bool positive = false;  // 0 (or a range starting at 0) is refused where it is written
};

class Params {
 public:
  void set(std::string name, ParamValue value);
  bool has(std::string_view name) const { return find(name) != nullptr; }

  bool boolean(std::string_view name) const { return std::get<bool>(at(name)); }
  int64_t integer(std::string_view name) const { return std::get<int64_t>(at(name)); }
  double number(std::string_view name) const { return std::get<double>(at(name)); }
  Duration duration(std::string_view name) const { return std::get<Duration>(at(name)); }
  DurationRange range(std::string_view name) const { return std::get<DurationRange>(at(name)); }
  const Distribution& distribution(std::string_view name) const {
    return std::get<Distribution>(at(name));
  }
  const std::string& choice(std::string_view name) const { return std::get<std::string>(at(name)); }

  const std::vector<std::pair<std::string, ParamValue>>& entries() const { return values_; }

 private:
  const ParamValue* find(std::string_view name) const;
  const ParamValue& at(std::string_view name) const;
  std::vector<std::pair<std::string, ParamValue>> values_;  // sorted by name
};

// "10s", "true", "[150ms, 300ms]", "{exponential: 2s}": the value as a scenario would write it.
std::string describe_param(const ParamValue& value);

}  // namespace lockstep::sim
