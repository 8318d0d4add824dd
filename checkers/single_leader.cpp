// single_leader: at most one node believes it leads at any true instant. This is stronger than
// what Raft promises (one leader per term): an old leader that has not yet heard of a newer term
// still believes, and acts, while the new one leads. A node believes from leader.elected until
// leader.stepped_down or fault.crash; a paused or isolated node keeps believing. The first
// overlap is reported with its length (as mutual_exclusion does for locks) and whether the two
// terms differ: different terms mean a stale leader still acting, the same term also breaks
// election safety. Events at one instant count in trace order, as in mutual_exclusion.
#include <algorithm>
#include <cassert>
#include <optional>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "checkers/first_overlap.hpp"
#include "checkers/internal.hpp"
#include "checkers/words.hpp"

namespace lockstep::checkers {
namespace {

using checkers::K;
using sim::Event;
using sim::Instant;
using sim::NodeIndex;

// A span of true time a node spent paused or isolated; `to` is nullopt while it lasts.
struct Episode {
  Instant from;
  std::optional<Instant> to;
};

struct NodeState {
  std::optional<Episode> last_pause;
  std::optional<Episode> last_isolation;
};

using Overlap = detail::FirstOverlap::Overlap;

void close_episode(std::optional<Episode>& ep, Instant at) {
  if (ep.has_value() && !ep->to.has_value()) ep->to = at;
}

// Whether `ep` overlapped the span [from, to] of true time.
bool during(const std::optional<Episode>& ep, Instant from, Instant to) {
  return ep.has_value() && ep->from <= to && (!ep->to.has_value() || *ep->to >= from);
}

class SingleLeader final : public Checker {
 public:
  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    w_.resolve(*info.vocabulary);
    nodes_.assign(info.node_ids.size(), NodeState{});
    beliefs_.reset(info.node_ids.size());
    ended_ = false;
  }
  void on_event(const Event& e) override;
  // The kinds on_event's switch reads; every other event it returns on.
  bool wants(sim::Kind kind) const override {
    switch (w_(kind)) {
      case K::leader_elected:
      case K::leader_stepped_down:
      case K::fault_crash:
      case K::fault_pause:
      case K::fault_resume:
      case K::fault_isolate:
      case K::fault_heal:
        return true;
      default:
        return false;
    }
  }
  void end(Instant end) override {
    assert(info_ != nullptr);
    beliefs_.finish(end);
    ended_ = true;
  }
  CheckResult result() const override;

 private:
  std::string explanation() const;
  std::string cause() const;

