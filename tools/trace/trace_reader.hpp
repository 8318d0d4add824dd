// Trace files outside a run: reading a JSONL trace (docs/trace-format.md, schema_version 1) written
// by `run --trace` or converted from a real system's logs, validating every line and streaming its
// events to checkers.
#pragma once

#include <cstdint>
#include <cstdio>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/core/trace.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/scenario.hpp"
#include "tools/trace/event_checks.hpp"
#include "tools/trace/fast_line.hpp"

namespace lockstep::tools {

// A malformed trace, located: "FILE:LINE: field 'x': problem" (or "FILE:LINE: problem" when the
// whole line is at fault, such as bad JSON).
class TraceError : public std::runtime_error {
 public:
  TraceError(const std::string& file, int64_t line, std::string_view field,
             const std::string& problem);
  int64_t line() const { return line_; }
  const std::string& field() const { return field_; }

 private:
  int64_t line_;
  std::string field_;
};

// Names (node ids, message types) to their index in the header.
using NameIndex = std::map<std::string, size_t, std::less<>>;

// Limits that keep a hostile or corrupt trace from exhausting memory.
struct TraceLimits {
  size_t max_line_bytes = 1 << 20;    // one JSON object per line
  size_t max_nodes = 100'000;         // nodes in the header
  size_t max_messages = 4096;         // message type names in the header
  size_t max_text_bytes = 64u << 20;  // distinct event texts kept alive for the checkers
  // Read writer-shaped lines on the fast path (tools/trace/fast_line.hpp); tests turn it off to
  // compare both paths, which must give the same events and errors.
  bool fast_path = true;
};

// Reads the header on construction, then one event per next(). Events' `text` views point into
// the reader, which must outlive every event (and every checker result) it handed out.
class TraceReader {
 public:
  // Throws TraceError when the header line is missing or malformed. With a catalog, the kinds and
  // fields of every protocol it knows are readable, and a header naming one of its protocols
  // gives the nodes their role claims; without one, only the kernel's kinds are.
  TraceReader(std::istream& in, std::string file, const sim::Catalog* catalog = nullptr,
              TraceLimits limits = {});

  const sim::TraceInfo& info() const { return info_; }
  // The next event, validated; false at the end of the input. Throws TraceError.
  bool next(sim::Event& out);
  // The instant the trace ends: the header's duration_ns, or the last event's t without one.
  sim::Instant end() const;
  int64_t line() const { return line_; }
  // How many event lines so far the fast path read (the rest went through the JSON parser).
  uint64_t fast_lines() const { return fast_lines_; }

 private:
  bool read_line();
  bool fill();
  bool slow_event(sim::Event& out, std::string& text);
  void read_header();
  [[noreturn]] void fail(std::string_view field, const std::string& problem) const;

  std::istream& in_;
  std::string file_;
  const sim::Catalog* catalog_;
  TraceLimits limits_;
  sim::TraceInfo info_;
  NameIndex node_index_;
  NameIndex message_index_;
  std::optional<int64_t> duration_ns_;
  // The input is read in large blocks into buf_; current_ is the line being read, a view into
  // buf_ (without its newline or a trailing '\r'), valid until the next read_line().
  std::string buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  std::string_view current_;
  int64_t line_ = 0;
  int64_t last_t_ = 0;
  uint64_t fast_lines_ = 0;
  std::set<std::string, std::less<>> texts_;  // interned event texts (stable addresses)
  size_t text_bytes_ = 0;
  std::unique_ptr<EventChecks> checks_;  // references, duplicates (after the header)
  std::unique_ptr<FastLine> fast_;       // writer-shaped lines (after the header)
};

// Streams the whole trace through `sinks`: begin(info), on_event per event, end(reader.end()).
// Returns the number of events. Throws TraceError on the first malformed line.
uint64_t feed_trace(TraceReader& reader, std::span<sim::TraceSink* const> sinks);

// "liveness:within=15s,..." as `lockstep check --checker` takes it: a checker config validated
// against `specs` (did-you-mean for names and params), params parsed as the scenario loader
// parses them and defaults filled in. Throws std::invalid_argument with a message for the user.
sim::CheckerConfig parse_checker_arg(std::string_view arg, std::span<const sim::CheckerSpec> specs);

}  // namespace lockstep::tools
