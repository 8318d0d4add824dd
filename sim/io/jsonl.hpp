// The JSONL form of a trace (docs/trace-format.md): a header line, then one object per event,
// and the sink that writes it to a file all-or-nothing.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/event.hpp"
#include "sim/core/trace.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/write_behind.hpp"

namespace lockstep::sim {

// One JSON object per line: a header line {"schema_version":1,...} then one line per event.
std::string event_to_json(const Event& e, const TraceInfo& info);
std::string trace_header_json(const TraceInfo& info);
// Appends `s` as a JSON string literal (quotes and escapes included).
void append_json_string(std::string& out, std::string_view s);
// Appends `v` in decimal, as std::to_string writes it (two digits per division: faster).
void append_decimal(std::string& out, int64_t v);

// Writes the JSONL trace to `path` as an AtomicFile, so an interrupted or failed run never
// leaves a half-written trace. Lines are formatted into 1 MiB blocks that a WriteBehind thread
// writes while the run goes on.
class JsonlSink : public TraceSink {
 public:
  explicit JsonlSink(std::string path);
  void begin(const TraceInfo& info) override;
  void on_event(const Event& e) override;
  // Writes what is buffered, flushes and renames into place; returns false (and removes the temp
  // file) on I/O failure.
  bool commit();
  // False when the temporary file could not be created (checked before a run starts).
  bool ok() const { return file_.ok(); }
  // Why the file could not be created or written ("" while ok()).
  const std::string& error() const { return file_.error(); }

 private:
  // Every name a line can hold, quoted once per run ("n1", ,"kind":"net.send", ,"to":), so a
  // line is formatted by copying them and the integers between into buf_.
  struct Names {
    std::vector<std::string> nodes;  // "id"
    std::vector<std::string> kinds;  // ,"kind":"name"
    std::vector<std::string> keys;   // ,"key":
    std::vector<FieldType> key_types;
    std::vector<std::string> messages;  // "name"
    size_t longest = 0;                 // the longest of them all
  };
  void learn_vocabulary();
  char* field(char* out, const Field& f);
  void flush();

  AtomicFile file_;
  WriteBehind out_;  // after file_: it is stopped before the file is closed
  const TraceInfo* info_ = nullptr;
  Names names_;
  size_t used_ = 0;  // bytes of out_'s block filled
};

}  // namespace lockstep::sim
