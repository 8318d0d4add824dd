// fairness: the lock is granted in the order it was requested. The order of requests is the
// order in which the lock service saw them (lock.enqueued, emitted by the service with the
// requesting `client`), not the order clients sent them: a request that was sent first but
// arrived second has not been overtaken. A grant (the client's lock.acquired) that goes to a
// client while clients that were enqueued before it still wait overtakes each of them; the
// verdict reports the grant that overtook the most. A waiter leaves the queue when it acquires or
// crashes; enqueued again, it goes to the back. Traces without lock.enqueued hold trivially.
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
using sim::Event;

struct Waiter {
  sim::NodeIndex node;
  Evidence enqueued;
};

// The grant that overtook the most waiters so far.
struct Overtaking {
  Evidence acquired;
  Evidence first_overtaken;  // the enqueue of the earliest waiter it went ahead of
  sim::NodeIndex first_node = sim::kNoNode;
  size_t count = 0;
};

class Fairness final : public Checker {
 public:
  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    w_.resolve(*info.vocabulary);
    queue_.clear();
    worst_.reset();
    overtakings_ = 0;
    ended_ = false;
  }
  void on_event(const Event& e) override;
  void end(sim::Instant /*end*/) override { ended_ = true; }
  CheckResult result() const override;

 private:
  void leave(sim::NodeIndex node) {
    queue_.erase(std::remove_if(queue_.begin(), queue_.end(),
                                [&](const Waiter& q) { return q.node == node; }),
                 queue_.end());
  }
  void on_acquired(const Event& e);

  const sim::TraceInfo* info_ = nullptr;
  Words w_;
  std::vector<Waiter> queue_;  // in request order
  std::optional<Overtaking> worst_;
  int64_t overtakings_ = 0;  // grants that overtook anyone
  bool ended_ = false;
};

void Fairness::on_event(const Event& e) {
  assert(info_ != nullptr);
  switch (w_(e.kind)) {
    case K::lock_enqueued: {
      const std::optional<int64_t> client = e.get(w_.client);
      if (!client.has_value() || *client < 0 || *client >= int64_t{detail::kMaxNodes}) return;
      const auto node = static_cast<sim::NodeIndex>(*client);
      leave(node);
      queue_.push_back({node, Evidence::of(e)});
      return;
    }
    case K::lock_acquired:
      if (e.node != sim::kNoNode) on_acquired(e);
      return;
    case K::fault_crash:
      if (e.node != sim::kNoNode) leave(e.node);
      return;
    default:
      return;
  }
}

void Fairness::on_acquired(const Event& e) {
  const auto it =
      std::find_if(queue_.begin(), queue_.end(), [&](const Waiter& q) { return q.node == e.node; });
  if (it == queue_.end()) return;  // never enqueued: nothing to judge
  const auto ahead = static_cast<size_t>(it - queue_.begin());
  if (ahead > 0) {
    ++overtakings_;
    if (!worst_.has_value() || ahead > worst_->count) {
      worst_ = Overtaking{Evidence::of(e), queue_.front().enqueued, queue_.front().node, ahead};
    }
  }
  queue_.erase(it);
}

CheckResult Fairness::result() const {
  assert(ended_ && "result() is valid after end()");
  CheckResult r;
  r.checker = "fairness";
  if (!worst_.has_value()) return r;
  const sim::TraceInfo& info = *info_;
  const Overtaking& o = *worst_;
  r.verdict = sim::Verdict::violated;
  const std::string first = info.node_name(o.first_node);
  r.explanation = info.node_name(o.acquired.node) + " acquired the lock at " +
                  sim::format_seconds(o.acquired.at.ns) + " ahead of " + std::to_string(o.count) +
                  " client" + (o.count == 1 ? "" : "s") +
                  " whose requests the lock service had seen first (the earliest, " + first +
                  ", since " + sim::format_seconds(o.first_overtaken.at.ns) + "); " +
                  std::to_string(overtakings_) + " grant" + (overtakings_ == 1 ? "" : "s") +
                  " in all went out of request order. Queue waiters (sequential nodes, each "
                  "waiting for its predecessor) if the lock must be fair.";
  r.evidence.push_back(o.first_overtaken);
  r.evidence.push_back(o.acquired);
  r.deciding = 1;
  r.interval = Interval{o.first_overtaken.at, o.acquired.at};
  return r;
}

}  // namespace

namespace detail {
std::unique_ptr<Checker> make_fairness() { return std::make_unique<Fairness>(); }
}  // namespace detail

}  // namespace lockstep::checkers
