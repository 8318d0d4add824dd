// Warnings for what is valid but almost surely not meant, each at the file:line:col of the value:
// a checker whose words the protocol never observes (CheckerSpec::reads: election_safety on a
// lease lock can only say `holds`), and a clock drift below 1 ppm (`drift_ppm: 0.5`, a rate
// written as a fraction).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "sim/io/loader.hpp"

namespace lockstep::sim::loader {
namespace {

bool observes(const ProtocolSpec& protocol, std::string_view kind) {
  return std::any_of(protocol.observations.begin(), protocol.observations.end(),
                     [&](const ObservationSpec& o) { return o.kind == kind; });
}

bool fits(const CheckerSpec& checker, const ProtocolSpec& protocol) {
  return checker.reads.empty() ||
         std::any_of(checker.reads.begin(), checker.reads.end(),
                     [&](std::string_view k) { return observes(protocol, k); });
}

std::string joined(const std::vector<std::string_view>& words, std::string_view sep) {
  std::string out;
  for (std::string_view w : words) out += (out.empty() ? "" : std::string(sep)) + std::string(w);
  return out;
}

std::string at(const Value& v) {
  return v.file() + ":" + std::to_string(v.pos().line) + ":" + std::to_string(v.pos().column) +
         ": " + v.path() + ": ";
}

// Every number written in `node` (a constant, or a distribution's parameters), or nullopt when
// some scalar is not a number.
bool numbers_in(const YAML::Node& node, std::vector<double>& out) {
  if (node.IsScalar()) {
    const std::string& t = node.Scalar();
    double v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size()) return false;
    out.push_back(v);
    return true;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!numbers_in(node.IsMap() ? it->second : *it, out)) return false;
  }
  return true;
}

}  // namespace

void hint_small_drift(const Value& clock, Loader& l) {
  // Called after the clock was read, so it is a mapping whose drift_ppm is valid.
  if (!clock.is_map() || !clock.node()["drift_ppm"]) return;
  const YAML::Node drift = clock.node()["drift_ppm"];
  std::vector<double> values;
  if (!numbers_in(drift, values) || values.empty()) return;
  const bool small =
      std::all_of(values.begin(), values.end(), [](double v) { return std::abs(v) < 1; });
  const bool nonzero = std::any_of(values.begin(), values.end(), [](double v) { return v != 0; });
  if (!small || !nonzero) return;
  const Value v(clock.file(), drift, clock.path() + ".drift_ppm",
                yaml_util::position_of(drift, clock.pos()));
  l.out.warnings.push_back(
      at(v) +
      "drift_ppm is in parts per million, so this is under 1 ppm (quartz is typically 10 to 100 "
      "ppm); for a rate such as 0.5 (+50%) write 500000, for 50 ppm write 50");
}

void warn_unrelated_checker(const Value& item, const CheckerConfig& config, Loader& l) {
  const CheckerSpec* spec = l.catalog.checker(config.name);
  assert(spec != nullptr);
  if (fits(*spec, l.protocol())) return;
  std::vector<std::string_view> fitting;
  for (const CheckerSpec& c : l.catalog.checkers()) {
    if (!c.reads.empty() && fits(c, l.protocol())) fitting.push_back(c.name);
  }
  l.out.warnings.push_back(
      at(item) + "checker " + config.name + " reads " + joined(spec->reads, " or ") +
      ", which protocol " + l.out.protocol + " never observes, so it can only hold" +
      (fitting.empty() ? std::string()
                       : "; checkers that judge " + l.out.protocol + ": " + joined(fitting, ", ")));
}

}  // namespace lockstep::sim::loader