  const sim::TraceInfo* info_ = nullptr;
  Words w_;
  std::vector<NodeState> nodes_;
  detail::FirstOverlap beliefs_;
  bool ended_ = false;
};

void SingleLeader::on_event(const Event& e) {
  assert(info_ != nullptr);
  // Once the first overlap has been measured the verdict is settled.
  if (beliefs_.settled()) return;
  if (e.node == sim::kNoNode) return;
  switch (w_(e.kind)) {
    case K::leader_elected:
      beliefs_.start(e);  // elected again (a newer term) without stepping down: one belief
      return;
    case K::leader_stepped_down:
    case K::fault_crash: {
      NodeState& s = detail::node_slot(nodes_, e.node);
      if (beliefs_.believes(e.node)) beliefs_.stop(e);
      if (w_(e.kind) == K::fault_crash) close_episode(s.last_pause, e.at);
      return;
    }
    case K::fault_pause:
      detail::node_slot(nodes_, e.node).last_pause = Episode{e.at, std::nullopt};
      return;
    case K::fault_resume:
      close_episode(detail::node_slot(nodes_, e.node).last_pause, e.at);
      return;
    case K::fault_isolate:
      detail::node_slot(nodes_, e.node).last_isolation = Episode{e.at, std::nullopt};
      return;
    case K::fault_heal:  // an isolation's heal names its node; partition heals name none
      close_episode(detail::node_slot(nodes_, e.node).last_isolation, e.at);
      return;
    default:
      return;
  }
}

std::string term_text(const Event& e, sim::Key term_key) {
  const std::optional<int64_t> term = e.get(term_key);
  return term.has_value() ? "term " + std::to_string(*term) : std::string("no term");
}

std::string leader_text(const Event& elected, const sim::TraceInfo& info, sim::Key term_key) {
  return info.node_name(elected.node) + " (leader of " + term_text(elected, term_key) + " since " +
         sim::format_seconds(elected.at.ns) + " true time, " +
         sim::format_seconds(elected.mono.ns) + " on its monotonic clock)";
}

std::string SingleLeader::explanation() const {
  const Overlap& o = *beliefs_.overlap();
  const sim::TraceInfo& info = *info_;
  std::string out = leader_text(o.earlier_start, info, w_.term) + " and " +
                    leader_text(o.later_start, info, w_.term) + " both believed they led from " +
                    sim::format_seconds(o.later_start.at.ns);
  const std::string length = detail::format_length(o.end - o.later_start.at);
  if (o.ended_by.has_value()) {
    out += " until " + sim::format_seconds(o.end.ns) + " (" + length + " of overlap, ended by " +
           info.node_name(o.ended_by->node) + "'s " + std::string(info.kind_name(o.ended_by->kind));
    if (!o.ended_by->text.empty()) out += " \"" + std::string(o.ended_by->text) + "\"";
    out += ").";
  } else {
    out += " until the run ended at " + sim::format_seconds(o.end.ns) + " (" + length +
           " of overlap, still ongoing).";
  }
  return out + " " + cause();
}

std::string episode_text(const std::string& what, const Episode& ep) {
  return what + " from " + sim::format_seconds(ep.from.ns) +
         (ep.to.has_value() ? " to " + sim::format_seconds(ep.to->ns) : std::string(" on"));
}

// The second sentence: which guarantee broke, why the earlier leader kept believing, what to do.
std::string SingleLeader::cause() const {
  const Overlap& o = *beliefs_.overlap();
  const std::string name = info_->node_name(o.earlier);
  const std::optional<int64_t> t1 = o.earlier_start.get(w_.term);
  const std::optional<int64_t> t2 = o.later_start.get(w_.term);
  if (t1.has_value() && t2.has_value() && *t1 == *t2) {
    return "Both led term " + std::to_string(*t1) +
           ", so election safety is broken too (see election_safety): check how votes are "
           "granted and counted.";
  }
  std::string out = "The terms differ (" + term_text(o.earlier_start, w_.term) + " and " +
                    term_text(o.later_start, w_.term) + "): " + name +
                    " is a stale leader still acting after a newer election, not an "
                    "election-safety break";
  std::vector<std::string> facts;
  // Only a pause or isolation that overlapped the earlier leader's belief explains anything;
  // tracking stopped when the overlap ended, so the node's state is as it was then.
  const NodeState& earlier = nodes_[o.earlier];
  if (during(earlier.last_pause, o.earlier_start.at, o.end)) {
    facts.push_back(episode_text("paused", *earlier.last_pause));
  }
  if (during(earlier.last_isolation, o.earlier_start.at, o.end)) {
    facts.push_back(episode_text("isolated", *earlier.last_isolation));
  }
  if (!facts.empty()) {
    out += "; " + name + " was ";
    for (size_t i = 0; i < facts.size(); ++i) out += (i == 0 ? "" : " and ") + facts[i];
    out += " and could not hear of the new term";
  }
  return out +
         ". If a leader's word must be exclusive, make it step down before a new leader can be "
         "elected (leader leases, check-quorum) or have whatever it acts on reject its old term "
         "(fencing).";
}

CheckResult SingleLeader::result() const {
  assert(ended_ && "result() is valid after end()");
  CheckResult r;
  r.checker = "single_leader";
  if (!beliefs_.overlap().has_value()) return r;
  const Overlap& o = *beliefs_.overlap();
  r.verdict = sim::Verdict::violated;
  r.explanation = explanation();
  r.evidence.push_back(Evidence::of(o.earlier_start));
  r.evidence.push_back(Evidence::of(o.later_start));
  if (o.ended_by.has_value()) r.evidence.push_back(Evidence::of(*o.ended_by));
  r.deciding = 1;  // the second belief is where the overlap starts
  r.interval = Interval{o.later_start.at, o.end};
  return r;
}

}  // namespace

namespace detail {
std::unique_ptr<Checker> make_single_leader() { return std::make_unique<SingleLeader>(); }
}  // namespace detail

}  // namespace lockstep::checkers
