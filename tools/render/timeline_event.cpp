#include "tools/render/timeline_event.hpp"

#include <cassert>

#include "tools/render/timeline.hpp"

namespace lockstep::tools {

std::string timeline_field_text(const sim::Field& f, const sim::TraceInfo& info) {
  switch (info.key_type(f.key)) {
    case sim::FieldType::node:
      return f.value >= 0 && static_cast<size_t>(f.value) < info.node_ids.size()
                 ? info.node_ids[static_cast<size_t>(f.value)]
                 : std::to_string(f.value);
    case sim::FieldType::duration_ns:
      return sim::format_duration(sim::Duration{f.value});
    case sim::FieldType::boolean:
      return f.value != 0 ? "true" : "false";
    case sim::FieldType::message_type:
      return f.value >= 0 && static_cast<size_t>(f.value) < info.messages.size()
                 ? info.messages[static_cast<size_t>(f.value)]
                 : std::to_string(f.value);
    case sim::FieldType::integer:
      return std::to_string(f.value);
  }
  return std::to_string(f.value);
}

std::string timeline_event_title(const sim::Event& e, const sim::TraceInfo& info) {
  std::string out = sim::format_seconds(e.at.ns) + " ";
  if (e.node != sim::kNoNode) out += info.node_name(e.node) + " ";
  out += info.kind_name(e.kind);
  for (uint8_t i = 0; i < e.field_count; ++i) {
    out += " " + std::string(info.key_name(e.fields[i].key)) + "=" +
           timeline_field_text(e.fields[i], info);
  }
  if (!e.text.empty()) out += " \"" + std::string(e.text) + "\"";
  return out;
}

nlohmann::json timeline_event_json(const sim::Event& e, const sim::TraceInfo& info) {
  assert(e.field_count <= sim::Event::kMaxFields);
  nlohmann::json fields = nlohmann::json::object();
  for (uint8_t i = 0; i < e.field_count; ++i) {
    fields[std::string(info.key_name(e.fields[i].key))] = timeline_field_text(e.fields[i], info);
  }
  const bool local = e.node != sim::kNoNode;
  nlohmann::json out = {{"kind", std::string(info.kind_name(e.kind))},
                        {"mono", local ? e.mono.ns : 0},
                        {"wall", local ? e.wall.ns : 0},
                        {"fields", fields}};
  if (!e.text.empty()) out["text"] = std::string(e.text);
  return out;
}

// Declared in timeline.hpp; kept here so timeline.cpp stays within the size rule.
std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace lockstep::tools
