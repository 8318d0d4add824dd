// Faults as the world applies them: resolving a role target when the fault fires, crashes,
// pauses, clock steps and rates, disk stalls and slowdowns, link faults, dropped messages, and
// undoing each when its time is up.
#include "sim/core/world_impl.hpp"

namespace lockstep::sim {

NodeIndex World::Impl::resolve(const Target& t) const {
  if (t.role.empty()) return t.node;
  const auto claim = std::find_if(config.claims.begin(), config.claims.end(),
                                  [&](const RoleClaim& c) { return c.role == t.role; });
  assert(claim != config.claims.end() && "the loader admits only role targets the protocol claims");
  // The most recent claimant: the one the rest of the system currently treats as holder/leader.
  const std::vector<NodeIndex>& nodes =
      claimants[static_cast<size_t>(claim - config.claims.begin())];
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    if (hosts[*it].up) return *it;
  }
  return kNoNode;
}

void World::Impl::crash(NodeIndex node, size_t index) {
  Host& h = hosts[node];
  h.up = false;
  h.paused = 0;
  for (const QueuedEvent& ev : h.deferred) {
    if (ev.type != EventType::deliver) continue;
    payloads.release(payloads.payload(in_flight.payload_handle(ev.data)));
    in_flight.give_back(ev.data);
  }
  h.deferred.clear();
  h.process.reset();  // volatile state is gone; durable storage stays with the host
  ++h.timer_epoch;
  h.timers.fill({});
  forget_roles(node);
  emit(node, Kind::fault_crash, {{Key::fault, static_cast<int64_t>(index)}}, fault_text[index]);
  const size_t lost = h.storage.crash();
  if (lost > 0) emit(node, Kind::storage_lost, {{Key::writes, static_cast<int64_t>(lost)}});
}

void World::Impl::change_links(size_t index, int delta) {
  flipped.clear();
  network.block(fault_links[index], delta, &flipped);
  const Kind kind = delta > 0 ? Kind::net_link_down : Kind::net_link_up;
  for (const auto& [from, to] : flipped) {
    emit(kNoNode, kind,
         {{Key::from, from}, {Key::to, to}, {Key::fault, static_cast<int64_t>(index)}});
  }
}

namespace {

bool acts_on_a_node(FaultType t) {
  switch (t) {
    case FaultType::crash:
    case FaultType::pause:
    case FaultType::isolate:
    case FaultType::clock_step:
    case FaultType::clock_rate:
    case FaultType::disk_stall:
    case FaultType::disk_slow:
      return true;
    default:
      return false;
  }
}

// A fault whose end heals something (and is traced as fault.heal).
bool heals(FaultType t) {
  switch (t) {
    case FaultType::isolate:
    case FaultType::partition:
    case FaultType::partial_partition:
    case FaultType::cut:
    case FaultType::link:
    case FaultType::disk_stall:
    case FaultType::disk_slow:
    case FaultType::clock_rate:
      return true;
    default:
      return false;
  }
}

}  // namespace

NodeIndex World::Impl::fault_node_now(size_t index) {
  const PlannedFault& f = plan.faults[index];
  const NodeIndex node = resolve(f.target);
  if (!f.target.role.empty() && node != kNoNode) {
    fault_text[index] += " (" + config.nodes[node].id + ")";
  }
  if (node == kNoNode || !hosts[node].up) {
    fault_text[index] += node == kNoNode ? ": no " + f.target.role + " now" : ": already down";
    emit(node, Kind::fault_skipped, {{Key::fault, static_cast<int64_t>(index)}}, fault_text[index]);
    return kNoNode;
  }
  return node;
}

// Timers were set for the old rate: set every live one again for the new rate.
void World::Impl::reset_timers(Host& h) {
  ++h.timer_epoch;
  std::erase_if(h.deferred, [](const QueuedEvent& ev) { return ev.type == EventType::timer; });
  for (TimerSlot slot = 0; slot < kMaxTimerSlots; ++slot) {
    h.timers[slot].queued = false;
    if (!h.timers[slot].live) continue;
    arm_timer(h, slot);
    queue_timer(h, slot);
  }
}

