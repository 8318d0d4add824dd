// log_safety: the replicated log's guarantees, read from log.applied (Raft paper §5.4.3, State
// Machine Safety: "if a server has applied a log entry at a given index to its state machine, no
// other server will ever apply a different log entry for the same index"). Two log.applied at one
// index naming different entries (term and id) is a violation: either two members disagree, or a
// committed entry was lost and replaced (a node that applied it, or a restarted node applying the
// new log, shows both). A node must also apply in index order, from 1 after each start. Memory:
// the first log.applied per index, bounded; beyond the bound the verdict is inconclusive.
#include <cassert>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "checkers/internal.hpp"

namespace lockstep::checkers {
namespace {

using sim::Event;
using sim::Instant;

constexpr size_t kMaxIndexes = 1u << 20;

class LogSafety final : public Checker {
 public:
  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    const sim::Vocabulary& v = *info.vocabulary;
    applied_ = v.find_kind("log.applied").value_or(sim::kNoKind);
    index_ = v.find_key("index").value_or(sim::kNoKey);
    term_ = v.find_key("term").value_or(sim::kNoKey);
    entry_ = v.find_key("entry").value_or(sim::kNoKey);
    first_.clear();
    last_.clear();
    violation_.reset();
    overflow_.reset();
    ended_ = false;
  }
  void on_event(const Event& e) override;
  void end(Instant /*end*/) override { ended_ = true; }
  CheckResult result() const override;

 private:
  struct Violation {
    Event first;
    Event second;
    bool out_of_order;
  };
  void check_order(const Event& e, int64_t index);

  const sim::TraceInfo* info_ = nullptr;
  sim::Kind applied_ = sim::kNoKind;
  sim::Key index_ = sim::kNoKey, term_ = sim::kNoKey, entry_ = sim::kNoKey;
  std::map<int64_t, Event> first_;          // index -> the first log.applied of it
  std::vector<std::optional<Event>> last_;  // per node: its last log.applied since it started
  std::optional<Violation> violation_;
  std::optional<Event> overflow_;
  bool ended_ = false;
};

void LogSafety::on_event(const Event& e) {
  assert(info_ != nullptr);
  if (violation_.has_value() || e.node == sim::kNoNode || e.node >= detail::kMaxNodes) return;
  if (e.kind == sim::Kind::node_start || e.kind == sim::Kind::fault_crash ||
      e.kind == sim::Kind::fault_restart) {
    if (e.node < last_.size()) last_[e.node].reset();  // volatile state: applies again from 1
    return;
  }
  if (applied_ == sim::kNoKind || e.kind != applied_) return;
  const std::optional<int64_t> index = e.get(index_);
  if (!index.has_value()) return;
  check_order(e, *index);
  if (violation_.has_value()) return;
  auto it = first_.find(*index);
  if (it == first_.end()) {
    if (first_.size() >= kMaxIndexes) {
      if (!overflow_.has_value()) overflow_ = e;
      return;
    }
    first_.emplace(*index, e);
    return;
  }
  const Event& f = it->second;
  if (f.get(term_) != e.get(term_) || f.get(entry_) != e.get(entry_)) {
    violation_ = Violation{f, e, false};
  }
}

// Fig. 2, lastApplied: entries are applied one at a time in index order.
void LogSafety::check_order(const Event& e, int64_t index) {
  if (e.node >= last_.size()) last_.resize(e.node + 1);
  std::optional<Event>& last = last_[e.node];
  const int64_t expected = last.has_value() ? last->get_or(index_, 0) + 1 : 1;
  if (index != expected && last.has_value()) violation_ = Violation{*last, e, true};
  last = e;
}

std::string entry_text(const Event& e, sim::Key term, sim::Key entry, const sim::TraceInfo& info) {
  return info.node_name(e.node) + " applied entry " + std::to_string(e.get_or(entry, 0)) +
         " of term " + std::to_string(e.get_or(term, 0)) + " at " + sim::format_seconds(e.at.ns);
}

CheckResult LogSafety::result() const {
  assert(ended_ && "result() is valid after end()");
  CheckResult r;
  r.checker = "log_safety";
  if (violation_.has_value()) {
    const Violation& v = *violation_;
    r.verdict = sim::Verdict::violated;
    const std::string index = std::to_string(v.second.get_or(index_, 0));
    if (v.out_of_order) {
      r.explanation = info_->node_name(v.second.node) + " applied index " + index +
                      " right after " + std::to_string(v.first.get_or(index_, 0)) +
                      ": a node applies committed entries one at a time, in index order.";
    } else {
      r.explanation = entry_text(v.first, term_, entry_, *info_) + " and " +
                      entry_text(v.second, term_, entry_, *info_) + ", both at index " + index +
                      ". An applied entry is committed and must never be replaced: check that "
                      "followers persist entries before acknowledging them, that a leader counts "
                      "only entries of its own term toward a commit, and that a voter refuses a "
                      "candidate whose log is less up to date.";
    }
    r.evidence.push_back(Evidence::of(v.first));
    r.evidence.push_back(Evidence::of(v.second));
    r.deciding = 1;
    r.interval = Interval{v.first.at, v.second.at};
    return r;
  }
  if (overflow_.has_value()) {
    r.verdict = sim::Verdict::inconclusive;
    r.explanation = "more than " + std::to_string(kMaxIndexes) +
                    " log indexes were applied; those beyond were not compared, from " +
                    info_->node_name(overflow_->node) + "'s at " +
                    sim::format_seconds(overflow_->at.ns) + ".";
    r.evidence.push_back(Evidence::of(*overflow_));
  }
  return r;
}

}  // namespace

namespace detail {
std::unique_ptr<Checker> make_log_safety() { return std::make_unique<LogSafety>(); }
}  // namespace detail

}  // namespace lockstep::checkers
