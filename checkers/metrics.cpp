// Per-run metrics from the trace, under the names docs/metrics.md quotes. Wait and hold times
// count completed episodes only (a wait still open, or a hold still believed, at the run's end is
// not a sample): liveness judges the open ones. Percentiles are nearest-rank, 0 with no samples.
// Election metrics are always emitted (0 for lock protocols) so every run yields the same names
// in the same order, which lets `explore` merge runs of any protocol column by column.
#include <algorithm>
#include <cassert>
#include <optional>
#include <vector>

#include "checkers/internal.hpp"
#include "checkers/metrics.hpp"

namespace lockstep::checkers {
namespace {

// A lock client's current wait and hold, both started by true time.
struct ClientState {
  std::optional<sim::Instant> waiting_since;
  std::optional<sim::Instant> holding_since;
  std::optional<int64_t> token;
};

// Nearest-rank percentile of `samples` (sorted in place) in seconds; 0 with no samples.
double percentile_s(std::vector<int64_t>& samples, int64_t percent) {
  assert(percent > 0 && percent <= 100);
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const int64_t n = static_cast<int64_t>(samples.size());
  const int64_t rank = std::max<int64_t>(1, (percent * n + 99) / 100);
  assert(rank <= n);
  return sim::Duration{samples[static_cast<size_t>(rank - 1)]}.seconds_f();
}

// fault.* that injects a failure; the events that undo one (heal, resume, restart) and a fault
// that found no target do not count.
bool is_injected_fault(sim::Kind kind) {
  switch (kind) {
    case sim::Kind::fault_crash:
    case sim::Kind::fault_pause:
    case sim::Kind::fault_partition:
    case sim::Kind::fault_cut:
    case sim::Kind::fault_isolate:
    case sim::Kind::fault_clock_step:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct Metrics::Impl {
  std::vector<ClientState> clients;  // by node
  std::vector<int64_t> wait_ns;
  std::vector<int64_t> hold_ns;
  std::optional<int64_t> highest_token;  // highest token the resource accepted
  int64_t acquisitions = 0;
  int64_t expirations = 0;
  int64_t lost = 0;
  int64_t writes = 0;
  int64_t rejected = 0;
  int64_t stale_writes = 0;
  int64_t sent = 0;
  int64_t delivered = 0;
  int64_t dropped = 0;
  int64_t faults = 0;
  int64_t elections = 0;

  void on_lock_event(const sim::Event& e);
  void end_hold(ClientState& c, sim::Instant at) {
    if (!c.holding_since.has_value()) return;
    hold_ns.push_back((at - *c.holding_since).ns);
    c.holding_since.reset();
  }
  void on_write(const sim::Event& e) {
    ++writes;
    const std::optional<int64_t> token = e.get(sim::Key::token);
    if (!token.has_value()) return;
    if (highest_token.has_value() && *token < *highest_token) ++stale_writes;
    if (!highest_token.has_value() || *token > *highest_token) highest_token = token;
  }
};

void Metrics::Impl::on_lock_event(const sim::Event& e) {
  if (e.node == sim::kNoNode) return;
  ClientState& c = detail::node_slot(clients, e.node);
  switch (e.kind) {
    case sim::Kind::lock_requested:
      if (!c.waiting_since.has_value()) c.waiting_since = e.at;
      return;
    case sim::Kind::lock_acquired:
      ++acquisitions;
      if (c.waiting_since.has_value()) wait_ns.push_back((e.at - *c.waiting_since).ns);
      c.waiting_since.reset();
      if (!c.holding_since.has_value()) c.holding_since = e.at;
      c.token = e.get(sim::Key::token);
      return;
    case sim::Kind::lock_expired:
    case sim::Kind::lock_lost:
    case sim::Kind::lock_released:
      if (e.kind == sim::Kind::lock_expired) ++expirations;
      if (e.kind == sim::Kind::lock_lost) ++lost;
      if (detail::ends_belief(e, c.token)) end_hold(c, e.at);
      return;
    case sim::Kind::fault_crash:
      // A crash ends the client's hold and abandons its wait.
      end_hold(c, e.at);
      c.waiting_since.reset();
      return;
    default:
      return;
  }
}

void Metrics::begin(const sim::TraceInfo& info) {
  impl_ = std::make_shared<Impl>();
  impl_->clients.resize(info.node_ids.size());
  values_.clear();
}

void Metrics::on_event(const sim::Event& e) {
  assert(impl_ != nullptr && "begin() comes first");
  Impl& m = *impl_;
  switch (e.kind) {
    case sim::Kind::net_send:
      ++m.sent;
      return;
    case sim::Kind::net_deliver:
      ++m.delivered;
      return;
    case sim::Kind::net_drop:
      ++m.dropped;
      return;
    case sim::Kind::resource_write:
      m.on_write(e);
      return;
    case sim::Kind::resource_rejected:
      ++m.rejected;
      return;
    case sim::Kind::election_started:
      ++m.elections;
      return;
    default:
      break;
  }
  if (is_injected_fault(e.kind)) ++m.faults;
  m.on_lock_event(e);
}

void Metrics::end(sim::Instant /*end*/) {
  assert(impl_ != nullptr && "begin() comes first");
  Impl& m = *impl_;
  auto count = [](int64_t v) { return static_cast<double>(v); };
  values_ = {
      {"lock.acquisitions", "count", count(m.acquisitions)},
      {"lock.wait_time.p50", "s", percentile_s(m.wait_ns, 50)},
      {"lock.wait_time.p99", "s", percentile_s(m.wait_ns, 99)},
      {"lock.wait_time.max", "s", percentile_s(m.wait_ns, 100)},
      {"lock.hold_time.p50", "s", percentile_s(m.hold_ns, 50)},
      {"lock.hold_time.max", "s", percentile_s(m.hold_ns, 100)},
      {"lock.expirations", "count", count(m.expirations)},
      {"lock.lost", "count", count(m.lost)},
      {"resource.writes", "count", count(m.writes)},
      {"resource.rejected", "count", count(m.rejected)},
      {"resource.stale_writes", "count", count(m.stale_writes)},
      {"net.messages_sent", "count", count(m.sent)},
      {"net.messages_delivered", "count", count(m.delivered)},
      {"net.messages_dropped", "count", count(m.dropped)},
      {"faults.injected", "count", count(m.faults)},
      {"leader.elections", "count", count(m.elections)},
  };
}

}  // namespace lockstep::checkers
