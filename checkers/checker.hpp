// A checker reads a run's trace as it streams by and, at the end, gives a verdict with the
// events that decide it and one sentence a person can act on. Checkers see only the trace
// (never a protocol's internals) and keep memory proportional to active state, not trace length.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::checkers {

struct CheckResult {
  std::string checker;
  sim::Verdict verdict = sim::Verdict::holds;
  std::string explanation;            // one or two sentences; empty when it simply holds
  std::vector<std::string> evidence;  // the deciding events, rendered by describe_event
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

}  // namespace lockstep::checkers
