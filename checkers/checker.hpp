// A checker reads a run's trace as it streams by and, at the end, gives a verdict with the
// events that decide it and one sentence a person can act on. Checkers see only the trace
// (never a protocol's internals) and keep memory proportional to active state, not trace length.
// Evidence is data: the deciding events themselves, and the interval of true time the verdict
// is about; renderers (text, JSON, timeline) turn them into words and pictures.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/event.hpp"
#include "sim/core/trace.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::checkers {

// One deciding event, kept whole (its text owned, so it outlives the run).
struct Evidence {
  sim::Instant at;
  sim::NodeIndex node = sim::kNoNode;
  sim::LocalTime mono;
  sim::LocalTime wall;
  sim::Kind kind = sim::Kind::net_send;
  std::vector<sim::Field> fields;
  std::string text;

  static Evidence of(const sim::Event& e);
  // A view of this evidence as a trace event (valid while this Evidence lives).
  sim::Event event() const;
  bool operator==(const Evidence&) const = default;
};

// A stretch of true time: [from, to] (from == to for an instant).
struct Interval {
  sim::Instant from;
  sim::Instant to;
};

struct CheckResult {
  std::string checker;
  sim::Verdict verdict = sim::Verdict::holds;
  std::string explanation;           // one or two sentences; empty when it simply holds
  std::vector<Evidence> evidence;    // the deciding events, in the order the explanation uses
  std::optional<size_t> deciding;    // index into evidence: the event that settles a violation
  std::optional<Interval> interval;  // the time the verdict is about (an overlap, a stall)
};

class Checker : public sim::TraceSink {
 public:
  // Valid after end(): the verdict for the whole trace.
  virtual CheckResult result() const = 0;
};

// The explicit table of checkers: names, params, meanings (for the loader and `lockstep list`).
std::vector<sim::CheckerSpec> checker_specs();
// Builds the checker a scenario configured. The config was validated against checker_specs().
std::unique_ptr<Checker> make_checker(const sim::CheckerConfig& config);

// "12.503s c1 lock.acquired token=1 (local mono 12.501s, wall 12.551s)": one event for people.
std::string describe_event(const sim::Event& e, const sim::TraceInfo& info);
std::string describe_event(const Evidence& e, const sim::TraceInfo& info);

}  // namespace lockstep::checkers
