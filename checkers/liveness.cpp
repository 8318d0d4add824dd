// liveness {within: D}: after the last fault, the lock never sits unused for longer than D while
// a client waits for it. A stall is a stretch of true time during which some client is waiting
// (lock.requested, not yet lock.acquired) and no client believes it holds the lock; a client
// holding the lock for a long time is not a stall. The last fault's time T is known only at the
// end, so the checker keeps just the stalls that could still violate for some T not earlier
// than the latest fault seen so far.
#include <algorithm>
#include <cassert>
#include <optional>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "checkers/internal.hpp"
#include "checkers/words.hpp"

namespace lockstep::checkers {
namespace {

using checkers::K;
using sim::Duration;
using sim::Event;
using sim::Instant;

// Closed long stalls kept between two faults; past this, the earliest-ending are dropped (the
// verdict only needs the latest-ending one, see prune()).
constexpr size_t kMaxKeptStalls = 1024;

struct Stall {
  Event waiter;                   // the lock.requested of the longest-waiting client
  Instant start;                  // when the lock became unused with someone waiting
  std::optional<Event> acquired;  // what ended it; nullopt: still stalled when the run ended
};

struct Client {
  std::optional<Event> waiting;  // the lock.requested of an open wait
  bool believes = false;
  std::optional<int64_t> token;
};

class Liveness final : public Checker {
 public:
  explicit Liveness(Duration within) : within_(within) { assert(within.ns > 0); }

  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    w_.resolve(*info.vocabulary);
    clients_.assign(info.node_ids.size(), Client{});
    open_.reset();
    kept_.clear();
    last_fault_.reset();
    ended_ = false;
  }
  void on_event(const Event& e) override;
  // Faults and the clients' lock events: nothing else changes what it keeps.
  bool wants(sim::Kind kind) const override {
    switch (w_(kind)) {
      case K::lock_requested:
      case K::lock_acquired:
      case K::lock_released:
      case K::lock_expired:
      case K::lock_lost:
        return true;
      default:
        return detail::is_fault_event(kind);
    }
  }
  void end(Instant end) override;
  CheckResult result() const override {
    assert(ended_ && "result() is valid after end()");
    return result_;
  }

 private:
  Instant fault_time() const { return last_fault_.has_value() ? last_fault_->at : Instant{0}; }
  void apply(const Event& e, Client& c);
  void update_stall(const Event& e);
  void prune();
  std::optional<Instant> violated_at(const Stall& s, Instant end, Instant t) const;
  void judge(Instant end);
  std::string violation_text(const Stall& s, Instant end) const;

