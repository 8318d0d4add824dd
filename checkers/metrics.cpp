// Per-run metrics from the trace, under the names docs/metrics.md quotes. Percentiles are
// nearest-rank, 0 with no samples. Output comes in groups so that a run shows what it is about:
//  - lock.* and resource.*: only when the run saw a lock.* or resource.* event;
//  - leader.*: only when the run saw an election.started, vote.granted, leader.* or
//    term.changed event;
//  - net.* and faults.*: always.
// Within a group the names and their order are fixed; `explore` merges runs by name.
//
// Lock group. Wait and hold times count completed episodes only (a wait still open, or a hold
// still believed, at the run's end is not a sample): liveness judges the open ones.
// lock.messages_per_acquisition (ratio) is every message of the run (net.messages_sent, the
// lock servers' own traffic such as Raft heartbeats included) over lock.acquisitions, 0 with no
// acquisition: the price of one acquisition on the wire, comparable across protocols.
//
// Election group (what nodes believe, in true time):
//  - leader.rotation_time.p50/.max (s): failover time, from the loss of the current leader (the
//    most recently elected one still believing) to the next leader.elected by any node. A loss
//    is the leader's step-down, a fault.crash/pause/isolate naming it, or a net.link_down after
//    which it no longer exchanges messages both ways with a majority of the available election
//    nodes (connectivity.hpp). A leader.confirmed from it after the loss cancels the loss (it
//    kept leading through a short fault). A loss still waiting at the run's end is no sample.
//  - leader.tenure.p50/.max (s): from a node's leader.elected to its step-down, its crash or the
//    run's end; re-elected in a newer term without stepping down is one tenure.
//  - leader.time_without (s): total true time, after the first leader.elected, during which no
//    node believed it led.
//  - leader.elections (count): election.started with prevote false (or no prevote field).
//  - leader.prevotes (count): election.started with prevote true.
//  - leader.terms (count): distinct terms named by election.started (not prevote),
//    leader.elected and term.changed.
//  - leader.split_votes (count): terms with an election.started (not prevote) but no
//    leader.elected, including one still open when the run ended.
#include <algorithm>
#include <array>
#include <cassert>
#include <optional>
#include <set>
#include <vector>

#include "checkers/connectivity.hpp"
#include "checkers/internal.hpp"
#include "checkers/metrics.hpp"
#include "checkers/words.hpp"

namespace lockstep::checkers {
namespace {

using checkers::K;
using sim::Instant;
using sim::NodeIndex;

// A lock client's current wait and hold, both started by true time.
struct ClientState {
  std::optional<Instant> waiting_since;
  std::optional<Instant> holding_since;
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

double count(int64_t v) { return static_cast<double>(v); }

// fault.* that injects a failure; the events that undo one (heal, resume, restart) and a fault
// that found no target do not count.
bool is_injected_fault(K kind) {
  switch (kind) {
    case K::fault_crash:
    case K::fault_pause:
    case K::fault_partition:
    case K::fault_cut:
    case K::fault_isolate:
    case K::fault_clock_step:
    case K::fault_clock_rate:
    case K::fault_disk_stall:
    case K::fault_disk_slow:
    case K::fault_link:
      return true;
    default:
      return false;
  }
}

bool is_lock_kind(K kind) {
  switch (kind) {
    case K::lock_requested:
    case K::lock_acquired:
    case K::lock_renewed:
    case K::lock_lost:
    case K::lock_expired:
    case K::lock_released:
    case K::lock_granted:
    case K::lock_denied:
    case K::lock_lease_ended:
    case K::resource_write:
    case K::resource_rejected:
      return true;
    default:
      return false;
  }
}

bool is_election_kind(K kind) {
  switch (kind) {
    case K::election_started:
    case K::vote_granted:
    case K::leader_elected:
    case K::leader_confirmed:
    case K::leader_stepped_down:
    case K::term_changed:
      return true;
    default:
      return false;
  }
}

// The lock and resource group.
struct LockStats {
  const Words* w = nullptr;
  bool seen = false;
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

