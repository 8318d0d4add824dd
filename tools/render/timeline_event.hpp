// One trace event as the timeline page shows it: a line for the hover and, for the details panel,
// every field with the node's two local clock readings. Kept apart from timeline.cpp, which
// collects and samples; this only renders one event.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/core/event.hpp"
#include "sim/core/trace.hpp"

namespace lockstep::tools {

// A field rendered as the trace's JSON would: node ids by name, durations as "10s".
std::string timeline_field_text(const sim::Field& f, const sim::TraceInfo& info);

// "5.000s c1 fault.pause fault=0 "pause c1 for 15s"": time, node, kind, fields, text.
std::string timeline_event_title(const sim::Event& e, const sim::TraceInfo& info);

// The event for the details panel: {kind, mono, wall, fields: {name: text}, text}. Its true time
// and node are the drawn item's own `t` and `node`. mono and wall are the node's clock readings
// (0 for an event of the whole system, which no node's clock read).
nlohmann::json timeline_event_json(const sim::Event& e, const sim::TraceInfo& info);

}  // namespace lockstep::tools