  Duration within_;
  const sim::TraceInfo* info_ = nullptr;
  Words w_;
  std::vector<Client> clients_;  // by node
  size_t waiting_ = 0;
  size_t believers_ = 0;
  std::optional<Stall> open_;
  std::vector<Stall> kept_;  // closed stalls longer than within_, in end order
  std::optional<Event> last_fault_;
  bool ended_ = false;
  CheckResult result_;
};

void Liveness::on_event(const Event& e) {
  assert(info_ != nullptr);
  if (detail::is_fault_event(e.kind)) {
    assert(!last_fault_.has_value() || last_fault_->at <= e.at);
    last_fault_ = e;
    prune();
  }
  if (e.node == sim::kNoNode) return;
  switch (w_(e.kind)) {
    case K::lock_requested:
    case K::lock_acquired:
    case K::lock_released:
    case K::lock_expired:
    case K::lock_lost:
    case K::fault_crash:
      apply(e, detail::node_slot(clients_, e.node));
      update_stall(e);
      return;
    default:
      return;
  }
}

void Liveness::apply(const Event& e, Client& c) {
  const auto stop_waiting = [&] {
    if (c.waiting.has_value()) --waiting_;
    c.waiting.reset();
  };
  const auto stop_believing = [&] {
    if (c.believes) --believers_;
    c.believes = false;
    c.token.reset();
  };
  switch (w_(e.kind)) {
    case K::lock_requested:
      // A client already waiting keeps its first request: it has waited since then.
      if (!c.waiting.has_value()) ++waiting_;
      if (!c.waiting.has_value()) c.waiting = e;
      return;
    case K::lock_acquired:
      stop_waiting();
      if (!c.believes) ++believers_;
      c.believes = true;
      c.token = e.get(w_.token);
      return;
    case K::fault_crash:
      stop_waiting();
      stop_believing();
      return;
    default:  // released, expired, lost
      if (c.believes && detail::ends_belief(e, c.token, w_.token)) stop_believing();
      return;
  }
}

void Liveness::update_stall(const Event& e) {
  const bool stalled = waiting_ > 0 && believers_ == 0;
  if (stalled && !open_.has_value()) {
    const Event* oldest = nullptr;
    for (const Client& c : clients_) {
      if (c.waiting.has_value() && (oldest == nullptr || c.waiting->at < oldest->at)) {
        oldest = &*c.waiting;
      }
    }
    assert(oldest != nullptr);
    open_ = Stall{*oldest, e.at, std::nullopt};
    return;
  }
  if (stalled || !open_.has_value()) return;
  Stall closed = *open_;
  open_.reset();
  if (w_(e.kind) == K::lock_acquired) closed.acquired = e;
  // e - max(s, T) > D needs e - s > D, and T >= the latest fault: a shorter stall, or one
  // ending within D of that fault, can never be the violation.
  if (e.at - closed.start > within_ && e.at - fault_time() > within_) {
    kept_.push_back(closed);
    if (kept_.size() > kMaxKeptStalls) kept_.erase(kept_.begin());
  }
}

// A kept stall violates iff T < end - D; T only grows, so once a fault passes end - D the stall
// is harmless forever. Kept stalls are in end order, so the harmless ones form a prefix.
void Liveness::prune() {
  const Instant t = fault_time();
  auto first_kept = std::find_if(kept_.begin(), kept_.end(),
                                 [&](const Stall& s) { return s.acquired->at - t > within_; });
  kept_.erase(kept_.begin(), first_kept);
}

std::optional<Instant> Liveness::violated_at(const Stall& s, Instant end, Instant t) const {
  const Instant stall_end = s.acquired.has_value() ? s.acquired->at : end;
  if (stall_end <= t) return std::nullopt;
  const Instant from = std::max(s.start, t);
  if (stall_end - from <= within_) return std::nullopt;
  return from + within_;
}

void Liveness::end(Instant end) {
  assert(info_ != nullptr);
  judge(end);
  ended_ = true;
}

// Reports the stall that became a violation first.
void Liveness::judge(Instant end) {
  const Instant t = fault_time();
  result_ = CheckResult{};
  result_.checker = "liveness";
  std::optional<Stall> worst;
  std::optional<Instant> worst_at;
  auto consider = [&](const Stall& s) {
    const std::optional<Instant> at = violated_at(s, end, t);
    if (at.has_value() && (!worst_at.has_value() || *at < *worst_at)) {
      worst = s;
      worst_at = at;
    }
  };
  for (const Stall& s : kept_) consider(s);
  if (open_.has_value()) consider(*open_);
  if (worst.has_value()) {
    result_.verdict = sim::Verdict::violated;
    result_.explanation = violation_text(*worst, end);
    result_.evidence.push_back(Evidence::of(worst->waiter));
    if (worst->acquired.has_value()) {
      result_.evidence.push_back(Evidence::of(*worst->acquired));
    }
    if (last_fault_.has_value()) result_.evidence.push_back(Evidence::of(*last_fault_));
    // The stall: from when the lock fell unused with a waiter to the acquisition that ended it.
    result_.deciding = worst->acquired.has_value() ? 1 : 0;
    result_.interval =
        Interval{worst->start, worst->acquired.has_value() ? worst->acquired->at : end};
    return;
  }
  if (end - t < within_) {
    result_.verdict = sim::Verdict::inconclusive;
    result_.explanation = "The run ended at " + sim::format_seconds(end.ns) + ", only " +
                          detail::format_length(end - t) + " after the last fault at " +
                          sim::format_seconds(t.ns) +
                          ", less than within=" + sim::format_duration(within_) +
                          ", so liveness could not be judged: run until at least " +
                          sim::format_seconds((t + within_).ns) + ".";
    if (last_fault_.has_value()) result_.evidence.push_back(Evidence::of(*last_fault_));
  }
}

std::string Liveness::violation_text(const Stall& s, Instant end) const {
  const Instant t = fault_time();
  const Instant stall_end = s.acquired.has_value() ? s.acquired->at : end;
  std::string out = "No client held the lock from " + sim::format_seconds(s.start.ns) + " to " +
                    sim::format_seconds(stall_end.ns) + " while " +
                    info_->node_name(s.waiter.node) + " waited for it (since " +
                    sim::format_seconds(s.waiter.at.ns) + ")";
  out += s.acquired.has_value() ? ", until " + info_->node_name(s.acquired->node) + " acquired it"
                                : ", until the run ended";
  out += ": " + detail::format_length(stall_end - std::max(s.start, t));
  if (!last_fault_.has_value()) {
    out += " unused in a run with no faults";
  } else if (s.start < t) {
    out += " unused after the last fault at " + sim::format_seconds(t.ns);
  } else {
    out += " unused, all after the last fault at " + sim::format_seconds(t.ns);
  }
  return out + ", more than within=" + sim::format_duration(within_) +
         ". Check that the server frees a lease whose holder failed or was cut off, and that "
         "waiting clients retry once faults heal.";
}

}  // namespace

namespace detail {
std::unique_ptr<Checker> make_liveness(sim::Duration within) {
  return std::make_unique<Liveness>(within);
}
}  // namespace detail

}  // namespace lockstep::checkers
