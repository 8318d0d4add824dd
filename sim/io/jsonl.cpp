#include "sim/io/jsonl.hpp"

#include <cassert>
#include <charconv>
#include <cstdio>

namespace lockstep::sim {
namespace {

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  assert(ec == std::errc());
  out.append(buf, end);
}

void append_field(std::string& out, const Field& f, const TraceInfo& info) {
  out += ",\"";
  out += info.key_name(f.key);
  out += "\":";
  switch (info.key_type(f.key)) {
    case FieldType::node:
      if (f.value >= 0 && static_cast<size_t>(f.value) < info.node_ids.size()) {
        append_json_string(out, info.node_ids[static_cast<size_t>(f.value)]);
      } else {
        append_int(out, f.value);
      }
      break;
    case FieldType::boolean:
      out += f.value != 0 ? "true" : "false";
      break;
    case FieldType::message_type:
      if (f.value >= 0 && static_cast<size_t>(f.value) < info.messages.size()) {
        append_json_string(out, info.messages[static_cast<size_t>(f.value)]);
      } else {
        append_int(out, f.value);
      }
      break;
    case FieldType::integer:
    case FieldType::duration_ns:
      append_int(out, f.value);
      break;
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::string event_to_json(const Event& e, const TraceInfo& info) {
  std::string out;
  out.reserve(160);
  out += "{\"t\":";
  append_int(out, e.at.ns);
  out += ",\"node\":";
  if (e.node == kNoNode) {
    out += "null";
  } else {
    append_json_string(out, info.node_name(e.node));
  }
  out += ",\"mono\":";
  append_int(out, e.mono.ns);
  out += ",\"wall\":";
  append_int(out, e.wall.ns);
  out += ",\"kind\":";
  append_json_string(out, info.kind_name(e.kind));
  for (uint8_t i = 0; i < e.field_count; ++i) append_field(out, e.fields[i], info);
  if (!e.text.empty()) {
    out += ",\"text\":";
    append_json_string(out, e.text);
  }
  out += '}';
  return out;
}

std::string trace_header_json(const TraceInfo& info) {
  std::string out = "{\"schema_version\":1,\"scenario\":";
  append_json_string(out, info.scenario);
  out += ",\"protocol\":";
  append_json_string(out, info.protocol);
  out += ",\"seed\":";
  out += std::to_string(info.seed);
  out += ",\"duration_ns\":";
  append_int(out, info.duration_ns);
  out += ",\"nodes\":[";
  for (size_t i = 0; i < info.node_ids.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"id\":";
    append_json_string(out, info.node_ids[i]);
    out += ",\"role\":";
    append_json_string(out, i < info.node_roles.size() ? info.node_roles[i] : "");
    out += '}';
  }
  out += "],\"messages\":[";
  for (size_t i = 0; i < info.messages.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, info.messages[i]);
  }
  out += "]}";
  return out;
}

JsonlSink::JsonlSink(std::string path) : file_(std::move(path)) {}

void JsonlSink::begin(const TraceInfo& info) {
  info_ = &info;
  line_ = trace_header_json(info);
  line_ += '\n';
  file_.write(line_);
}

void JsonlSink::on_event(const Event& e) {
  assert(info_ != nullptr);
  line_ = event_to_json(e, *info_);
  line_ += '\n';
  file_.write(line_);
}

bool JsonlSink::commit() { return file_.commit(); }

}  // namespace lockstep::sim
