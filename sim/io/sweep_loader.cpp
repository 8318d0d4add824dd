// The `sweep:` section (docs/scenario-format.md) and the overrides a sweep's points apply: a
// value put at a dotted key path of the document before the loader reads it, so a swept value is
// checked exactly as the same value written in the file would be.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>

#include "sim/io/loader.hpp"
#include "sim/io/yaml_util.hpp"

namespace lockstep::sim::loader {
namespace {

inline constexpr size_t kMaxSweepAxes = 8;
inline constexpr size_t kMaxSweepValues = 1'000;

// Top-level keys a sweep may not set: what names the run, records an artifact, or is the sweep.
constexpr std::string_view kUnsweepable[] = {"name", "artifact", "sweep"};

std::vector<std::string> split_key(std::string_view key) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t dot = key.find('.', start);
    out.emplace_back(key.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// Why `key` cannot be a sweep axis, or "".
std::string key_problem(std::string_view key) {
  if (key.empty()) return "a sweep key is a dotted path such as protocol.params.lease";
  const std::vector<std::string> parts = split_key(key);
  if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
    return "the sweep key '" + std::string(key) + "' has an empty part; write KEY.KEY, e.g. " +
           "protocol.params.lease";
  }
  if (std::find(std::begin(kUnsweepable), std::end(kUnsweepable), parts.front()) !=
      std::end(kUnsweepable)) {
    return "'" + parts.front() + "' cannot be swept";
  }
  return "";
}

// A value as YAML text that reads back as the same node (a quoted string stays quoted).
std::string value_text(const YAML::Node& node) {
  if (node.IsScalar() && node.Tag() == "?") return node.Scalar();
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  if (node.IsScalar()) {
    out << YAML::DoubleQuoted << node.Scalar();
  } else {
    out << node;
  }
  return out.c_str();
}

std::optional<size_t> index_of(const std::string& part) {
  size_t i = 0;
  const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), i);
  if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
  return i;
}

[[noreturn]] void fail_override(const std::string& file, const Override& o,
                                const std::string& why) {
  throw InputError(file, 0, 0, o.key, why);
}

}  // namespace

void read_sweep(const Value& v, Loader& l) {
  const Mapping m(v, "a mapping KEY.PATH: [value, value, ...]");
  if (m.entries().size() > kMaxSweepAxes) {
    v.fail("a sweep has at most " + std::to_string(kMaxSweepAxes) + " keys");
  }
  for (const Entry& e : m.entries()) {
    const std::string& key = e.key.node().Scalar();
    if (const std::string why = key_problem(key); !why.empty()) e.key.fail(why);
    if (!e.value.is_list()) {
      e.value.fail("expected the list of values " + key + " takes, e.g. [5s, 10s, 20s], got " +
                   e.value.describe());
    }
    SweepAxis axis{key, {}, e.key.pos(), {}};
    for (const Value& item : e.value.list("a list of values", kMaxSweepValues)) {
      if (item.is_null()) item.fail("a sweep value must not be empty");
      axis.values.push_back(value_text(item.node()));
      axis.value_pos.push_back(item.pos());
    }
    if (axis.values.empty()) e.value.fail("a sweep key needs at least one value");
    l.out.sweep.push_back(std::move(axis));
  }
}

void apply_overrides(YAML::Node& root, const std::vector<Override>& overrides,
                     const std::string& file) {
  for (const Override& o : overrides) {
    if (const std::string why = key_problem(o.key); !why.empty()) fail_override(file, o, why);
    YAML::Node value;
    try {
      value = YAML::Load(o.value);
    } catch (const YAML::Exception& e) {
      fail_override(file, o, "the value '" + o.value + "' is not YAML: " + e.msg);
    }
    if (value.IsNull()) fail_override(file, o, "a sweep value must not be empty");
    const std::vector<std::string> parts = split_key(o.key);
    YAML::Node at = root;
    for (size_t i = 0; i < parts.size(); ++i) {
      YAML::Node next;
      if (at.IsSequence()) {
        const std::optional<size_t> index = index_of(parts[i]);
        if (!index || *index >= at.size()) {
          fail_override(file, o,
                        "'" + parts[i] + "' is not an index of the list, which has " +
                            std::to_string(at.size()) + " entries");
        }
        if (i + 1 == parts.size()) at[*index] = value;
        next.reset(at[*index]);
      } else if (at.IsMap() || at.IsNull() || !at.IsDefined()) {  // undefined: created here
        if (i + 1 == parts.size()) at[parts[i]] = value;
        next.reset(at[parts[i]]);
      } else {
        fail_override(
            file, o,
            "'" + parts[i - 1] + "' is a single value; it has no '" + parts[i] + "' in it");
      }
      at.reset(next);
    }
  }
}

}  // namespace lockstep::sim::loader
