// fenced_writes: the resource never accepts a write whose token is older than one it already
// accepted. This judges what the world suffers (a stale holder overwrote newer data), where
// mutual_exclusion judges what nodes believe. An equal token is the same holder writing again.
#include <cassert>
#include <optional>
#include <string>

#include "checkers/checker.hpp"
#include "checkers/internal.hpp"
#include "checkers/words.hpp"

namespace lockstep::checkers {
namespace {

using checkers::K;
using sim::Event;

// The first stale write the resource accepted, and the newer write it should have respected.
struct StaleWrite {
  Event stale;
  Event newer;
};

class FencedWrites final : public Checker {
 public:
  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    w_.resolve(*info.vocabulary);
    highest_.reset();
    first_stale_.reset();
    stale_count_ = 0;
    rejected_count_ = 0;
    ended_ = false;
  }
  void on_event(const Event& e) override {
    assert(info_ != nullptr);
    if (w_(e.kind) == K::resource_write) on_write(e);
    if (w_(e.kind) == K::resource_rejected) ++rejected_count_;
  }
  bool wants(sim::Kind kind) const override {
    return w_(kind) == K::resource_write || w_(kind) == K::resource_rejected;
  }
  void end(sim::Instant /*end*/) override { ended_ = true; }
  CheckResult result() const override;

 private:
  void on_write(const Event& e);
  std::string violation_text() const;

  const sim::TraceInfo* info_ = nullptr;
  Words w_;
  std::optional<Event> highest_;  // the accepted write with the highest token so far
  std::optional<StaleWrite> first_stale_;
  int64_t stale_count_ = 0;
  int64_t rejected_count_ = 0;
  bool ended_ = false;
};

void FencedWrites::on_write(const Event& e) {
  // A write without a token cannot be ordered against others; nothing to judge.
  const std::optional<int64_t> token = e.get(w_.token);
  if (!token.has_value()) return;
  if (!highest_.has_value() || *token > highest_->get_or(w_.token, 0)) {
    highest_ = e;
    return;
  }
  if (*token == highest_->get_or(w_.token, 0)) return;
  ++stale_count_;
  if (!first_stale_.has_value()) first_stale_ = StaleWrite{e, *highest_};
}

std::string writer_name(const Event& e, const sim::TraceInfo& info, sim::Key writer_key) {
  const std::optional<int64_t> writer = e.get(writer_key);
  if (!writer.has_value() || *writer < 0 || *writer >= static_cast<int64_t>(sim::kNoNode)) {
    return "an unnamed writer";
  }
  return info.node_name(static_cast<sim::NodeIndex>(*writer));
}

std::string FencedWrites::violation_text() const {
  const sim::TraceInfo& info = *info_;
  const Event& stale = first_stale_->stale;
  const Event& newer = first_stale_->newer;
  const std::string resource =
      stale.node == sim::kNoNode ? std::string("the resource") : info.node_name(stale.node);
  std::string out = resource + " accepted a write from " + writer_name(stale, info, w_.writer) +
                    " with token " + std::to_string(stale.get_or(w_.token, 0)) + " at " +
                    sim::format_seconds(stale.at.ns) + " after it had accepted " +
                    writer_name(newer, info, w_.writer) + "'s write with token " +
                    std::to_string(newer.get_or(w_.token, 0)) + " at " +
                    sim::format_seconds(newer.at.ns) + ", so a stale holder overwrote newer data";
  if (stale_count_ > 1) out += " (" + std::to_string(stale_count_) + " stale writes in all)";
  return out +
         ". Fence the resource: have it reject any write whose token is below the highest it has "
         "accepted.";
}

CheckResult FencedWrites::result() const {
  assert(ended_ && "result() is valid after end()");
  CheckResult r;
  r.checker = "fenced_writes";
  if (first_stale_.has_value()) {
    r.verdict = sim::Verdict::violated;
    r.explanation = violation_text();
    r.evidence.push_back(Evidence::of(first_stale_->newer));
    r.evidence.push_back(Evidence::of(first_stale_->stale));
    r.deciding = 1;
    r.interval = Interval{first_stale_->stale.at, first_stale_->stale.at};
    return r;
  }
  // Holding because fencing turned stale writes away is worth saying: the pattern worked.
  if (rejected_count_ > 0) {
    r.explanation = "The resource rejected " + std::to_string(rejected_count_) + " stale write" +
                    (rejected_count_ == 1 ? "" : "s") + " and accepted none: fencing worked.";
  }
  return r;
}

}  // namespace

namespace detail {
std::unique_ptr<Checker> make_fenced_writes() { return std::make_unique<FencedWrites>(); }
}  // namespace detail

}  // namespace lockstep::checkers