  K kind(const sim::Event& e) const { return (*w)(e.kind); }
  void on_event(const sim::Event& e);
  void on_client_event(const sim::Event& e);
  void end_hold(ClientState& c, Instant at) {
    if (!c.holding_since.has_value()) return;
    hold_ns.push_back((at - *c.holding_since).ns);
    c.holding_since.reset();
  }
  void on_write(const sim::Event& e) {
    ++writes;
    const std::optional<int64_t> token = e.get(w->token);
    if (!token.has_value()) return;
    if (highest_token.has_value() && *token < *highest_token) ++stale_writes;
    if (!highest_token.has_value() || *token > *highest_token) highest_token = token;
  }
  void append(std::vector<Metric>& out, int64_t messages_sent);
};

void LockStats::on_event(const sim::Event& e) {
  seen = seen || is_lock_kind(kind(e));
  if (kind(e) == K::resource_write) on_write(e);
  if (kind(e) == K::resource_rejected) ++rejected;
  on_client_event(e);
}

void LockStats::on_client_event(const sim::Event& e) {
  if (e.node == sim::kNoNode) return;
  switch (kind(e)) {
    case K::lock_requested:
    case K::lock_acquired:
    case K::lock_expired:
    case K::lock_lost:
    case K::lock_released:
    case K::fault_crash:
      break;
    default:
      return;
  }
  ClientState& c = detail::node_slot(clients, e.node);
  switch (kind(e)) {
    case K::lock_requested:
      if (!c.waiting_since.has_value()) c.waiting_since = e.at;
      return;
    case K::lock_acquired:
      ++acquisitions;
      if (c.waiting_since.has_value()) wait_ns.push_back((e.at - *c.waiting_since).ns);
      c.waiting_since.reset();
      if (!c.holding_since.has_value()) c.holding_since = e.at;
      c.token = e.get(w->token);
      return;
    case K::fault_crash:
      // A crash ends the client's hold and abandons its wait.
      end_hold(c, e.at);
      c.waiting_since.reset();
      return;
    default:  // expired, lost, released
      if (kind(e) == K::lock_expired) ++expirations;
      if (kind(e) == K::lock_lost) ++lost;
      if (detail::ends_belief(e, c.token, w->token)) end_hold(c, e.at);
      return;
  }
}

void LockStats::append(std::vector<Metric>& out, int64_t messages_sent) {
  assert(messages_sent >= 0);
  if (!seen) return;
  // A run without acquisitions gives 0, as percentiles without samples do: a retry storm that
  // never acquires shows in net.messages_sent and lock.acquisitions, not as an infinity here.
  const double per_acquisition = acquisitions == 0 ? 0 : count(messages_sent) / count(acquisitions);
  const std::vector<Metric> group = {
      {"lock.acquisitions", "count", count(acquisitions)},
      {"lock.wait_time.p50", "s", percentile_s(wait_ns, 50)},
      {"lock.wait_time.p99", "s", percentile_s(wait_ns, 99)},
      {"lock.wait_time.max", "s", percentile_s(wait_ns, 100)},
      {"lock.hold_time.p50", "s", percentile_s(hold_ns, 50)},
      {"lock.hold_time.max", "s", percentile_s(hold_ns, 100)},
      {"lock.expirations", "count", count(expirations)},
      {"lock.lost", "count", count(lost)},
      {"lock.messages_per_acquisition", "ratio", per_acquisition},
      {"resource.writes", "count", count(writes)},
      {"resource.rejected", "count", count(rejected)},
      {"resource.stale_writes", "count", count(stale_writes)},
  };
  out.insert(out.end(), group.begin(), group.end());
}

// The election group.
struct ElectionStats {
  const Words* w = nullptr;
  bool seen = false;
  detail::Connectivity links;
  std::vector<std::optional<Instant>> leading_since;  // by node: the start of its tenure
  size_t believers = 0;
  std::optional<NodeIndex> current;   // the most recently elected node still believing
  std::optional<Instant> loss_since;  // the current leader's loss, awaiting the next election
  std::optional<Instant> without_since;
  bool any_elected = false;
  int64_t without_ns = 0;
  std::vector<int64_t> rotation_ns;
  std::vector<int64_t> tenure_ns;
  int64_t elections = 0;
  int64_t prevotes = 0;
  std::set<int64_t> terms;
  std::set<int64_t> started_terms;  // by a (not prevote) election.started
  std::set<int64_t> elected_terms;

