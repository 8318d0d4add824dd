// A builder of synthetic election traces for the election checker and metrics tests: nodes
// n1..nN in role "node" plus one "store" (which never votes), and shorthands for the leader
// events and for faults with the net.link_down/up events the world traces after them.
#pragma once

#include <algorithm>
#include <cassert>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checkers/checker.hpp"
#include "sim/core/event.hpp"
#include "sim/core/trace.hpp"
#include "tests/checkers/script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {

class ElectionScript {
 public:
  using Link = std::pair<std::string, std::string>;

  explicit ElectionScript(int nodes = 5) {
    info_.scenario = "test";
    info_.protocol = "raft";
    info_.vocabulary = ::lockstep::testing::catalog_vocabulary();
    for (int i = 1; i <= nodes; ++i) {
      info_.node_ids.push_back("n" + std::to_string(i));
      info_.node_roles.push_back("node");
      info_.node_claims.push_back({"leader"});
    }
    info_.node_ids.push_back("store");
    info_.node_roles.push_back("store");
    info_.node_claims.push_back({});
  }

  int64_t n(std::string_view name) const {
    for (size_t i = 0; i < info_.node_ids.size(); ++i) {
      if (info_.node_ids[i] == name) return static_cast<int64_t>(i);
    }
    assert(false && "unknown node name in test script");
    return -1;
  }

  // An event at `at_s` seconds of true time; `node` empty means no node. Local clocks read
  // true time plus `mono_offset_s` (the same for every node: enough for these tests).
  ElectionScript& add(double at_s, std::string_view node, sim::Kind kind,
                      std::initializer_list<std::pair<sim::Key, int64_t>> fields = {},
                      std::string_view text = {}) {
    assert(fields.size() <= sim::Event::kMaxFields);
    sim::Event e;
    e.at = secs(at_s);
    e.kind = kind;
    e.text = text;
    if (!node.empty()) {
      e.node = static_cast<sim::NodeIndex>(n(node));
      e.mono = sim::LocalTime{e.at.ns} + mono_offset_;
      e.wall = sim::LocalTime{e.at.ns} + mono_offset_;
    }
    for (const auto& [key, value] : fields) e.fields[e.field_count++] = sim::Field{key, value};
    events_.push_back(e);
    return *this;
  }
  ElectionScript& clock_offset(double s) {
    mono_offset_ = span(s);
    return *this;
  }

  ElectionScript& started(double at, std::string_view node, int64_t term, bool prevote = false) {
    return add(at, node, obs::election_started,
               {{fld::term, term}, {fld::prevote, prevote ? 1 : 0}});
  }
  ElectionScript& elected(double at, std::string_view node, int64_t term) {
    return add(at, node, obs::leader_elected, {{fld::term, term}});
  }
  ElectionScript& confirmed(double at, std::string_view node, int64_t term) {
    return add(at, node, obs::leader_confirmed, {{fld::term, term}});
  }
  // Confirmations of `node` for `term` every `every` seconds from `from` while before `to`.
  ElectionScript& confirmed_every(double from, double to, double every, std::string_view node,
                                  int64_t term) {
    for (double t = from; t < to; t += every) confirmed(t, node, term);
    return *this;
  }
  ElectionScript& stepped_down(double at, std::string_view node, int64_t term,
                               std::string_view reason = "higher term seen") {
    return add(at, node, obs::leader_stepped_down, {{fld::term, term}}, reason);
  }
  ElectionScript& node_fault(double at, std::string_view node, sim::Kind kind, int64_t fault) {
    return add(at, node, kind, {{sim::Key::fault, fault}});
  }

  // fault.partition (or fault.cut) `fault`, then net.link_down for every blocked directed link.
  ElectionScript& partition(double at, const std::vector<std::vector<std::string>>& groups,
                            int64_t fault) {
    std::vector<Link> links;
    for (size_t a = 0; a < groups.size(); ++a) {
      for (size_t b = 0; b < groups.size(); ++b) {
        if (a == b) continue;
        for (const std::string& x : groups[a]) {
          for (const std::string& y : groups[b]) links.push_back({x, y});
        }
      }
    }
    add(at, "", sim::Kind::fault_partition, {{sim::Key::fault, fault}});
    return block(at, links, fault);
  }
  ElectionScript& cut(double at, const std::vector<Link>& links, int64_t fault) {
    add(at, "", sim::Kind::fault_cut, {{sim::Key::fault, fault}});
    return block(at, links, fault);
  }
  // fault.isolate of `node`: every link to and from it goes down.
  ElectionScript& isolate(double at, std::string_view node, int64_t fault) {
    std::vector<Link> links;
    for (const std::string& other : info_.node_ids) {
      if (other == node) continue;
      links.push_back({std::string(node), other});
      links.push_back({other, std::string(node)});
    }
    node_fault(at, node, sim::Kind::fault_isolate, fault);
    return block(at, links, fault);
  }
  // fault.heal of `fault`, then net.link_up for every link it had blocked.
  ElectionScript& heal(double at, int64_t fault, std::string_view node = {}) {
    add(at, node, sim::Kind::fault_heal, {{sim::Key::fault, fault}});
    for (const Link& l : blocked_[fault]) {
      add(at, "", sim::Kind::net_link_up,
          {{sim::Key::from, n(l.first)}, {sim::Key::to, n(l.second)}, {sim::Key::fault, fault}});
    }
    blocked_.erase(fault);
    return *this;
  }

  const sim::TraceInfo& info() const { return info_; }
  // A piece of evidence as the text report renders it.
  std::string line(const Evidence& e) const { return describe_event(e, info_); }

  // Streams the events in true-time order (a stable sort: events added for one instant keep
  // their order), so a test may add a series and then a fault inside it.
  void feed(sim::TraceSink& sink, double end_s) const {
    std::vector<sim::Event> sorted = events_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const sim::Event& a, const sim::Event& b) { return a.at < b.at; });
    sink.begin(info_);
    for (const sim::Event& e : sorted) sink.on_event(e);
    sink.end(secs(end_s));
  }

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
  ElectionScript& block(double at, const std::vector<Link>& links, int64_t fault) {
    for (const Link& l : links) {
      add(at, "", sim::Kind::net_link_down,
          {{sim::Key::from, n(l.first)}, {sim::Key::to, n(l.second)}, {sim::Key::fault, fault}});
    }
    blocked_[fault] = links;
    return *this;
  }

  sim::TraceInfo info_;
  sim::Duration mono_offset_;
  std::map<int64_t, std::vector<Link>> blocked_;
  std::vector<sim::Event> events_;
};

}  // namespace lockstep::checkers::testing
