#include "tools/engine/sweep.hpp"

#include <algorithm>
#include <cassert>

namespace lockstep::tools {
namespace {

[[noreturn]] void fail_arg(const std::string& arg, const std::string& why) {
  throw sim::InputError("--sweep " + arg, 0, 0, "", why);
}

// Splits at commas outside brackets and braces, trimming spaces.
std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  const auto flush = [&] {
    const size_t a = current.find_first_not_of(' ');
    const size_t b = current.find_last_not_of(' ');
    out.push_back(a == std::string::npos ? std::string() : current.substr(a, b - a + 1));
    current.clear();
  };
  for (char c : text) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      flush();
      continue;
    }
    current += c;
  }
  flush();
  return out;
}

std::string last_part(const std::string& key) {
  const size_t dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

}  // namespace

sim::SweepAxis parse_sweep_arg(const std::string& arg) {
  const size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) {
    fail_arg(arg, "expected KEY=V1,V2,..., e.g. --sweep protocol.params.lease=5s,10s,20s");
  }
  sim::SweepAxis axis{arg.substr(0, eq), split_values(arg.substr(eq + 1)), {}, {}};
  for (const std::string& v : axis.values) {
    if (v.empty()) fail_arg(arg, "an empty value (two commas in a row, or a trailing comma)");
  }
  axis.value_pos.assign(axis.values.size(), sim::SourcePos{});
  return axis;
}

std::vector<sim::SweepAxis> sweep_axes(const std::vector<sim::SweepAxis>& file,
                                       const std::vector<sim::SweepAxis>& cli) {
  for (size_t i = 0; i < cli.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (cli[i].key == cli[j].key) {
        throw sim::InputError("--sweep " + cli[i].key, 0, 0, "", "the key is swept twice");
      }
    }
  }
  if (cli.empty()) return file;
  std::vector<sim::SweepAxis> out = cli;
  for (const sim::SweepAxis& f : file) {
    const bool replaced = std::any_of(cli.begin(), cli.end(),
                                      [&](const sim::SweepAxis& c) { return c.key == f.key; });
    if (!replaced) out.push_back(f);
  }
  return out;
}

std::vector<std::vector<sim::Override>> sweep_grid(const std::vector<sim::SweepAxis>& axes) {
  size_t points = 1;
  for (const sim::SweepAxis& a : axes) {
    assert(!a.values.empty());
    points *= a.values.size();
    if (points > kMaxSweepPoints) {
      throw sim::InputError("sweep", 0, 0, "",
                            "the grid has more than " + std::to_string(kMaxSweepPoints) +
                                " points; sweep fewer values");
    }
  }
  std::vector<std::vector<sim::Override>> grid(axes.empty() ? 0 : points);
  size_t stride = points;
  for (const sim::SweepAxis& a : axes) {
    stride /= a.values.size();
    for (size_t p = 0; p < grid.size(); ++p) {
      grid[p].push_back({a.key, a.values[(p / stride) % a.values.size()]});
    }
  }
  return grid;
}

std::string point_label(const std::vector<sim::Override>& point) {
  std::string out;
  for (const sim::Override& o : point) {
    out += (out.empty() ? "" : ", ") + last_part(o.key) + "=" + o.value;
  }
  return out;
}

sim::Scenario load_point(const std::string& text, const std::string& file,
                         const sim::Catalog& catalog, const std::vector<sim::SweepAxis>& axes,
                         const std::vector<sim::Override>& point) {
  assert(point.size() == axes.size());
  try {
    sim::Scenario s = sim::load_scenario_text(text, file, catalog, point);
    std::string suffix;
    for (const sim::Override& o : point) {
      suffix += (suffix.empty() ? "@" : ",") + last_part(o.key) + "=" + o.value;
    }
    s.name += suffix;
    return s;
  } catch (const sim::InputError& e) {
    // Blame the value that made the point: where the file's sweep: gave it, or the flag.
    for (size_t i = 0; i < axes.size(); ++i) {
      const auto& values = axes[i].values;
      const size_t v = static_cast<size_t>(std::find(values.begin(), values.end(), point[i].value) -
                                           values.begin());
      const sim::SourcePos pos = axes[i].value_pos.at(v);
      const bool named = e.detail().find(last_part(axes[i].key)) != std::string::npos ||
                         e.key_path().find(last_part(axes[i].key)) != std::string::npos;
      if (!named && i + 1 < axes.size()) continue;
      const std::string where = pos.line > 0 ? file : "--sweep " + axes[i].key;
      throw sim::InputError(where, pos.line, pos.column, pos.line > 0 ? "sweep." + axes[i].key : "",
                            "at " + point_label(point) + ": " + e.what());
    }
    throw;
  }
}

uint64_t violated_seeds(const ExploreResult& r) {
  return static_cast<uint64_t>(std::count_if(
      r.runs.begin(), r.runs.end(), [](const SeedResult& s) { return !s.violated.empty(); }));
}

}  // namespace lockstep::tools
