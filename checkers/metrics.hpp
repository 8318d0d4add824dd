// Per-run metrics computed from the trace, under the stable names the pattern docs quote
// (docs/metrics.md). Units are part of the name's contract.
#pragma once

#include <string>
#include <vector>

#include "sim/core/trace.hpp"

namespace lockstep::checkers {

struct Metric {
  std::string name;  // e.g. "lock.wait_time.p50"
  std::string unit;  // "s", "count", "ratio"
  double value = 0;
};

class Metrics : public sim::TraceSink {
 public:
  void begin(const sim::TraceInfo& info) override;
  void on_event(const sim::Event& e) override;
  // Every kind but timer fires, boots and storage events, which no metric counts.
  bool wants(sim::Kind kind) const override;
  bool only_counts(sim::Kind kind) const override;
  void counted(sim::Kind kind, uint64_t events) override;
  void end(sim::Instant end) override;
  // Valid after end(), in a fixed order.
  const std::vector<Metric>& values() const { return values_; }

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
  std::vector<Metric> values_;
};

}  // namespace lockstep::checkers
