// A small builder of synthetic traces for the checker tests: named nodes, events at true times
// given in seconds, and per-node clock offsets so local readings can differ from true time.
#pragma once

#include <cassert>
#include <cmath>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checkers/checker.hpp"
#include "sim/core/event.hpp"
#include "sim/core/trace.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {

inline sim::Instant secs(double s) { return sim::Instant{std::llround(s * 1e9)}; }
inline sim::Duration span(double s) { return sim::Duration{std::llround(s * 1e9)}; }

class Script {
 public:
  Script() {
    info_.scenario = "test";
    info_.protocol = "lease_lock";
    info_.node_ids = {"lock", "c1", "c2", "c3", "store"};
    info_.node_roles = {"server", "client", "client", "client", "resource"};
    info_.messages = {"acquire", "grant", "renew"};
    info_.vocabulary = ::lockstep::testing::catalog_vocabulary();
    offsets_.assign(info_.node_ids.size(), Offsets{});
  }

  // The node index named `name`; for node-typed fields (writer, holder, client, to).
  int64_t n(std::string_view name) const {
    for (size_t i = 0; i < info_.node_ids.size(); ++i) {
      if (info_.node_ids[i] == name) return static_cast<int64_t>(i);
    }
    assert(false && "unknown node name in test script");
    return -1;
  }

  // Later events of `node` read its monotonic clock `mono_s` and wall clock `wall_s` seconds
  // away from true time.
  Script& clock(std::string_view node, double mono_s, double wall_s) {
    offsets_[static_cast<size_t>(n(node))] = Offsets{span(mono_s), span(wall_s)};
    return *this;
  }

  // An event at `at_s` seconds of true time; `node` empty means no node (kNoNode).
  Script& add(double at_s, std::string_view node, sim::Kind kind,
              std::initializer_list<std::pair<sim::Key, int64_t>> fields = {},
              std::string_view text = {}) {
    assert(fields.size() <= sim::Event::kMaxFields);
    sim::Event e;
    e.at = secs(at_s);
    e.kind = kind;
    e.text = text;
    if (!node.empty()) {
      e.node = static_cast<sim::NodeIndex>(n(node));
      e.mono = sim::LocalTime{e.at.ns} + offsets_[e.node].mono;
      e.wall = sim::LocalTime{e.at.ns} + offsets_[e.node].wall;
    }
    for (const auto& [key, value] : fields) e.fields[e.field_count++] = sim::Field{key, value};
    events_.push_back(e);
    return *this;
  }

  // Events of later add() calls may use the kinds and keys of `v` (a superset of the catalog's).
  Script& vocabulary(std::shared_ptr<const sim::Vocabulary> v) {
    info_.vocabulary = std::move(v);
    return *this;
  }

  const sim::TraceInfo& info() const { return info_; }
  // A piece of evidence as the text report renders it.
  std::string line(const Evidence& e) const { return describe_event(e, info_); }
  const std::vector<sim::Event>& events() const { return events_; }

  // Streams every event through `sink`, ending the run at `end_s` seconds.
  void feed(sim::TraceSink& sink, double end_s) const {
    sink.begin(info_);
    for (const sim::Event& e : events_) sink.on_event(e);
    sink.end(secs(end_s));
  }

  // Builds the named checker (with `within` for liveness), feeds it and returns its result.
  CheckResult check(const std::string& name, double end_s,
                    std::optional<std::string> within = std::nullopt) const {
    sim::CheckerConfig config;
    config.name = name;
    if (within.has_value()) config.params.set("within", *sim::parse_duration(*within));
    std::unique_ptr<Checker> checker = make_checker(config);
    feed(*checker, end_s);
    return checker->result();
  }

 private:
  struct Offsets {
    sim::Duration mono;
    sim::Duration wall;
  };
  sim::TraceInfo info_;
  std::vector<Offsets> offsets_;
  std::vector<sim::Event> events_;
};

}  // namespace lockstep::checkers::testing
