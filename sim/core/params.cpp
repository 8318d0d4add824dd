#include "sim/core/params.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>

namespace lockstep::sim {

std::string_view param_type_name(ParamType type) {
  constexpr std::string_view kNames[] = {
      "bool",  "integer", "number", "duration", "[duration, duration]", "duration distribution",
      "choice"};
  const auto i = static_cast<size_t>(type);
  assert(i < std::size(kNames));
  return kNames[i];
}

void Params::set(std::string name, ParamValue value) {
  auto it =
      std::lower_bound(values_.begin(), values_.end(), name,
                       [](const auto& entry, const std::string& n) { return entry.first < n; });
  if (it != values_.end() && it->first == name) {
    it->second = std::move(value);
    return;
  }
  values_.insert(it, {std::move(name), std::move(value)});
}

const ParamValue* Params::find(std::string_view name) const {
  auto it = std::lower_bound(values_.begin(), values_.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  if (it == values_.end() || it->first != name) return nullptr;
  return &it->second;
}

const ParamValue& Params::at(std::string_view name) const {
  const ParamValue* v = find(name);
  // A missing parameter is a programming error: the loader fills every declared default.
  assert(v != nullptr && "parameter not declared by the protocol");
  if (v == nullptr) std::abort();
  return *v;
}

std::string describe_param(const ParamValue& value) {
  struct Visitor {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", d);
      return buf;
    }
    std::string operator()(Duration d) const { return format_duration(d); }
    std::string operator()(DurationRange r) const {
      return "[" + format_duration(r.min) + ", " + format_duration(r.max) + "]";
    }
    std::string operator()(const Distribution& d) const { return d.describe(true); }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace lockstep::sim
