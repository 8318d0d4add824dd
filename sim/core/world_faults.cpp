// Faults as the world applies them: resolving a role target when the fault fires, crashes,
// pauses, clock steps and link faults, and undoing each when its time is up.
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
    payloads.release(pool[ev.data].message.payload);
    free_slots.push_back(static_cast<uint32_t>(ev.data));
  }
  h.deferred.clear();
  h.process.reset();  // volatile state is gone; durable storage stays with the host
  ++h.incarnation;
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

void World::Impl::fault_start(size_t index) {
  const PlannedFault& f = plan.faults[index];
  const auto fault_id = static_cast<int64_t>(index);
  fault_text[index] = f.description;
  NodeIndex node = kNoNode;
  if (f.type == FaultType::crash || f.type == FaultType::pause || f.type == FaultType::isolate ||
      f.type == FaultType::clock_step) {
    node = resolve(f.target);
    if (!f.target.role.empty() && node != kNoNode) {
      fault_text[index] += " (" + config.nodes[node].id + ")";
    }
    if (node == kNoNode || !hosts[node].up) {
      fault_text[index] += node == kNoNode ? ": no " + f.target.role + " now" : ": already down";
      emit(node, Kind::fault_skipped, {{Key::fault, fault_id}}, fault_text[index]);
      return;
    }
  }
  fault_node[index] = node;
  std::vector<std::pair<NodeIndex, NodeIndex>>& links = fault_links[index];
  switch (f.type) {
    case FaultType::crash:
      crash(node, index);
      break;
    case FaultType::pause:
      ++hosts[node].paused;
      emit(node, Kind::fault_pause, {{Key::fault, fault_id}}, fault_text[index]);
      break;
    case FaultType::clock_step:
      hosts[node].clock.steps_ns += f.by.ns;
      emit(node, Kind::fault_clock_step, {{Key::fault, fault_id}, {Key::by_ns, f.by.ns}},
           fault_text[index]);
      break;
    case FaultType::isolate:
      for (NodeIndex other = 0; other < hosts.size(); ++other) {
        if (other == node) continue;
        links.push_back({node, other});
        links.push_back({other, node});
      }
      emit(node, Kind::fault_isolate, {{Key::fault, fault_id}}, fault_text[index]);
      change_links(index, +1);
      break;
    case FaultType::partition:
      for (size_t a = 0; a < f.groups.size(); ++a) {
        for (size_t b = 0; b < f.groups.size(); ++b) {
          if (a == b) continue;
          for (NodeIndex x : f.groups[a]) {
            for (NodeIndex y : f.groups[b]) links.push_back({x, y});
          }
        }
      }
      emit(kNoNode, Kind::fault_partition, {{Key::fault, fault_id}}, fault_text[index]);
      change_links(index, +1);
      break;
    case FaultType::cut:
      links = f.links;
      emit(kNoNode, Kind::fault_cut, {{Key::fault, fault_id}}, fault_text[index]);
      change_links(index, +1);
      break;
  }
  if (f.length && f.type != FaultType::clock_step) {
    queue.push((now + *f.length).ns, EventType::fault_end, node, index);
  }
}

void World::Impl::fault_end(size_t index) {
  const PlannedFault& f = plan.faults[index];
  const auto fault_id = static_cast<int64_t>(index);
  const NodeIndex node = fault_node[index];
  switch (f.type) {
    case FaultType::crash: {
      Host& h = hosts[node];
      if (h.up) return;
      emit(node, Kind::fault_restart, {{Key::fault, fault_id}}, fault_text[index]);
      boot(h);
      break;
    }
    case FaultType::pause: {
      Host& h = hosts[node];
      if (!h.up || h.paused == 0) return;  // crashed meanwhile: the pause died with it
      emit(node, Kind::fault_resume, {{Key::fault, fault_id}}, fault_text[index]);
      if (--h.paused > 0) return;
      // What waited runs now, in the order it was due.
      std::vector<QueuedEvent> waiting;
      waiting.swap(h.deferred);
      for (const QueuedEvent& ev : waiting) queue.push(now.ns, ev.type, ev.node, ev.data, ev.aux);
      break;
    }
    case FaultType::isolate:
    case FaultType::partition:
    case FaultType::cut:
      emit(f.type == FaultType::isolate ? node : kNoNode, Kind::fault_heal,
           {{Key::fault, fault_id}}, fault_text[index]);
      change_links(index, -1);
      break;
    case FaultType::clock_step:
      break;
  }
}

}  // namespace lockstep::sim
