// election_safety: at most one leader per term, the guarantee Raft's voting rules give (one vote
// per node per term, a majority to win). Two different nodes with leader.elected for the same
// term is a violation. Memory is a map term -> the first leader.elected of that term, bounded to
// the kMaxTerms highest terms: terms only grow in practice, so a new leader of a term that old
// is rare; when one appears it cannot be checked and the verdict says so (inconclusive).
#include <cassert>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "checkers/checker.hpp"
#include "checkers/internal.hpp"
#include "checkers/words.hpp"

namespace lockstep::checkers {
namespace {

using checkers::K;
using sim::Event;
using sim::Instant;

// The terms remembered at once; the lowest is forgotten first.
constexpr size_t kMaxTerms = 4096;

class ElectionSafety final : public Checker {
 public:
  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    w_.resolve(*info.vocabulary);
    first_.clear();
    forgotten_below_.reset();
    unchecked_.reset();
    unchecked_count_ = 0;
    violation_.reset();
    ended_ = false;
  }
  void on_event(const Event& e) override;
  bool wants(sim::Kind kind) const override { return w_(kind) == K::leader_elected; }
  void end(Instant /*end*/) override {
    assert(info_ != nullptr);
    ended_ = true;
  }
  CheckResult result() const override;

 private:
  struct Violation {
    Event first;
    Event second;
  };
  void remember(int64_t term, const Event& e);
  std::string violation_text() const;

  const sim::TraceInfo* info_ = nullptr;
  Words w_;
  std::map<int64_t, Event> first_;          // term -> its first leader.elected
  std::optional<int64_t> forgotten_below_;  // every term <= this was dropped from first_
  std::optional<Event> unchecked_;          // the first election in a forgotten term
  int64_t unchecked_count_ = 0;
  std::optional<Violation> violation_;
  bool ended_ = false;
};

void ElectionSafety::on_event(const Event& e) {
  assert(info_ != nullptr);
  if (violation_.has_value() || w_(e.kind) != K::leader_elected || e.node == sim::kNoNode) return;
  const std::optional<int64_t> term = e.get(w_.term);
  if (!term.has_value()) return;  // without a term there is nothing to compare
  if (forgotten_below_.has_value() && *term <= *forgotten_below_) {
    if (!unchecked_.has_value()) unchecked_ = e;
    ++unchecked_count_;
    return;
  }
  auto it = first_.find(*term);
  if (it == first_.end()) {
    remember(*term, e);
    return;
  }
  // The same node announcing the same term again (a repeated observation) is not a second leader.
  if (it->second.node != e.node) violation_ = Violation{it->second, e};
}

void ElectionSafety::remember(int64_t term, const Event& e) {
  first_.emplace(term, e);
  if (first_.size() <= kMaxTerms) return;
  auto lowest = first_.begin();
  forgotten_below_ = lowest->first;
  first_.erase(lowest);
  assert(first_.size() == kMaxTerms);
}

std::string leader_text(const Event& e, const sim::TraceInfo& info) {
  return info.node_name(e.node) + " (elected at " + sim::format_seconds(e.at.ns) + " true time, " +
         sim::format_seconds(e.mono.ns) + " on its monotonic clock)";
}

std::string ElectionSafety::violation_text() const {
  const Violation& v = *violation_;
  const int64_t term = v.second.get_or(w_.term, 0);
  return leader_text(v.first, *info_) + " and " + leader_text(v.second, *info_) +
         " were both elected leader of term " + std::to_string(term) +
         ". One term must have at most one leader: check that a node grants at most one vote "
         "per term and persists its term and vote before replying, that a candidate counts a "
         "strict majority of distinct voters of its own term, and that a restarted node does not "
         "forget the vote it gave.";
}

CheckResult ElectionSafety::result() const {
  assert(ended_ && "result() is valid after end()");
  CheckResult r;
  r.checker = "election_safety";
  if (violation_.has_value()) {
    r.verdict = sim::Verdict::violated;
    r.explanation = violation_text();
    r.evidence.push_back(Evidence::of(violation_->first));
    r.evidence.push_back(Evidence::of(violation_->second));
    r.deciding = 1;
    r.interval = Interval{violation_->first.at, violation_->second.at};
    return r;
  }
  if (unchecked_.has_value()) {
    r.verdict = sim::Verdict::inconclusive;
    r.explanation =
        std::to_string(unchecked_count_) + " leader election(s) named a term at or below " +
        std::to_string(*forgotten_below_) + ", older than the " + std::to_string(kMaxTerms) +
        " highest terms this checker remembers, so they could not be compared with "
        "that term's first leader; the first was " +
        info_->node_name(unchecked_->node) + "'s at " + sim::format_seconds(unchecked_->at.ns) +
        ".";
    r.evidence.push_back(Evidence::of(*unchecked_));
  }
  return r;
}

}  // namespace

namespace detail {
std::unique_ptr<Checker> make_election_safety() { return std::make_unique<ElectionSafety>(); }
}  // namespace detail

}  // namespace lockstep::checkers
