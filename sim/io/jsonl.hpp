// The JSONL form of a trace (docs/trace-format.md): a header line, then one object per event,
// and the sink that writes it to a file all-or-nothing.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "sim/core/event.hpp"
#include "sim/core/trace.hpp"
#include "sim/io/atomic_file.hpp"

namespace lockstep::sim {

// One JSON object per line: a header line {"schema_version":1,...} then one line per event.
std::string event_to_json(const Event& e, const TraceInfo& info);
std::string trace_header_json(const TraceInfo& info);
// Appends `s` as a JSON string literal (quotes and escapes included).
void append_json_string(std::string& out, std::string_view s);

// Writes the JSONL trace to `path` as an AtomicFile, so an interrupted or failed run never
// leaves a half-written trace.
class JsonlSink : public TraceSink {
 public:
  explicit JsonlSink(std::string path);
  void begin(const TraceInfo& info) override;
  void on_event(const Event& e) override;
  // Flushes and renames into place; returns false (and removes the temp file) on I/O failure.
  bool commit();
  // False when the temporary file could not be created (checked before a run starts).
  bool ok() const { return file_.ok(); }
  // Why the file could not be created or written ("" while ok()).
  const std::string& error() const { return file_.error(); }

 private:
  AtomicFile file_;
  const TraceInfo* info_ = nullptr;
  std::string line_;
};

}  // namespace lockstep::sim
