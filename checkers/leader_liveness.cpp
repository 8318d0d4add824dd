// leader_liveness {within: D}: once faults stop, the election nodes settle on one confirmed
// leader within D and keep it. Judged after the last fault event T (fault.* except
// fault.skipped; a partition that never heals counts from when it was applied):
//  - if no majority of the election nodes (connectivity.hpp: every role but "store" and
//    "resource") is up, unpaused and mutually connected after T, the verdict is inconclusive:
//    no protocol can elect a leader then;
//  - otherwise, at every instant x from T + D to the end of the run, one node L must lead one
//    term t (its leader.elected, not followed by its step-down, its crash, or another node's
//    or term's leader.elected) and L must have a leader.confirmed for t in [x - D, x]. So a
//    confirmed leader appears by T + D, stays THE leader in the same term (leadership that keeps
//    moving is unavailability), and is confirmed at least once in every window of D.
// A run that ends before T + D is inconclusive. T is known only at the end, so the checker keeps
// the current leadership "streak" (its election, first and last confirmation, latest gap longer
// than D between confirmations) and, since the latest fault, a snapshot of the streak at T + D
// and the first leadership change after it.
#include <cassert>
#include <optional>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "checkers/connectivity.hpp"
#include "checkers/internal.hpp"
#include "checkers/words.hpp"

