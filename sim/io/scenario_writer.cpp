#include "sim/io/scenario_writer.hpp"

#include <xxhash.h>
#include <yaml-cpp/yaml.h>

#include <cassert>
#include <cmath>
#include <cstdio>

#include "sim/core/trace.hpp"
#include "sim/io/scenario_keys.hpp"

namespace lockstep::sim {
namespace {

// A double-quoted YAML scalar from yaml-cpp's emitter, which escapes quotes, backslashes and
// control characters (a summary with a tab or \x01 stays readable by every YAML parser). DEL
// (0x7f) is not printable YAML either, but the emitter leaves it raw: escaped here, inside the
// quotes.
std::string quoted(std::string_view s) {
  YAML::Emitter e;
  e << YAML::DoubleQuoted << std::string(s);
  assert(e.good());
  std::string out;
  for (const char c : std::string_view(e.c_str(), e.size())) {
    if (c == '\x7f') {
      out += "\\x7f";
    } else {
      out += c;
    }
  }
  return out;
}

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string dur(double ns) { return format_duration(Duration{std::llround(ns)}); }

std::string amount(double v, bool duration) { return duration ? dur(v) : number(v); }

std::string ids(const std::vector<NodeIndex>& group, const Scenario& s) {
  std::string out = "[";
  for (size_t i = 0; i < group.size(); ++i) out += (i ? ", " : "") + s.nodes[group[i]].id;
  return out + "]";
}

std::string target_yaml(const Target& t, const Scenario& s) {
  return t.role.empty() ? s.nodes[t.node].id : t.role;
}

// The value every node shares for `name`, if they all do.
std::optional<ParamValue> shared_param(const Scenario& s, const std::string& name) {
  std::optional<std::string> first;
  for (const NodeSpec& n : s.nodes) {
    for (const auto& [k, v] : n.params.entries()) {
      if (k != name) continue;
      const std::string text = param_yaml(v);
      if (first.has_value() && *first != text) return std::nullopt;
      first = text;
    }
  }
  for (const auto& [k, v] : s.nodes.front().params.entries()) {
    if (k == name) return v;
  }
  return std::nullopt;
}

void write_params(std::string& out, const Params& params, const std::string& indent) {
  for (const auto& [name, value] : params.entries()) {
    out += indent + name + ": " + param_yaml(value) + "\n";
  }
}

std::string storage_yaml(const StorageSpec& st) {
  return "{write_latency: " + distribution_yaml(st.write_latency_ns, true) +
         ", fsync_latency: " + distribution_yaml(st.fsync_latency_ns, true) +
         ", on_crash: " + (st.on_crash == StorageSpec::OnCrash::keep ? "keep" : "lose_unsynced") +
         ", torn_append: " + (st.torn_append ? "true" : "false") + "}";
}

void write_nodes(std::string& out, const Scenario& s, const Plan& plan) {
  out += "nodes:\n";
  for (NodeIndex i = 0; i < s.nodes.size(); ++i) {
    const NodeSpec& n = s.nodes[i];
    out += "  - {id: " + n.id + ", role: " + n.role;
    const NodeClock& c = plan.clocks[i];
    out += ", clock: {drift_ppm: " + number(static_cast<double>(c.drift_ppb) / 1000.0) +
           ", offset: " + format_duration(Duration{c.offset_ns}) + "}";
    std::string own;
    for (const auto& [name, value] : n.params.entries()) {
      if (shared_param(s, name).has_value()) continue;
      own += (own.empty() ? "" : ", ") + name + ": " + param_yaml(value);
    }
    if (!own.empty()) out += ", params: {" + own + "}";
    if (n.storage.modelled()) out += ", storage: " + storage_yaml(n.storage);
    out += "}\n";
  }
}

void write_network(std::string& out, const Scenario& s) {
  const NetworkSpec& n = s.network;
  out += "network:\n";
  out += "  latency: " + distribution_yaml(n.latency_ns, true) + "\n";
  out += "  loss: " + number(n.loss) + "\n";
  out += "  duplicate: " + number(n.duplicate) + "\n";
  out += std::string("  ordering: ") + (n.ordering == Ordering::fifo ? "fifo" : "any") + "\n";
  if (n.links.empty()) return;
  out += "  links:\n";
  for (const LinkSpec& l : n.links) {
    out += "    - {from: " + s.nodes[l.from].id + ", to: " + s.nodes[l.to].id;
    if (l.latency_ns) out += ", latency: " + distribution_yaml(*l.latency_ns, true);
    if (l.loss) out += ", loss: " + number(*l.loss);
    if (l.duplicate) out += ", duplicate: " + number(*l.duplicate);
    if (l.ordering)
      out += std::string(", ordering: ") + (*l.ordering == Ordering::fifo ? "fifo" : "any");
    out += "}\n";
  }
}

std::string groups_yaml(const PlannedFault& f, const Scenario& s) {
  std::string out = "[";
  for (size_t i = 0; i < f.groups.size(); ++i) out += (i ? ", " : "") + ids(f.groups[i], s);
  return out + "]";
}

std::string field_value_yaml(const Field& w, const Scenario& s) {
  switch (s.vocabulary->type(w.key)) {
    case FieldType::node:
      return s.nodes[static_cast<size_t>(w.value)].id;
    case FieldType::message_type:
      return std::string(s.protocol_spec->messages[static_cast<size_t>(w.value)]);
    case FieldType::boolean:
      return w.value != 0 ? "true" : "false";
    case FieldType::duration_ns:
      return format_duration(Duration{w.value});
    case FieldType::integer:
      break;
  }
  return std::to_string(w.value);
}

// `on: {...}, after: D` for a triggered fault, `at: T` for the rest.
std::string timing_yaml(const PlannedFault& f, const Scenario& s) {
  if (!f.trigger) return "at: " + format_duration(Duration{f.at.ns});
  const Trigger& t = *f.trigger;
  std::string out = "on: {kind: " + std::string(s.vocabulary->name(t.kind));
  if (!t.node.role.empty() || t.node.node != kNoNode) out += ", node: " + target_yaml(t.node, s);
  out += ", nth: " + std::to_string(t.nth);
  if (!t.where.empty()) {
    out += ", where: {";
    for (size_t i = 0; i < t.where.size(); ++i) {
      out += (i ? ", " : "") + std::string(s.vocabulary->name(t.where[i].key)) + ": " +
             field_value_yaml(t.where[i], s);
    }
    out += "}";
  }
  return out + "}, after: " + format_duration(t.after);
}

std::string link_yaml(const PlannedFault& f, const Scenario& s) {
  std::string out =
      "{from: " + s.nodes[f.links[0].first].id + ", to: " + s.nodes[f.links[0].second].id;
  if (f.change.latency_ns) out += ", latency: " + distribution_yaml(*f.change.latency_ns, true);
  if (f.change.loss) out += ", loss: " + number(*f.change.loss);
  return out + "}";
}

std::string drop_yaml(const PlannedFault& f, const Scenario& s) {
  std::string out = "{message: " + std::string(s.protocol_spec->messages[f.drop.message]);
  if (f.drop.from != kNoNode) out += ", from: " + s.nodes[f.drop.from].id;
  if (f.drop.to != kNoNode) out += ", to: " + s.nodes[f.drop.to].id;
  return out + ", nth: " + std::to_string(f.drop.nth) + "}";
}

// The fault's kind and its own keys; `length_key` names its length.
std::string kind_yaml(const PlannedFault& f, const Scenario& s, const char*& length_key) {
  const std::string target =
      f.target.role.empty() && f.target.node == kNoNode ? "" : target_yaml(f.target, s);
  length_key = "for";
  switch (f.type) {
    case FaultType::crash:
      length_key = "restart_after";
      return "crash: " + target;
    case FaultType::pause:
      return "pause: " + target;
    case FaultType::isolate:
      length_key = "heal_after";
      return "isolate: " + target;
    case FaultType::clock_step:
      return "clock_step: " + target + ", by: " + format_duration(f.by);
    case FaultType::clock_rate:
      return "clock_rate: " + target +
             ", to_ppm: " + number(static_cast<double>(f.to_ppb) / 1000.0);
    case FaultType::disk_stall:
      return "disk_stall: " + target;
    case FaultType::disk_slow:
      return "disk_slow: " + target + ", factor: " + number(f.factor);
    case FaultType::partition:
      length_key = "heal_after";
      return "partition: " + groups_yaml(f, s);
    case FaultType::partial_partition:
      length_key = "heal_after";
      return "partial_partition: " + groups_yaml(f, s);
    case FaultType::cut: {
      length_key = "heal_after";
      std::string out = "cut: [";
      for (size_t i = 0; i < f.links.size(); ++i) {
        out += (i ? ", " : "") + std::string("{from: ") + s.nodes[f.links[i].first].id +
               ", to: " + s.nodes[f.links[i].second].id + "}";
      }
      return out + "]";
    }
    case FaultType::link:
      return "link: " + link_yaml(f, s);
    case FaultType::drop:
      break;
  }
  return "drop: " + drop_yaml(f, s);
}

std::string fault_yaml(const PlannedFault& f, const Scenario& s) {
  const char* length_key = "heal_after";
  std::string out = "{" + timing_yaml(f, s) + ", " + kind_yaml(f, s, length_key);
  if (f.length && f.type != FaultType::clock_step && f.type != FaultType::drop) {
    out += std::string(", ") + length_key + ": " + format_duration(*f.length);
  }
  return out + "}";
}

void write_checkers(std::string& out, const Scenario& s) {
  if (s.checkers.empty()) return;
  out += "checkers:\n";
  for (const CheckerConfig& c : s.checkers) {
    if (c.params.entries().empty()) {
      out += "  - " + c.name + "\n";
      continue;
    }
    std::string params;
    for (const auto& [name, value] : c.params.entries()) {
      params += (params.empty() ? "" : ", ") + name + ": " + param_yaml(value);
    }
    out += "  - " + c.name + ": {" + params + "}\n";
  }
}

void write_artifact(std::string& out, const ArtifactInfo& a) {
  if (!a.present) return;
  out += "artifact:\n";
  out += "  source: " + quoted(a.source) + "\n";
  // A run that met every expectation has no violated checker (an artifact of it still replays).
  if (!a.violated.empty()) out += "  violated: " + a.violated + "\n";
  out += "  trace_hash: \"" + a.trace_hash + "\"\n";
  out += "  hash_version: " + std::to_string(a.hash_version) + "\n";
  if (!a.swarm.empty()) out += "  swarm: " + quoted(a.swarm) + "\n";
  if (!a.section_hashes.empty()) {
    out += "  section_hashes:\n";
    for (const auto& [name, hash] : a.section_hashes) out += "    " + name + ": \"" + hash + "\"\n";
  }
  if (a.checkpoint_every > 0) {
    out += "  checkpoint_every: " + std::to_string(a.checkpoint_every) + "\n";
    out += "  checkpoints: [";
    for (size_t i = 0; i < a.checkpoints.size(); ++i) {
      out += (i ? ", " : "") + std::string("\"") + a.checkpoints[i] + "\"";
    }
    out += "]\n";
  }
}

}  // namespace

std::string distribution_yaml(const Distribution& d, bool duration) {
  switch (d.kind) {
    case Distribution::Kind::constant:
      return amount(d.a, duration);
    case Distribution::Kind::uniform:
      return "{uniform: [" + amount(d.a, duration) + ", " + amount(d.b, duration) + "]}";
    case Distribution::Kind::exponential:
      return "{exponential: " + amount(d.a, duration) + "}";
    case Distribution::Kind::normal:
      return "{normal: {mean: " + amount(d.a, duration) + ", stddev: " + amount(d.b, duration) +
             "}}";
    case Distribution::Kind::lognormal:
      break;
  }
  return "{lognormal: {median: " + amount(d.a, duration) + ", sigma: " + number(d.b) + "}}";
}

std::string param_yaml(const ParamValue& value) {
  if (const auto* d = std::get_if<Distribution>(&value)) return distribution_yaml(*d, true);
  if (const auto* x = std::get_if<double>(&value)) return number(*x);
  return describe_param(value);
}

std::string write_resolved_scenario(const Scenario& s, const Plan& plan, uint64_t seed,
                                    const ArtifactInfo& artifact) {
  assert(plan.clocks.size() == s.nodes.size());
  std::string out;
  out += "# Written by lockstep: every random choice of seed " + std::to_string(seed) +
         " is resolved below.\n";
  out += "name: " + quoted(s.name) + "\n";
  if (!s.summary.empty()) out += "summary: " + quoted(s.summary) + "\n";
  out += "seed: " + std::to_string(seed) + "\n";
  out += "duration: " + format_duration(s.duration) + "\n";
  out += "protocol:\n  name: " + s.protocol + "\n  params:\n";
  for (const auto& [name, value] : s.nodes.front().params.entries()) {
    if (const auto shared = shared_param(s, name)) {
      out += "    " + name + ": " + param_yaml(*shared) + "\n";
    }
  }
  write_nodes(out, s, plan);
  write_network(out, s);
  if (!s.workload.entries().empty()) {
    out += "workload:\n";
    write_params(out, s.workload, "  ");
  }
  out += plan.faults.empty() ? "faults: []\n" : "faults:\n";
  for (const PlannedFault& f : plan.faults) out += "  - " + fault_yaml(f, s) + "\n";
  write_checkers(out, s);
  if (!s.expect.empty()) {
    out += "expect:\n";
    for (const Expectation& e : s.expect) {
      out += "  " + e.checker + ": " + std::string(expected_name(e.verdict)) + "\n";
    }
  }
  if (!artifact.present) return out;
  ArtifactInfo recorded = artifact;
  recorded.section_hashes = run_section_hashes(out);
  write_artifact(out, recorded);
  return out;
}

std::vector<std::pair<std::string, std::string>> run_section_hashes(const std::string& text) {
  // A section runs from its top-level key line to its last indented line.
  struct Span {
    std::string_view name;
    size_t begin, end;
  };
  std::vector<Span> sections;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    const char c = text[start];
    if (c == ' ' && !sections.empty()) {
      sections.back().end = end;
    } else if (c != ' ' && c != '#' && c != '\n') {
      const size_t colon = text.find(':', start);
      if (colon != std::string::npos && colon < end) {
        sections.push_back({std::string_view(text).substr(start, colon - start), start, end});
      }
    }
    start = end;
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const keys::Key& k : keys::kSectionHashes) {
    for (const Span& span : sections) {
      if (span.name == k.name) {
        const std::string_view body =
            std::string_view(text).substr(span.begin, span.end - span.begin);
        out.emplace_back(std::string(span.name), hash_hex(XXH3_64bits(body.data(), body.size())));
      }
    }
  }
  return out;
}

}  // namespace lockstep::sim
