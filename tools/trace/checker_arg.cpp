// `lockstep check --checker NAME:k=v,...`: a checker config from one command-line word.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/io/yaml_guard.hpp"
#include "sim/io/yaml_util.hpp"
#include "tools/trace/trace_reader.hpp"

namespace lockstep::tools {

// ---- --checker NAME:k=v,... -----------------------------------------------------------------

namespace {

// Splits "a=1,b=[1s, 2s]" at commas outside brackets and braces.
std::vector<std::string> split_params(std::string_view text) {
  std::vector<std::string> out;
  int depth = 0;
  std::string current;
  for (char c : text) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(current);
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  out.push_back(current);
  return out;
}

std::string trimmed(std::string_view s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string_view::npos) return {};
  const size_t b = s.find_last_not_of(" \t");
  return std::string(s.substr(a, b - a + 1));
}

}  // namespace

sim::CheckerConfig parse_checker_arg(std::string_view arg,
                                     std::span<const sim::CheckerSpec> specs) {
  const std::string where = "--checker " + std::string(arg) + ": ";
  const size_t colon = arg.find(':');
  const std::string name = trimmed(arg.substr(0, colon));
  std::vector<std::string_view> names;
  for (const sim::CheckerSpec& s : specs) names.push_back(s.name);
  const auto spec = std::find_if(specs.begin(), specs.end(),
                                 [&](const sim::CheckerSpec& s) { return s.name == name; });
  if (spec == specs.end()) {
    throw std::invalid_argument(where + "unknown checker '" + name + "'" +
                                sim::yaml_util::hint(name, names));
  }
  const std::string owner = "checker " + name;
  sim::CheckerConfig config{name, sim::yaml_util::defaults_of(spec->params, owner)};
  if (colon == std::string_view::npos) return config;
  std::vector<std::string_view> param_names;
  for (const sim::ParamSpec& p : spec->params) param_names.push_back(p.name);
  std::vector<std::string> seen;
  for (const std::string& item : split_params(arg.substr(colon + 1))) {
    const size_t eq = item.find('=');
    const std::string key = trimmed(std::string_view(item).substr(0, eq));
    if (eq == std::string::npos || key.empty()) {
      throw std::invalid_argument(where + "expected param=value after the ':', got '" + item + "'");
    }
    const auto p = std::find_if(spec->params.begin(), spec->params.end(),
                                [&](const sim::ParamSpec& s) { return s.name == key; });
    if (p == spec->params.end()) {
      throw std::invalid_argument(where + "unknown param '" + key + "' for " + owner +
                                  (param_names.empty() ? std::string("; it takes none")
                                                       : sim::yaml_util::hint(key, param_names)));
    }
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      throw std::invalid_argument(where + "param '" + key + "' given twice");
    }
    seen.push_back(key);
    const std::string value = trimmed(std::string_view(item).substr(eq + 1));
    try {
      const std::string label = "--checker";
      sim::guard_yaml(value, label);  // yaml-cpp 0.7 can loop on malformed text
      const sim::yaml_util::Value v(label, YAML::Load(value), name + "." + key, sim::SourcePos{});
      config.params.set(key, sim::yaml_util::read_param(v, *p));
    } catch (const sim::InputError& e) {
      throw std::invalid_argument(where + name + "." + key + ": " + e.detail());
    } catch (const YAML::Exception& e) {
      throw std::invalid_argument(where + name + "." + key + ": cannot read '" + value + "'");
    }
  }
  return config;
}

}  // namespace lockstep::tools
