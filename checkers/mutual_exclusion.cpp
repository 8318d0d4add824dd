// mutual_exclusion: no two clients believe they hold the lock at the same true instant. It judges
// what nodes believe (lock.acquired until released/expired/lost or a crash), not what the
// resource suffered; fenced_writes judges that. Events at one instant count in trace order, so a
// release followed by an acquire at the same nanosecond is a clean handoff, while an acquire
// followed by a release is a (zero-length) overlap: the trace says both believed at once.
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

// Clocks below this disagreement with true time are not worth a sentence.
constexpr int64_t kNotableDriftNs = 1'000'000;

// A node's most recent pause, kept so the explanation can say why a holder kept believing.
struct Pause {
  Instant from;
  std::optional<Instant> to;  // nullopt while the node is still paused
};

struct NodeState {
  std::optional<int64_t> token;
  int64_t wall_step_ns = 0;  // sum of fault.clock_step on this node so far
  int64_t wall_step_ns_at_acquire = 0;
  std::optional<Pause> last_pause;
};

using Overlap = detail::FirstOverlap::Overlap;

class MutualExclusion final : public Checker {
 public:
  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    nodes_.assign(info.node_ids.size(), NodeState{});
    beliefs_.reset(info.node_ids.size());
    w_.resolve(*info.vocabulary);
    ended_ = false;
  }
  void on_event(const Event& e) override;
  void end(Instant end) override {
    assert(info_ != nullptr);
    beliefs_.finish(end);
    ended_ = true;
  }
  CheckResult result() const override;

 private:
  void on_acquired(const Event& e);
  std::string explanation() const;
  std::string cause() const;
  // Facts about the earlier holder during its belief. Tracking stops once the overlap ends, so
  // its node state is as it was then.
  std::optional<Pause> earlier_pause() const;
  int64_t earlier_wall_step_ns() const;

  const sim::TraceInfo* info_ = nullptr;
  std::vector<NodeState> nodes_;
  detail::FirstOverlap beliefs_;
  Words w_;
  bool ended_ = false;
};

void MutualExclusion::on_event(const Event& e) {
  assert(info_ != nullptr);
  // Once the first overlap has been measured the verdict is settled; nothing more to track.
  if (beliefs_.settled()) return;
  if (e.node == sim::kNoNode) return;
  switch (w_(e.kind)) {
    case K::lock_acquired:
      on_acquired(e);
      return;
    case K::lock_released:
    case K::lock_expired:
    case K::lock_lost: {
      const NodeState& s = detail::node_slot(nodes_, e.node);
      if (beliefs_.believes(e.node) && detail::ends_belief(e, s.token, w_.token)) beliefs_.stop(e);
      return;
    }
    case K::fault_crash: {
      // A crashed node loses every belief (and is no longer paused).
      NodeState& s = detail::node_slot(nodes_, e.node);
      if (beliefs_.believes(e.node)) beliefs_.stop(e);
      if (s.last_pause.has_value() && !s.last_pause->to.has_value()) s.last_pause->to = e.at;
      return;
    }
    case K::fault_pause:
      detail::node_slot(nodes_, e.node).last_pause = Pause{e.at, std::nullopt};
      return;
    case K::fault_resume: {
      NodeState& s = detail::node_slot(nodes_, e.node);
      if (s.last_pause.has_value() && !s.last_pause->to.has_value()) s.last_pause->to = e.at;
      return;
    }
    case K::fault_clock_step:
      detail::node_slot(nodes_, e.node).wall_step_ns += e.get_or(sim::Key::by_ns, 0);
      return;
    default:
      return;
  }
}

void MutualExclusion::on_acquired(const Event& e) {
  NodeState& s = detail::node_slot(nodes_, e.node);
  s.token = e.get(w_.token);
  // A re-acquire while believing continues the same belief.
  if (beliefs_.start(e)) s.wall_step_ns_at_acquire = s.wall_step_ns;
}

std::optional<Pause> MutualExclusion::earlier_pause() const {
  const Overlap& o = *beliefs_.overlap();
  // Only a pause that overlapped the earlier holder's belief explains anything.
  const std::optional<Pause>& p = nodes_[o.earlier].last_pause;
  if (p.has_value() && p->from <= o.end && (!p->to.has_value() || *p->to >= o.earlier_start.at)) {
    return p;
  }
  return std::nullopt;
}