  K kind(const sim::Event& e) const { return (*w)(e.kind); }
  void on_event(const sim::Event& e);
  void on_started(const sim::Event& e);
  void on_elected(const sim::Event& e);
  void end_tenure(NodeIndex node, Instant at);
  void lose_current(Instant at) {
    if (!loss_since.has_value()) loss_since = at;
  }
  bool is_current(NodeIndex node) const { return current.has_value() && *current == node; }
  void finish(Instant end);
  void append(std::vector<Metric>& out);
};

void ElectionStats::on_event(const sim::Event& e) {
  seen = seen || is_election_kind(kind(e));
  links.on_event(e);
  switch (kind(e)) {
    case K::election_started:
      on_started(e);
      return;
    case K::term_changed:
      if (auto t = e.get(w->term)) terms.insert(*t);
      return;
    case K::leader_elected:
      on_elected(e);
      return;
    case K::leader_confirmed:
      if (is_current(e.node)) loss_since.reset();  // it still leads: the fault did not cost it
      return;
    case K::leader_stepped_down:
    case K::fault_crash:
      if (is_current(e.node)) {
        lose_current(e.at);
        current.reset();
      }
      if (e.node != sim::kNoNode) end_tenure(e.node, e.at);
      return;
    case K::fault_pause:
    case K::fault_isolate:
      if (is_current(e.node)) lose_current(e.at);
      return;
    case K::net_link_down:
      if (current.has_value() && !links.reaches_majority(*current)) lose_current(e.at);
      return;
    default:
      return;
  }
}

void ElectionStats::on_started(const sim::Event& e) {
  if (e.get_or(w->prevote, 0) != 0) {
    ++prevotes;
    return;
  }
  ++elections;
  if (auto t = e.get(w->term)) {
    terms.insert(*t);
    started_terms.insert(*t);
  }
}

void ElectionStats::on_elected(const sim::Event& e) {
  if (auto t = e.get(w->term)) {
    terms.insert(*t);
    elected_terms.insert(*t);
  }
  if (e.node == sim::kNoNode) return;
  if (loss_since.has_value()) rotation_ns.push_back((e.at - *loss_since).ns);
  loss_since.reset();
  current = e.node;
  any_elected = true;
  std::optional<Instant>& since = detail::node_slot(leading_since, e.node);
  if (since.has_value()) return;  // re-elected while leading: the same tenure
  since = e.at;
  if (believers++ == 0 && without_since.has_value()) {
    without_ns += (e.at - *without_since).ns;
    without_since.reset();
  }
}

void ElectionStats::end_tenure(NodeIndex node, Instant at) {
  std::optional<Instant>& since = detail::node_slot(leading_since, node);
  if (!since.has_value()) return;
  tenure_ns.push_back((at - *since).ns);
  since.reset();
  assert(believers > 0);
  if (--believers == 0 && any_elected) without_since = at;
}

void ElectionStats::finish(Instant end) {
  for (NodeIndex n = 0; n < leading_since.size(); ++n) end_tenure(n, end);
  if (without_since.has_value()) without_ns += (end - *without_since).ns;
  without_since.reset();
}

void ElectionStats::append(std::vector<Metric>& out) {
  if (!seen) return;
  int64_t split = 0;
  for (int64_t t : started_terms) split += elected_terms.count(t) == 0 ? 1 : 0;
  const std::vector<Metric> group = {
      {"leader.rotation_time.p50", "s", percentile_s(rotation_ns, 50)},
      {"leader.rotation_time.max", "s", percentile_s(rotation_ns, 100)},
      {"leader.tenure.p50", "s", percentile_s(tenure_ns, 50)},
      {"leader.tenure.max", "s", percentile_s(tenure_ns, 100)},
      {"leader.time_without", "s", sim::Duration{without_ns}.seconds_f()},
      {"leader.elections", "count", count(elections)},
      {"leader.terms", "count", count(static_cast<int64_t>(terms.size()))},
      {"leader.split_votes", "count", count(split)},
      {"leader.prevotes", "count", count(prevotes)},
  };
  out.insert(out.end(), group.begin(), group.end());
}

// Herd group (only when the run saw a watch.fired): the watch notifications one deletion of a
// lock node caused. A deletion's notifications are the consecutive watch.fired events at one
// instant naming one `seq`.
//  - lock.herd.per_release (ratio): mean over deletions that notified anyone;
//  - lock.herd.max (count): the most that one deletion caused.
struct HerdStats {
  bool seen = false;
  std::optional<int64_t> seq;
  Instant at;
  int64_t run = 0, max = 0, total = 0, deletions = 0;

