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
  // Writes of this node's that the resource rejected (resource.rejected), counted to the end of
  // the run: a paused holder's stale write is often turned away after the overlap ended.
  uint32_t rejected = 0;
};

using Overlap = detail::FirstOverlap::Overlap;

// A step of some node's wall clock (fault.clock_step).
struct ClockStep {
  NodeIndex node;
  Instant at;
  int64_t by_ns;
};

class MutualExclusion final : public Checker {
 public:
  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    nodes_.assign(info.node_ids.size(), NodeState{});
    clock_steps_.clear();
    beliefs_.reset(info.node_ids.size());
    w_.resolve(*info.vocabulary);
    ended_ = false;
  }
  void on_event(const Event& e) override;
  // The kinds on_event reads; every other event it returns on.
  bool wants(sim::Kind kind) const override {
    switch (w_(kind)) {
      case K::resource_rejected:
      case K::lock_acquired:
      case K::lock_released:
      case K::lock_expired:
      case K::lock_lost:
      case K::fault_crash:
      case K::fault_pause:
      case K::fault_resume:
      case K::fault_clock_step:
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
  void on_acquired(const Event& e);
  std::string explanation() const;
  std::string cause() const;
  // Facts about the earlier holder during its belief. Tracking stops once the overlap ends, so
  // its node state is as it was then.
  std::optional<Pause> earlier_pause() const;
  int64_t earlier_wall_step_ns() const;
  // A wall-clock step on another node (a lock server) between the two acquisitions: the step
  // that made it grant the second lease early (Kleppmann 2016, "How to do distributed locking",
  // the Redlock clock jump).
  std::optional<ClockStep> other_clock_step() const;
  // "" when the resource rejected none of the earlier holder's writes, else a clause saying so.
  std::string fenced_note() const;

  const sim::TraceInfo* info_ = nullptr;
  std::vector<ClockStep> clock_steps_;
  std::vector<NodeState> nodes_;
  detail::FirstOverlap beliefs_;
  Words w_;
  bool ended_ = false;
};

void MutualExclusion::on_event(const Event& e) {
  assert(info_ != nullptr);
  const K kind = w_(e.kind);
  if (kind == K::resource_rejected) {
    const std::optional<int64_t> writer = e.get(w_.writer);
    if (writer.has_value() && *writer >= 0 && *writer < detail::kMaxNodes) {
      ++detail::node_slot(nodes_, static_cast<NodeIndex>(*writer)).rejected;
    }
    return;
  }
  // Once the first overlap has been measured the verdict is settled; nothing more to track.
  if (beliefs_.settled()) return;
  if (e.node == sim::kNoNode) return;
  switch (kind) {
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
    case K::fault_clock_step: {
      const int64_t by_ns = e.get_or(sim::Key::by_ns, 0);
      detail::node_slot(nodes_, e.node).wall_step_ns += by_ns;
      clock_steps_.push_back({e.node, e.at, by_ns});
      return;
    }
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
  // Unfenced: the advice as before. Fenced (the resource rejected the earlier holder's stale
  // writes): say that it worked instead of advising what is already there.
  const std::string fenced = fenced_note();
  if (pause.has_value()) {
    return out + ": a lease alone cannot stop a paused holder" +
           (fenced.empty() ? ", so fence the resource with the token." : fenced);
  }
  if (!facts.empty()) {
    return out + ": a lease trusts the holder's clock, so expire early by a safety margin" +
           (fenced.empty() ? " and fence the resource with the token." : fenced);
  }
  if (const std::optional<ClockStep> step = other_clock_step()) {
    return info_->node_name(step->node) + "'s wall clock was stepped by " +
           sim::format_duration(sim::Duration{step->by_ns}) + " at " +
           sim::format_seconds(step->at.ns) + ", after " + name + " acquired and before " +
           info_->node_name(o.later) +
           " did: a lock server that counts a lease on a wall clock that jumps ahead expires it "
           "early, so count leases on a monotonic clock" +
           (fenced.empty() ? " and fence the resource with the token." : fenced);
  }
  return "The lock granted " + info_->node_name(o.later) + " a lease while " + name +
         " still believed in its own: check lease, renewal and safety-margin timing" +
         (fenced.empty() ? ", and fence the resource with the token." : fenced);
}

std::optional<ClockStep> MutualExclusion::other_clock_step() const {
  const Overlap& o = *beliefs_.overlap();
  for (const ClockStep& c : clock_steps_) {
    if (c.node != o.earlier && c.node != o.later && c.by_ns != 0 && c.at >= o.earlier_start.at &&
        c.at <= o.later_start.at) {
      return c;
    }
  }
  return std::nullopt;
}

std::string MutualExclusion::fenced_note() const {
  const NodeIndex earlier = beliefs_.overlap()->earlier;
  const uint32_t rejected = nodes_[earlier].rejected;
  if (rejected == 0) return "";
  return "; the resource's fencing rejected " + std::to_string(rejected) + " stale write" +
         (rejected == 1 ? "" : "s") + " of " + info_->node_name(earlier) +
         "'s, so the overlap did the resource no harm (see fenced_writes).";
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
