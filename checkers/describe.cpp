// describe_event: one trace event as a line a person reads in a verdict's evidence, e.g.
// "12.503s c1 lock.acquired token=1 lease_ns=10s (local mono 12.501s, wall 12.551s)".
#include <cassert>
#include <string>

#include "checkers/checker.hpp"
#include "checkers/internal.hpp"

namespace lockstep::checkers {
namespace {

std::string render_value(const sim::Field& field, const sim::TraceInfo& info) {
  switch (info.key_type(field.key)) {
    case sim::FieldType::integer:
      return std::to_string(field.value);
    case sim::FieldType::node:
      if (field.value < 0 || field.value >= static_cast<int64_t>(sim::kNoNode)) return "none";
      return info.node_name(static_cast<sim::NodeIndex>(field.value));
    case sim::FieldType::duration_ns:
      return sim::format_duration(sim::Duration{field.value});
    case sim::FieldType::boolean:
      return field.value != 0 ? "true" : "false";
    case sim::FieldType::message_type:
      // A protocol's message names come from TraceInfo; an unknown id still shows its number.
      if (field.value >= 0 && static_cast<size_t>(field.value) < info.messages.size()) {
        return info.messages[static_cast<size_t>(field.value)];
      }
      return std::to_string(field.value);
  }
  return std::to_string(field.value);
}

}  // namespace

// The event's text (a fault's description, a reason) follows its fields in quotes; the local
// clock readings close the line in parentheses. Events with no node (partitions, heals) have
// no local clock, so that part is left out.
std::string describe_event(const sim::Event& e, const sim::TraceInfo& info) {
  assert(e.field_count <= sim::Event::kMaxFields);
  std::string out = sim::format_seconds(e.at.ns);
  if (e.node != sim::kNoNode) {
    out += ' ';
    out += info.node_name(e.node);
  }
  out += ' ';
  out += info.kind_name(e.kind);
  for (uint8_t i = 0; i < e.field_count; ++i) {
    out += ' ';
    out += info.key_name(e.fields[i].key);
    out += '=';
    out += render_value(e.fields[i], info);
  }
  if (!e.text.empty()) {
    out += " \"";
    out += e.text;
    out += '"';
  }
  if (e.node != sim::kNoNode) {
    out += " (local mono " + sim::format_seconds(e.mono.ns) + ", wall " +
           sim::format_seconds(e.wall.ns) + ")";
  }
  return out;
}

std::string describe_event(const Evidence& e, const sim::TraceInfo& info) {
  return describe_event(e.event(), info);
}

Evidence Evidence::of(const sim::Event& e) {
  Evidence out;
  out.at = e.at;
  out.node = e.node;
  out.mono = e.mono;
  out.wall = e.wall;
  out.kind = e.kind;
  out.fields.assign(e.fields.begin(), e.fields.begin() + e.field_count);
  out.text = std::string(e.text);
  return out;
}

sim::Event Evidence::event() const {
  assert(fields.size() <= sim::Event::kMaxFields);
  sim::Event e;
  e.at = at;
  e.node = node;
  e.mono = mono;
  e.wall = wall;
  e.kind = kind;
  for (const sim::Field& f : fields) e.fields[e.field_count++] = f;
  e.text = text;
  return e;
}

namespace detail {

std::string format_length(sim::Duration d) {
  const int64_t magnitude = d.ns < 0 ? -d.ns : d.ns;
  if (magnitude != 0 && magnitude < 1'000'000) return sim::format_duration(d);
  return sim::format_seconds(d.ns);
}

}  // namespace detail
}  // namespace lockstep::checkers