void World::Impl::start_node_fault(size_t index, NodeIndex node) {
  const PlannedFault& f = plan.faults[index];
  const auto fault_id = static_cast<int64_t>(index);
  Host& h = hosts[node];
  const std::string& text = fault_text[index];
  switch (f.type) {
    case FaultType::crash:
      return crash(node, index);
    case FaultType::pause:
      ++h.paused;
      return emit(node, Kind::fault_pause, {{Key::fault, fault_id}}, text);
    case FaultType::clock_step:
      h.change_clock().steps_ns += f.by.ns;
      return emit(node, Kind::fault_clock_step, {{Key::fault, fault_id}, {Key::by_ns, f.by.ns}},
                  text);
    case FaultType::clock_rate:
      h.rate_before_ppb = h.clock.drift_ppb;
      h.change_clock().set_rate(now, f.to_ppb);
      reset_timers(h);
      return emit(node, Kind::fault_clock_rate,
                  {{Key::fault, fault_id}, {Key::ppm, f.to_ppb / 1000}}, text);
    case FaultType::disk_stall:
      if (f.length) h.storage.stall_until(now + *f.length);
      return emit(node, Kind::fault_disk_stall, {{Key::fault, fault_id}}, text);
    case FaultType::disk_slow:
      h.storage.set_slowdown(f.factor);
      return emit(node, Kind::fault_disk_slow, {{Key::fault, fault_id}}, text);
    case FaultType::isolate:
      for (NodeIndex other = 0; other < hosts.size(); ++other) {
        if (other == node) continue;
        fault_links[index].push_back({node, other});
        fault_links[index].push_back({other, node});
      }
      emit(node, Kind::fault_isolate, {{Key::fault, fault_id}}, text);
      return change_links(index, +1);
    default:
      assert(false && "not a fault on a node");
  }
}

void World::Impl::start_link_fault(size_t index) {
  const PlannedFault& f = plan.faults[index];
  const auto fault_id = static_cast<int64_t>(index);
  std::vector<std::pair<NodeIndex, NodeIndex>>& links = fault_links[index];
  switch (f.type) {
    case FaultType::partition:
    case FaultType::partial_partition:
      // A partial partition splits only its two groups; the nodes in neither reach both.
      for (size_t a = 0; a < f.groups.size(); ++a) {
        for (size_t b = 0; b < f.groups.size(); ++b) {
          if (a == b) continue;
          for (NodeIndex x : f.groups[a]) {
            for (NodeIndex y : f.groups[b]) links.push_back({x, y});
          }
        }
      }
      emit(kNoNode, Kind::fault_partition, {{Key::fault, fault_id}}, fault_text[index]);
      return change_links(index, +1);
    case FaultType::cut:
      links = f.links;
      emit(kNoNode, Kind::fault_cut, {{Key::fault, fault_id}}, fault_text[index]);
      return change_links(index, +1);
    case FaultType::link:
      if (f.links.empty()) return;
      try {
        network.degrade(f.links[0].first, f.links[0].second, f.change, index);
      } catch (const std::length_error& e) {
        throw LimitError(e.what());
      }
      return emit(kNoNode, Kind::fault_link, {{Key::fault, fault_id}}, fault_text[index]);
    case FaultType::drop:
      drops.push_back({index});  // armed: the matching message is lost when it is sent
      return;
    default:
      assert(false && "not a fault on links");
  }
}

void World::Impl::fault_start(size_t index) {
  const PlannedFault& f = plan.faults[index];
  fault_text[index] = f.description;
  NodeIndex node = kNoNode;
  if (acts_on_a_node(f.type)) {
    node = fault_node_now(index);
    if (node == kNoNode) return;
    fault_node[index] = node;
    start_node_fault(index, node);
  } else {
    start_link_fault(index);
  }
  if (f.length && f.type != FaultType::clock_step && f.type != FaultType::drop) {
    queue.push((now + *f.length).ns, EventType::fault_end, node, index);
  }
}

// What waited while the host was paused runs now, in the order it was due.
void World::Impl::resume(Host& h) {
  std::vector<QueuedEvent> waiting;
  waiting.swap(h.deferred);
  for (const QueuedEvent& ev : waiting) queue.push(now.ns, ev.type, ev.node, ev.data, ev.aux);
}

void World::Impl::fault_end(size_t index) {
  const PlannedFault& f = plan.faults[index];
  const auto fault_id = static_cast<int64_t>(index);
  const NodeIndex node = fault_node[index];
  if (f.type == FaultType::crash) {
    Host& h = hosts[node];
    if (h.up) return;
    emit(node, Kind::fault_restart, {{Key::fault, fault_id}}, fault_text[index]);
    return boot(h);
  }
  if (f.type == FaultType::pause) {
    Host& h = hosts[node];
    if (!h.up || h.paused == 0) return;  // crashed meanwhile: the pause died with it
    emit(node, Kind::fault_resume, {{Key::fault, fault_id}}, fault_text[index]);
    if (--h.paused == 0) resume(h);
    return;
  }
  if (!heals(f.type)) return;
  const bool on_node = f.type != FaultType::partition && f.type != FaultType::partial_partition &&
                       f.type != FaultType::cut && f.type != FaultType::link;
  emit(on_node ? node : kNoNode, Kind::fault_heal, {{Key::fault, fault_id}}, fault_text[index]);
  switch (f.type) {
    case FaultType::link:
      return network.restore(index);
    case FaultType::disk_slow:
      return hosts[node].storage.set_slowdown(1);
    case FaultType::clock_rate:
      hosts[node].change_clock().set_rate(now, hosts[node].rate_before_ppb);
      return reset_timers(hosts[node]);
    case FaultType::disk_stall:
      return;
    default:
      return change_links(index, -1);
  }
}

}  // namespace lockstep::sim