namespace lockstep::checkers {
namespace {

using checkers::K;
using sim::Duration;
using sim::Event;
using sim::Instant;

// Blocked links listed in an inconclusive explanation before "and N more".
constexpr size_t kLinksShown = 6;

// One node leading one term, from its leader.elected until something ends or replaces it.
struct Streak {
  Event elected;
  std::optional<Event> first_confirm;
  std::optional<Event> last_confirm;
  std::optional<Event> gap_from;  // the latest pair of consecutive confirmations more than D
  std::optional<Event> gap_to;    // apart (gap_to is the later one)
};

// An event that started or ended a streak, and the election of the streak it ended or replaced.
struct Change {
  Event event;
  std::optional<Event> ended;
};

std::string term_of(const Event& e, sim::Key term) { return std::to_string(e.get_or(term, 0)); }

class LeaderLiveness final : public Checker {
 public:
  explicit LeaderLiveness(Duration within) : within_(within) { assert(within.ns > 0); }

  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    w_.resolve(*info.vocabulary);
    links_.begin(info);
    current_.reset();
    last_change_.reset();
    last_fault_.reset();
    restart_deadline();
    ended_ = false;
  }
  void on_event(const Event& e) override;
  // Faults, the links' and nodes' states and leadership: nothing else changes what it keeps.
  // The snapshot at T + D is then taken at the first such event after it (or at the end),
  // which sees the same state as the first event of any kind after it would.
  bool wants(sim::Kind kind) const override {
    switch (w_(kind)) {
      case K::leader_elected:
      case K::leader_confirmed:
      case K::leader_stepped_down:
      case K::net_link_down:
      case K::net_link_up:
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
  Instant deadline() const { return fault_time() + within_; }
  void restart_deadline() {
    passed_ = false;
    at_deadline_.reset();
    change_by_deadline_.reset();
    late_change_.reset();
  }
  void take_snapshot() {
    passed_ = true;
    at_deadline_ = current_;
    change_by_deadline_ = last_change_;
  }
  void on_leader_event(const Event& e);
  void confirm(const Event& e);
  void note_change(const Event& e);

  void judge(Instant end);
  void violate(std::string text, const char* advice);
  std::string since_fault() const;
  std::string change_text(const Change& c) const;
  std::string no_majority_text(const detail::MajorityFinding& m) const;
  std::string violation_text(Instant end, const char*& advice);
  std::string unconfirmed_text(const std::string& by) const;
  std::string gap_text(Instant end) const;

  Duration within_;
  const sim::TraceInfo* info_ = nullptr;
  Words w_;
  detail::Connectivity links_;
  std::optional<Streak> current_;
  std::optional<Change> last_change_;
  std::optional<Event> last_fault_;
  // Since the latest fault: whether its deadline T + D has passed, the streak current then and
  // the latest change up to then, and the first change after it.
  bool passed_ = false;
  std::optional<Streak> at_deadline_;
  std::optional<Change> change_by_deadline_;
  std::optional<Change> late_change_;
  detail::MajorityFinding majority_;
  bool ended_ = false;
  CheckResult result_;
};

void LeaderLiveness::on_event(const Event& e) {
  assert(info_ != nullptr);
  if (detail::is_fault_event(e.kind)) {
    assert(!last_fault_.has_value() || last_fault_->at <= e.at);
    last_fault_ = e;
    restart_deadline();
  }
  // The snapshot at T + D is the state after every event at or before it.
  if (!passed_ && e.at > deadline()) take_snapshot();
  links_.on_event(e);
  if (e.node != sim::kNoNode) on_leader_event(e);
}

void LeaderLiveness::on_leader_event(const Event& e) {
  const bool ours = current_.has_value() && current_->elected.node == e.node;
  switch (w_(e.kind)) {
    case K::leader_elected:
      // The same node announcing the same term again continues its streak.
      if (ours && e.get(w_.term) == current_->elected.get(w_.term)) return;
      // A stale node claiming an older term does not take leadership from the current leader
      // (single_leader reports the overlap); only a newer or equal term moves leadership.
      if (current_.has_value() && e.get(w_.term).has_value() &&
          current_->elected.get(w_.term).has_value() &&
          *e.get(w_.term) < *current_->elected.get(w_.term)) {
        return;
      }
      note_change(e);
      current_ = Streak{e, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
      return;
    case K::leader_confirmed: {
      const std::optional<int64_t> term = e.get(w_.term);
      if (ours && (!term.has_value() || term == current_->elected.get(w_.term))) {
        confirm(e);
      }
      return;
    }
    case K::leader_stepped_down:
    case K::fault_crash:
      if (!ours) return;
      note_change(e);
      current_.reset();
      return;
    default:
      return;
  }
}

void LeaderLiveness::confirm(const Event& e) {
  Streak& s = *current_;
  if (s.last_confirm.has_value() && e.at - s.last_confirm->at > within_) {
    s.gap_from = s.last_confirm;
    s.gap_to = e;
  }
  if (!s.first_confirm.has_value()) s.first_confirm = e;
  s.last_confirm = e;
}

void LeaderLiveness::note_change(const Event& e) {
  Change c{e, current_.has_value() ? std::optional<Event>(current_->elected) : std::nullopt};
  if (passed_ && !late_change_.has_value()) late_change_ = c;
  last_change_ = c;
}

void LeaderLiveness::end(Instant end) {
  assert(info_ != nullptr);
  if (!passed_) take_snapshot();
  judge(end);
  ended_ = true;
}

void LeaderLiveness::judge(Instant end) {
  result_ = CheckResult{};
  result_.checker = "leader_liveness";
  if (end < deadline()) {
    result_.verdict = sim::Verdict::inconclusive;
    result_.explanation = "The run ended at " + sim::format_seconds(end.ns) + ", only " +
                          detail::format_length(end - fault_time()) + " " + since_fault() +
                          ", less than within=" + sim::format_duration(within_) +
                          ", so leader liveness could not be judged: run until at least " +
                          sim::format_seconds(deadline().ns) + ".";
    if (last_fault_.has_value()) result_.evidence.push_back(Evidence::of(*last_fault_));
    return;
  }
  majority_ = links_.find_connected_majority();
  if (!majority_.found) {
    result_.verdict = sim::Verdict::inconclusive;
    result_.explanation = no_majority_text(majority_);
    if (last_fault_.has_value()) result_.evidence.push_back(Evidence::of(*last_fault_));
    return;
  }
  const char* advice = nullptr;
  std::string text = violation_text(end, advice);
  if (!text.empty()) violate(std::move(text), advice);
}

// "after the last fault at 12.000s", or "after the start of the run, which had no faults".
std::string LeaderLiveness::since_fault() const {
  if (!last_fault_.has_value()) return "after the start of the run, which had no faults";
  return "after the last fault at " + sim::format_seconds(last_fault_->at.ns);
}

std::string LeaderLiveness::change_text(const Change& c) const {
  const Event& e = c.event;
  const std::string name = info_->node_name(e.node);
  const std::string at = sim::format_seconds(e.at.ns);
  switch (w_(e.kind)) {
    case K::leader_elected: {
      std::string out = name + " was elected leader of term " + term_of(e, w_.term) + " at " + at;
      if (c.ended.has_value()) {
        out += ", replacing " + info_->node_name(c.ended->node) + " (term " +
               term_of(*c.ended, w_.term) + ")";
      }
      return out;
    }
    case K::leader_stepped_down: {
      std::string out = name + " (leader of term " + (c.ended ? term_of(*c.ended, w_.term) : "?") +
                        ") stepped down at " + at;
      if (!e.text.empty()) out += " (\"" + std::string(e.text) + "\")";
      return out;
    }
    default:
      return name + " (leader of term " + (c.ended ? term_of(*c.ended, w_.term) : "?") +
             ") crashed at " + at;
  }
}

// Empty when the verdict holds; `advice` is set with the text.
std::string LeaderLiveness::violation_text(Instant end, const char*& advice) {
  const std::string by = sim::format_seconds(deadline().ns) +
                         " (within=" + sim::format_duration(within_) + " " + since_fault() + ")";
  constexpr const char* kElect =
      "Check that election timeouts are randomized and longer than a heartbeat round trip, "
      "that a candidate can win with the votes of a connected majority, and that a new "
      "leader's first heartbeat round is acknowledged.";
  if (!at_deadline_.has_value()) {
    advice = kElect;
    std::string out = "No node led at " + by;
    if (change_by_deadline_.has_value())
      out += "; the last change before: " + change_text(*change_by_deadline_);
    if (late_change_.has_value()) return out + "; then " + change_text(*late_change_);
    return out + "; none was elected before the run ended at " + sim::format_seconds(end.ns);
  }
  if (!at_deadline_->first_confirm.has_value()) {
    advice = kElect;
    return unconfirmed_text(by);
  }
  if (late_change_.has_value()) {
    advice =
        "Leadership that keeps moving is unavailability: keep followers' election timers reset "
        "(heartbeats well inside the election timeout) and step down only when the majority is "
        "truly lost.";
    const Streak& s = *at_deadline_;
    return info_->node_name(s.elected.node) + " led term " + term_of(s.elected, w_.term) +
           " (confirmed at " + sim::format_seconds(s.first_confirm->at.ns) +
           ") but leadership did not stay after " + by + ": " + change_text(*late_change_);
  }
  assert(current_.has_value() && current_->elected.at == at_deadline_->elected.at);
  advice =
      "Check that the leader keeps confirming its authority with a majority (heartbeat or "
      "renewal interval well below within) and that acknowledgements reach it.";
  return gap_text(end);
}

// The streak current at the deadline was elected but not yet confirmed then.
std::string LeaderLiveness::unconfirmed_text(const std::string& by) const {
  const Streak& s = *at_deadline_;
  const std::string out = info_->node_name(s.elected.node) + " was elected leader of term " +
                          term_of(s.elected, w_.term) + " at " +
                          sim::format_seconds(s.elected.at.ns) +
                          " but not confirmed by a majority (leader.confirmed) by " + by;
  if (late_change_.has_value()) return out + "; then " + change_text(*late_change_);
  assert(current_.has_value());
  if (current_->first_confirm.has_value()) {
    return out + "; its first confirmation came only at " +
           sim::format_seconds(current_->first_confirm->at.ns);
  }
  return out + "; it was never confirmed";
}

// The leader stayed but went unconfirmed for longer than D; empty when it did not.
std::string LeaderLiveness::gap_text(Instant end) const {
  const Streak& s = *current_;
  assert(s.last_confirm.has_value());
  const std::string who =
      info_->node_name(s.elected.node) + " led term " + term_of(s.elected, w_.term);
  std::string out;
  if (s.gap_to.has_value() && s.gap_to->at > deadline()) {
    out = who + " but went unconfirmed from " + sim::format_seconds(s.gap_from->at.ns) + " to " +
          sim::format_seconds(s.gap_to->at.ns) + " (" +
          detail::format_length(s.gap_to->at - s.gap_from->at) + ")";
  } else if (end - s.last_confirm->at > within_) {
    out = who + " but was last confirmed at " + sim::format_seconds(s.last_confirm->at.ns) + ", " +
          detail::format_length(end - s.last_confirm->at) + " before the run ended at " +
          sim::format_seconds(end.ns);
  } else {
    return "";
  }
  out += ", more than within=" + sim::format_duration(within_) + " " + since_fault();
  const std::string name = info_->node_name(s.elected.node);
  if (links_.paused(s.elected.node)) {
    out += "; " + name + " was paused, and the others did not replace it";
  } else if (!links_.reaches_majority(s.elected.node)) {
    out += "; " + name + " was cut off from a majority, and the others did not replace it";
  }
  return out;
}

void LeaderLiveness::violate(std::string text, const char* advice) {
  assert(advice != nullptr);
  result_.verdict = sim::Verdict::violated;
  std::string members;
  for (sim::NodeIndex n : majority_.members) {
    members += (members.empty() ? "" : ", ") + info_->node_name(n);
  }
  result_.explanation =
      text + ", while a majority (" + members + ") was up and connected. " + advice;
  if (last_fault_.has_value()) result_.evidence.push_back(Evidence::of(*last_fault_));
  if (at_deadline_.has_value()) {
    result_.evidence.push_back(Evidence::of(at_deadline_->elected));
  } else if (change_by_deadline_.has_value()) {
    result_.evidence.push_back(Evidence::of(change_by_deadline_->event));
  }
  if (late_change_.has_value()) {
    result_.evidence.push_back(Evidence::of(late_change_->event));
  } else if (current_.has_value() && current_->gap_to.has_value() &&
             current_->gap_to->at > deadline()) {
    result_.evidence.push_back(Evidence::of(*current_->gap_from));
    result_.evidence.push_back(Evidence::of(*current_->gap_to));
  } else if (current_.has_value() && current_->last_confirm.has_value()) {
    result_.evidence.push_back(Evidence::of(*current_->last_confirm));
  }
  // The last fault opens the judged stretch; the event after it is the one that broke it.
  if (!result_.evidence.empty()) result_.deciding = result_.evidence.size() >= 2 ? 1 : 0;
  // A deciding event from before the last fault (the leader's last confirmation, when none came
  // after it) cannot end the stretch: it then runs from the fault to the deadline it missed.
  const Instant decided =
      result_.evidence.empty() ? fault_time() : result_.evidence[*result_.deciding].at;
  result_.interval = Interval{fault_time(), decided < fault_time() ? deadline() : decided};
}

std::string LeaderLiveness::no_majority_text(const detail::MajorityFinding& m) const {
  const auto& nodes = links_.election_nodes();
  if (nodes.empty()) {
    return "The trace names no election nodes (every node is a store or resource), so there is "
           "no leader to wait for.";
  }
  std::string crashed;
  std::string paused;
  for (sim::NodeIndex n : nodes) {
    std::string& list = links_.crashed(n) ? crashed : paused;
    if (links_.available(n)) continue;
    list += (list.empty() ? "" : ", ") + info_->node_name(n);
  }
  std::string out = (m.decided ? "No majority ("
                               : "Could not decide within the search budget "
                                 "whether a majority (") +
                    std::to_string(links_.majority()) + " of " + std::to_string(nodes.size()) +
                    " election nodes) was up, unpaused and mutually connected " + since_fault();
  std::vector<std::string> facts;
  if (!crashed.empty()) facts.push_back("crashed: " + crashed);
  if (!paused.empty()) facts.push_back("paused: " + paused);
  const auto blocked = links_.blocked_among_available();
  if (!blocked.empty()) {
    std::string links;
    for (size_t i = 0; i < blocked.size() && i < kLinksShown; ++i) {
      links += (i == 0 ? "" : ", ") + info_->node_name(blocked[i].first) + "->" +
               info_->node_name(blocked[i].second);
    }
    if (blocked.size() > kLinksShown) {
      links += " and " + std::to_string(blocked.size() - kLinksShown) + " more";
    }
    facts.push_back("blocked links: " + links);
  }
  for (size_t i = 0; i < facts.size(); ++i) out += (i == 0 ? " (" : "; ") + facts[i];
  if (!facts.empty()) out += ")";
  return out +
         ", so no protocol could be required to elect a leader: restart or heal enough nodes "
         "before the run ends to judge leader liveness.";
}

}  // namespace

namespace detail {
std::unique_ptr<Checker> make_leader_liveness(sim::Duration within) {
  return std::make_unique<LeaderLiveness>(within);
}
}  // namespace detail

}  // namespace lockstep::checkers