int64_t MutualExclusion::earlier_wall_step_ns() const {
  const NodeState& earlier = nodes_[beliefs_.overlap()->earlier];
  return earlier.wall_step_ns - earlier.wall_step_ns_at_acquire;
}

std::string holder_text(const Event& acquired, const sim::TraceInfo& info, sim::Key token_key) {
  const std::optional<int64_t> token = acquired.get(token_key);
  return info.node_name(acquired.node) + " (" +
         (token.has_value() ? "token " + std::to_string(*token) : std::string("no token")) +
         ", acquired at " + sim::format_seconds(acquired.at.ns) + " true time, " +
         sim::format_seconds(acquired.mono.ns) + " on its monotonic clock)";
}

std::string MutualExclusion::explanation() const {
  const Overlap& o = *beliefs_.overlap();
  const sim::TraceInfo& info = *info_;
  std::string out = holder_text(o.earlier_start, info, w_.token) + " and " +
                    holder_text(o.later_start, info, w_.token) +
                    " both believed they held the lock from " +
                    sim::format_seconds(o.later_start.at.ns);
  const std::string length = detail::format_length(o.end - o.later_start.at);
  if (o.ended_by.has_value()) {
    out += " until " + sim::format_seconds(o.end.ns) + " (" + length + " of overlap, ended by " +
           info.node_name(o.ended_by->node) + "'s " +
           std::string(info.kind_name(o.ended_by->kind)) + ").";
  } else {
    out += " until the run ended at " + sim::format_seconds(o.end.ns) + " (" + length +
           " of overlap, still ongoing).";
  }
  return out + " " + cause();
}

// The second sentence: what made the earlier holder outlive its lease, and what to do about it.
std::string MutualExclusion::cause() const {
  const Overlap& o = *beliefs_.overlap();
  const std::string name = info_->node_name(o.earlier);
  const std::optional<Pause> pause = earlier_pause();
  const int64_t wall_step_ns = earlier_wall_step_ns();
  std::vector<std::string> facts;
  if (pause.has_value()) {
    const Pause& p = *pause;
    std::string fact = name + " was paused from " + sim::format_seconds(p.from.ns);
    if (!p.to.has_value()) {
      fact += " and was still paused when the overlap ended";
    } else {
      fact += " to " + sim::format_seconds(p.to->ns);
      const bool own_end = o.ended_by.has_value() && o.ended_by->node == o.earlier &&
                           o.ended_by->kind != sim::Kind::fault_crash;
      if (own_end && *p.to <= o.end) fact += " and only then saw its lease end";
    }
    facts.push_back(fact);
  }
  if (wall_step_ns != 0) {
    facts.push_back(name + "'s wall clock was stepped by " +
                    sim::format_duration(sim::Duration{wall_step_ns}) + " during its lease");
  }
  if (o.ended_by.has_value() && o.ended_by->node == o.earlier) {
    const sim::Duration truly = o.ended_by->at - o.earlier_start.at;
    const sim::Duration local = o.ended_by->mono - o.earlier_start.mono;
    const int64_t gap = truly.ns - local.ns;
    if (gap >= kNotableDriftNs || gap <= -kNotableDriftNs) {
      facts.push_back(name + "'s monotonic clock counted " + detail::format_length(local) +
                      " of its lease while " + detail::format_length(truly) + " truly passed");
    }
  }
  std::string out;
  for (size_t i = 0; i < facts.size(); ++i) out += (i == 0 ? "" : "; ") + facts[i];
  if (pause.has_value()) {
    return out +
           ": a lease alone cannot stop a paused holder, so fence the resource with the "
           "token.";
  }
  if (!facts.empty()) {
    return out +
           ": a lease trusts the holder's clock, so expire early by a safety margin and "
           "fence the resource with the token.";
  }
  return "The lock granted " + info_->node_name(o.later) + " a lease while " + name +
         " still believed in its own: check lease, renewal and safety-margin timing, and fence "
         "the resource with the token.";
}

CheckResult MutualExclusion::result() const {
  assert(ended_ && "result() is valid after end()");
  CheckResult r;
  r.checker = "mutual_exclusion";
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
std::unique_ptr<Checker> make_mutual_exclusion() { return std::make_unique<MutualExclusion>(); }
}  // namespace detail

}  // namespace lockstep::checkers
