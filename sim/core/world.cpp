#include "sim/core/world.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/world_impl.hpp"

namespace lockstep::sim {

World::Impl::Impl(WorldConfig c, const Plan& p, Trace& t, WorldLimits l)
    : config(std::move(c)),
      plan(p),
      trace(t),
      limits(l),
      directory([&] {
        std::vector<NodeInfo> infos;
        for (const NodeConfig& n : config.nodes) infos.push_back({n.id, n.role});
        return infos;
      }()),
      network(config.network, config.nodes.size(), Rng::stream(p.seed, "network")),
      payloads(l.max_payload_bytes, l.max_payload_live) {
  assert(config.make != nullptr);
  assert(p.clocks.size() == config.nodes.size());
  info.scenario = config.scenario;
  info.protocol = config.protocol;
  info.seed = p.seed;
  info.duration_ns = config.duration.ns;
  for (const NodeConfig& n : config.nodes) {
    info.node_ids.push_back(n.id);
    info.node_roles.push_back(n.role);
  }
  info.messages = config.messages;
  info.vocabulary = config.vocabulary;
  for (const NodeConfig& n : config.nodes) info.node_claims.push_back(n.claims);
  claimants.resize(config.claims.size());
  hosts.resize(config.nodes.size());
  for (NodeIndex i = 0; i < hosts.size(); ++i) {
    Host& h = hosts[i];
    h.index = i;
    h.change_clock() = Clock{p.clocks[i].drift_ppb, p.clocks[i].offset_ns, 0};
    h.rng = Rng::stream(p.seed, "node:" + config.nodes[i].id);
    h.context = std::make_unique<HostContext>(*this, i);
    // Its own stream: a modelled disk's draws never shift the node's or the network's.
    h.storage =
        HostStorage(config.nodes[i].storage, Rng::stream(p.seed, "storage:" + config.nodes[i].id));
    h.storage.attach(h.context.get());
  }
  fault_node.assign(p.faults.size(), kNoNode);
  fault_links.resize(p.faults.size());
  fault_text.resize(p.faults.size());
  queue.reserve(1024);
}

void World::Impl::track_roles(NodeIndex node, Kind kind) {
  for (size_t c = 0; c < config.claims.size(); ++c) {
    const RoleClaim& claim = config.claims[c];
    const bool starts =
        std::find(claim.start.begin(), claim.start.end(), kind) != claim.start.end();
    const bool ends = std::find(claim.end.begin(), claim.end.end(), kind) != claim.end.end();
    if (!starts && !ends) continue;
    std::erase(claimants[c], node);
    if (starts) claimants[c].push_back(node);
  }
}

void World::Impl::forget_roles(NodeIndex node) {
  for (std::vector<NodeIndex>& nodes : claimants) std::erase(nodes, node);
}

Payload World::Impl::make_payload(std::span<const std::byte> bytes) {
  try {
    const Payload p = payloads.make(bytes);
    if (!p.empty()) made.push_back(p);
    return p;
  } catch (const PayloadLimitError& e) {
    throw LimitError(e.what());
  }
}

void World::Impl::send(NodeIndex from, NodeIndex to, const Message& m) {
  assert(to < hosts.size());
  const uint64_t id = next_msg_id++;
  const int64_t type = m.type;
  const int64_t msg_id = static_cast<int64_t>(id);
  emit(from, Kind::net_send, {{Key::to, to}, {Key::msg, type}, {Key::msg_id, msg_id}});
  if (!drops.empty() && dropped_by_fault(from, to, m, msg_id)) return;
  const Route r = network.route(from, to, now);
  if (r.dropped != DropReason::none) {
    emit(from, Kind::net_drop, {{Key::to, to}, {Key::msg, type}, {Key::msg_id, msg_id}},
         drop_reason_name(r.dropped));
    return;
  }
  for (uint8_t c = 0; c < r.copies; ++c) {
    payloads.retain(m.payload);  // each copy in flight holds the payload
    const uint64_t slot = in_flight.put(m, from, id, limits.max_in_flight);
    queue.push(r.deliver_at_ns[c], EventType::deliver, to, slot);
  }
}

bool World::Impl::dropped_by_fault(NodeIndex from, NodeIndex to, const Message& m, int64_t msg_id) {
  for (auto it = drops.begin(); it != drops.end(); ++it) {
    const DropRule& rule = plan.faults[it->fault].drop;
    if (rule.message != m.type || (rule.from != kNoNode && rule.from != from) ||
        (rule.to != kNoNode && rule.to != to) || ++it->seen < rule.nth) {
      continue;
    }
    emit(from, Kind::net_drop,
         {{Key::to, to},
          {Key::msg, m.type},
          {Key::msg_id, msg_id},
          {Key::fault, static_cast<int64_t>(it->fault)}},
         drop_reason_name(DropReason::fault));
    drops.erase(it);
    return true;
  }
  return false;
}

// The nth matching event fires its fault `after` later (after 0: right after this event).
void World::Impl::check_triggers(const Event& e) {
  for (auto it = triggers.begin(); it != triggers.end();) {
    const Trigger& t = *plan.faults[it->fault].trigger;
    bool match = e.kind == t.kind;
    if (match && !t.node.role.empty()) match = e.node != kNoNode && e.node == resolve(t.node);
    if (match && t.node.role.empty() && t.node.node != kNoNode) match = e.node == t.node.node;
    for (const Field& w : t.where) match = match && e.get(w.key) == w.value;
    if (!match || ++it->seen < t.nth) {
      ++it;
      continue;
    }
    queue.push((now + t.after).ns, EventType::fault_start, kNoNode, it->fault);
    it = triggers.erase(it);
  }
}

void World::Impl::set_timer(NodeIndex node, TimerSlot slot, Duration after) {
  assert(slot < kMaxTimerSlots);
  assert(after.ns >= 0);
  Host& h = hosts[node];
  Host::TimerState& t = h.timers[slot];
  LocalTime mono;
  LocalTime wall;
  h.read_clock(now, &mono, &wall);
  t.due = mono + after;
  t.live = true;
  arm_timer(h, slot);
  if (t.queued && t.entry_at <= t.due_at) return;  // the entry pops first and moves here
  queue_timer(h, slot);
}

void World::Impl::schedule_sync(NodeIndex node, StorageTicket ticket, Instant at, size_t writes) {
  emit(node, Kind::storage_sync,
       {{Key::ticket, static_cast<int64_t>(ticket)}, {Key::writes, static_cast<int64_t>(writes)}});
  queue.push(at.ns, EventType::storage_done, node, ticket);
}

void World::Impl::storage_done(const QueuedEvent& ev) {
  Host& h = hosts[ev.node];
  if (!h.up) return;  // the crash already settled what this sync covered
  if (h.paused > 0) {
    h.deferred.push_back(ev);
    return;
  }
  Instant later;
  if (!h.storage.complete(ev.data, now, &later)) {
    if (later > now) queue.push(later.ns, EventType::storage_done, ev.node, ev.data);  // stalled
    return;
  }
  emit(ev.node, Kind::storage_durable, {{Key::ticket, static_cast<int64_t>(ev.data)}});
  h.process->on_durable(*h.context, ev.data);
  end_handler();
}

void World::Impl::boot(Host& h) {
  const NodeConfig& node = config.nodes[h.index];
  h.process =
      config.make(NodeSetup{h.index, directory[h.index], directory, node.params, config.workload});
  assert(h.process != nullptr);
  h.up = true;
  h.process->on_start(*h.context);
  end_handler();
}

void World::Impl::deliver(const QueuedEvent& ev) {
  Host& h = hosts[ev.node];
  if (h.up && h.paused > 0) {
    h.deferred.push_back(ev);
    return;
  }
  Message m;
  // The handler may send: the record is free from here on, and m is its copy.
  const InFlightPool::Header f = in_flight.take(ev.data, payloads, &m);
  const NodeIndex to = ev.node;
  const int64_t type = f.type;
  const int64_t msg_id = static_cast<int64_t>(f.id);
  if (!h.up || !network.reachable(f.from, to)) {
    const DropReason why = h.up ? DropReason::partition : DropReason::down;
    emit(to, Kind::net_drop, {{Key::from, f.from}, {Key::msg, type}, {Key::msg_id, msg_id}},
         drop_reason_name(why));
  } else {
    emit(to, Kind::net_deliver, {{Key::from, f.from}, {Key::msg, type}, {Key::msg_id, msg_id}});
    h.process->on_message(*h.context, f.from, m);
  }
  payloads.release(m.payload);  // the copy that arrived lived as long as its handler
  end_handler();
}

void World::Impl::fire_timer(const QueuedEvent& ev) {
  Host& h = hosts[ev.node];
  Host::TimerState& t = h.timers[ev.aux];
  // An entry from an earlier life, or one an earlier entry replaced, is skipped.
  if (!h.up || ev.data != timer_data(h, t)) return;
  if (!t.live) {  // cancelled
    t.queued = false;
    return;
  }
  if (ev.at_ns < t.due_at || (ev.at_ns == t.due_at && ev.seq < t.due_seq)) {
    return queue_timer(h, ev.aux);  // set again since this entry was pushed: it moves there
  }
  // Due (or past due: deferred by a pause and queued again on resume).
  if (h.paused > 0) {
    h.deferred.push_back(ev);
    return;
  }
  t.live = false;
  t.queued = false;
  emit(ev.node, Kind::timer_fire, {{Key::slot, ev.aux}});
  h.process->on_timer(*h.context, ev.aux);
  end_handler();
}

void World::Impl::dispatch(const QueuedEvent& ev) {
  switch (ev.type) {
    case EventType::deliver:
      deliver(ev);
      break;
    case EventType::timer:
      fire_timer(ev);
      break;
    case EventType::fault_start:
      fault_start(static_cast<size_t>(ev.data));
      break;
    case EventType::fault_end:
      fault_end(static_cast<size_t>(ev.data));
      break;
    case EventType::storage_done:
      storage_done(ev);
      break;
  }
}

void World::Impl::run() {
  trace.begin(info);
  // Nodes boot at 0s before anything queued runs, so a fault at 0s finds them up; messages
  // they sent on boot are checked against reachability again on delivery.
  for (size_t i = 0; i < plan.faults.size(); ++i) {
    if (plan.faults[i].trigger) {
      triggers.push_back({i});  // fires relative to the event it waits for
    } else {
      queue.push(plan.faults[i].at.ns, EventType::fault_start, kNoNode, i);
    }
  }
  for (Host& h : hosts) {
    emit(h.index, Kind::node_start, {});
    boot(h);
  }
  const int64_t end_ns = config.duration.ns;
  QueuedEvent ev;
  while (queue.pop_before(end_ns, &ev)) {
    assert(ev.at_ns >= now.ns);
    now = Instant{ev.at_ns};
    dispatch(ev);
    if (++events >= next_check) checkpoint();
  }
  now = Instant{end_ns};
  trace.end(now);
}

void World::Impl::checkpoint() {
  // Formatted only when a limit is hit: progress reports and passed checks format nothing.
  const auto where = [this] {
    return " by " + format_duration(Duration{now.ns}) + " of the run's " +
           format_duration(config.duration) +
           " (an event explosion); shorten the duration or lower the message and timer rates";
  };
  if (events > limits.max_events) {
    throw LimitError("more than " + std::to_string(limits.max_events) + " events" + where());
  }
  if (events == next_progress) {
    next_progress += progress_every;
    progress(now, events);
  }
  if (events == next_rate_check) {
    // Caught early: a run whose pace would need ten times the budget is stopped in seconds
    // rather than after the whole budget. Two paces are projected to the run's end: the average
    // so far, and the pace since the last check continued over the time left (an explosion that
    // starts after a quiet opening, which the average dilutes). The recent pace counts only once
    // the average alone would already exceed the budget, so a short burst in an ordinary run
    // never stops it. The check reads only simulated time and the event count, so it stops the
    // same run at the same event on every machine.
    const double budget = static_cast<double>(limits.max_events);
    const double total = static_cast<double>(config.duration.ns);
    const double elapsed = static_cast<double>(now.ns - rate_check_ns);
    const double average =
        now.ns <= 0 ? HUGE_VAL : static_cast<double>(events) * total / static_cast<double>(now.ns);
    const double recent = elapsed <= 0 ? HUGE_VAL
                                       : static_cast<double>(events) +
                                             static_cast<double>(events - rate_check_events) *
                                                 (total - static_cast<double>(now.ns)) / elapsed;
    const double projected = average > budget ? std::max(average, recent) : average;
    rate_check_events = events;
    rate_check_ns = now.ns;
    next_rate_check *= 2;
    if (projected > 10.0 * budget) {
      throw LimitError(
          std::to_string(events) + " events" + where() + "; at this pace the run " +
          "would take about " + std::to_string(static_cast<uint64_t>(std::min(projected, 1e18))) +
          " events, and at most " + std::to_string(limits.max_events) + " are allowed");
    }
  }
  next_check = next_check_after();
}

World::World(WorldConfig config, const Plan& plan, Trace& trace, WorldLimits limits)
    : impl_(std::make_unique<Impl>(std::move(config), plan, trace, limits)) {}
World::~World() = default;
void World::run() { impl_->run(); }
void World::on_progress(uint64_t every, Progress report) {
  impl_->progress_every = every;
  impl_->next_progress = every == 0 || !report ? UINT64_MAX : every;
  impl_->next_check = impl_->next_check_after();
  impl_->progress = std::move(report);
}
uint64_t World::events_processed() const { return impl_->events; }
const TraceInfo& World::info() const { return impl_->info; }

}  // namespace lockstep::sim