  void on_fired(const sim::Event& e, sim::Key seq_key) {
    seen = true;
    const std::optional<int64_t> s = e.get(seq_key);
    if (!(s == seq && e.at == at)) close();
    seq = s;
    at = e.at;
    ++run;
  }
  void close() {
    if (run == 0) return;
    max = std::max(max, run);
    total += run;
    ++deletions;
    run = 0;
  }
  void append(std::vector<Metric>& out) {
    close();
    if (!seen) return;
    const double mean = deletions == 0 ? 0 : count(total) / count(deletions);
    out.push_back({"lock.herd.per_release", "ratio", mean});
    out.push_back({"lock.herd.max", "count", count(max)});
  }
};

// A kernel kind's offset from net.send: 0, 1 and 2 for net.send, net.deliver and net.drop, and
// larger (unsigned) for every other kind.
constexpr size_t net_index(sim::Kind kind) {
  static_assert(static_cast<int>(sim::Kind::net_deliver) ==
                    static_cast<int>(sim::Kind::net_send) + 1 &&
                static_cast<int>(sim::Kind::net_drop) == static_cast<int>(sim::Kind::net_send) + 2);
  return static_cast<size_t>(kind) - static_cast<size_t>(sim::Kind::net_send);
}

}  // namespace

struct Metrics::Impl {
  Words words;
  LockStats lock;
  ElectionStats election;
  HerdStats herd;
  // Messages by net kind: sent, delivered, dropped.
  static constexpr size_t kSent = net_index(sim::Kind::net_send);
  static constexpr size_t kDelivered = net_index(sim::Kind::net_deliver);
  static constexpr size_t kDropped = net_index(sim::Kind::net_drop);
  static constexpr size_t kNetKinds = 3;
  std::array<int64_t, kNetKinds> net{};
  int64_t faults = 0;
};

void Metrics::begin(const sim::TraceInfo& info) {
  impl_ = std::make_shared<Impl>();
  impl_->words.resolve(*info.vocabulary);
  impl_->lock.w = &impl_->words;
  impl_->election.w = &impl_->words;
  impl_->lock.clients.resize(info.node_ids.size());
  impl_->election.leading_since.resize(info.node_ids.size());
  impl_->election.links.begin(info);
  values_.clear();
}

void Metrics::on_event(const sim::Event& e) {
  assert(impl_ != nullptr && "begin() comes first");
  Impl& m = *impl_;
  const K kind = m.words(e.kind);
  // Fed every event (a trace read back, or route_every_event), most are net.*: one predictable
  // range check counts them, not a switch between send and deliver (which alternate as the
  // messages do, and so mispredicted). A routing Trace counts them instead (only_counts).
  const size_t net = net_index(e.kind);
  if (net < m.net.size()) {
    ++m.net[net];
    return;
  }
  if (is_injected_fault(kind)) ++m.faults;
  if (kind == K::watch_fired) m.herd.on_fired(e, m.words.seq);
  m.lock.on_event(e);
  m.election.on_event(e);
}

bool Metrics::wants(sim::Kind kind) const {
  switch (kind) {
    case sim::Kind::timer_fire:
    case sim::Kind::node_start:
    case sim::Kind::storage_sync:
    case sim::Kind::storage_durable:
    case sim::Kind::storage_lost:
      return false;
    default:
      return true;
  }
}

// Messages are only counted: a Trace counts them for the metrics, with no call per message.
bool Metrics::only_counts(sim::Kind kind) const { return net_index(kind) < Impl::kNetKinds; }

void Metrics::counted(sim::Kind kind, uint64_t events) {
  assert(impl_ != nullptr && "begin() comes first");
  assert(only_counts(kind));
  impl_->net[net_index(kind)] += static_cast<int64_t>(events);
}

void Metrics::end(sim::Instant end) {
  assert(impl_ != nullptr && "begin() comes first");
  Impl& m = *impl_;
  m.election.finish(end);
  values_.clear();
  m.lock.append(values_, m.net[Impl::kSent]);
  m.herd.append(values_);
  m.election.append(values_);
  const std::vector<Metric> always = {
      {"net.messages_sent", "count", count(m.net[Impl::kSent])},
      {"net.messages_delivered", "count", count(m.net[Impl::kDelivered])},
      {"net.messages_dropped", "count", count(m.net[Impl::kDropped])},
      {"faults.injected", "count", count(m.faults)},
  };
  values_.insert(values_.end(), always.begin(), always.end());
}

}  // namespace lockstep::checkers
