// The fault schedule applied for real: a pause is SIGSTOP / SIGCONT, a crash SIGKILL and a restart
// a new process on the node's journal; links and clocks change in the nodes (their receiving
// transport and their clock transform) by command. The logic follows the simulator's
// (sim/core/world_faults.cpp) so both traces tell the same story with the same kinds.
#include <signal.h>

#include <algorithm>

#include "tools/live/coordinator_impl.hpp"

namespace lockstep::live {
namespace {

bool acts_on_a_node(sim::FaultType t) {
  switch (t) {
    case sim::FaultType::crash:
    case sim::FaultType::pause:
    case sim::FaultType::isolate:
    case sim::FaultType::clock_step:
    case sim::FaultType::clock_rate:
      return true;
    default:
      return false;
  }
}

bool heals(sim::FaultType t) {
  switch (t) {
    case sim::FaultType::isolate:
    case sim::FaultType::partition:
    case sim::FaultType::partial_partition:
    case sim::FaultType::cut:
    case sim::FaultType::link:
    case sim::FaultType::clock_rate:
      return true;
    default:
      return false;
  }
}

}  // namespace

void Coordinator::at(sim::Instant t, std::function<void()> action) {
  auto timer = std::make_unique<asio::steady_timer>(io_);
  timer->expires_at(real_at(t));
  timer->async_wait([this, action = std::move(action)](boost::system::error_code ec) {
    if (!ec && !finished_) action();
  });
  fault_timers_.push_back(std::move(timer));
}

void Coordinator::schedule_faults() {
  for (size_t i = 0; i < plan_.faults.size(); ++i) {
    if (plan_.faults[i].trigger) {
      triggers_.push_back({i});  // fires relative to the streamed event it waits for
    } else {
      at(plan_.faults[i].at, [this, i] { fault_start(i, plan_.faults[i].at); });
    }
  }
}

void Coordinator::track_roles(sim::NodeIndex node, sim::Kind kind) {
  for (size_t c = 0; c < config_.claims.size(); ++c) {
    const sim::RoleClaim& claim = config_.claims[c];
    const bool starts =
        std::find(claim.start.begin(), claim.start.end(), kind) != claim.start.end();
    const bool ends = std::find(claim.end.begin(), claim.end.end(), kind) != claim.end.end();
    if (!starts && !ends) continue;
    std::erase(claimants_[c], node);
    if (starts) claimants_[c].push_back(node);
  }
}

// As the simulator's: the nth matching event fires its fault `after` later. Here the events are
// seen as they stream in, a little after they happened.
void Coordinator::check_triggers(const sim::Event& e) {
  for (auto it = triggers_.begin(); it != triggers_.end();) {
    const sim::Trigger& t = *plan_.faults[it->fault].trigger;
    bool match = e.kind == t.kind;
    if (match && !t.node.role.empty()) match = e.node != sim::kNoNode && e.node == resolve(t.node);
    if (match && t.node.role.empty() && t.node.node != sim::kNoNode) match = e.node == t.node.node;
    for (const sim::Field& w : t.where) match = match && e.get(w.key) == w.value;
    if (!match || ++it->seen < t.nth) {
      ++it;
      continue;
    }
    const size_t fault = it->fault;
    const sim::Instant when = std::max(now_true(), e.at + t.after);
    at(when, [this, fault, when] { fault_start(fault, when); });
    it = triggers_.erase(it);
  }
}

sim::NodeIndex Coordinator::resolve(const sim::Target& t) const {
  if (t.role.empty()) return t.node;
  const auto claim = std::find_if(config_.claims.begin(), config_.claims.end(),
                                  [&](const sim::RoleClaim& c) { return c.role == t.role; });
  assert(claim != config_.claims.end());
  const auto& nodes = claimants_[static_cast<size_t>(claim - config_.claims.begin())];
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    if (children_[*it]->up) return *it;
  }
  return sim::kNoNode;
}

sim::NodeIndex Coordinator::fault_node_now(size_t index) {
  const sim::PlannedFault& f = plan_.faults[index];
  const sim::NodeIndex node = resolve(f.target);
  if (!f.target.role.empty() && node != sim::kNoNode) {
    fault_text_[index] += " (" + config_.nodes[node].id + ")";
  }
  if (node == sim::kNoNode || !children_[node]->up) {
    fault_text_[index] +=
        node == sim::kNoNode ? ": no " + f.target.role + " now" : ": already down";
    emit(node, sim::Kind::fault_skipped, {{sim::Key::fault, static_cast<int64_t>(index)}},
         fault_text_[index]);
    return sim::kNoNode;
  }
  return node;
}

void Coordinator::change_links(size_t index, int delta) {
  std::vector<std::pair<sim::NodeIndex, sim::NodeIndex>> flipped;
  links_.block(fault_links_[index], delta, &flipped);
  std::string line = "block " + std::to_string(delta);
  for (const auto& [from, to] : fault_links_[index]) {
    line += " " + std::to_string(from) + " " + std::to_string(to);
  }
  net_log_.push_back(line);
  broadcast(line);
  const sim::Kind kind = delta > 0 ? sim::Kind::net_link_down : sim::Kind::net_link_up;
  for (const auto& [from, to] : flipped) {
    emit(sim::kNoNode, kind,
         {{sim::Key::from, from},
          {sim::Key::to, to},
          {sim::Key::fault, static_cast<int64_t>(index)}});
  }
}

void Coordinator::crash(sim::NodeIndex node, size_t index) {
  Child& c = *children_[node];
  kill_child(c);  // SIGKILL: volatile state is gone, the journal stays
  for (auto& nodes : claimants_) std::erase(nodes, node);
  emit(node, sim::Kind::fault_crash, {{sim::Key::fault, static_cast<int64_t>(index)}},
       fault_text_[index]);
}

void Coordinator::restart(sim::NodeIndex node, size_t index) {
  Child& c = *children_[node];
  if (c.up) return;
  emit(node, sim::Kind::fault_restart, {{sim::Key::fault, static_cast<int64_t>(index)}},
       fault_text_[index]);
  ++c.incarnation;
  ++restarts_;
  spawn(c);  // binds its old port again, replays its journal, then hears `go` (on_hello)
}

void Coordinator::start_node_fault(size_t index, sim::NodeIndex node) {
  const sim::PlannedFault& f = plan_.faults[index];
  const auto id = static_cast<int64_t>(index);
  Child& c = *children_[node];
  const std::string& text = fault_text_[index];
  switch (f.type) {
    case sim::FaultType::crash:
      return crash(node, index);
    case sim::FaultType::pause:
      if (c.paused++ == 0) ::kill(c.pid, SIGSTOP);
      return emit(node, sim::Kind::fault_pause, {{sim::Key::fault, id}}, text);
    case sim::FaultType::clock_step:
      c.clock.steps_ns += f.by.ns;
      send_clock(c);
      return emit(node, sim::Kind::fault_clock_step,
                  {{sim::Key::fault, id}, {sim::Key::by_ns, f.by.ns}}, text);
    case sim::FaultType::clock_rate:
      c.rate_before_ppb = c.clock.drift_ppb;
      c.clock.set_rate(now_true(), f.to_ppb);
      send_clock(c);
      return emit(node, sim::Kind::fault_clock_rate,
                  {{sim::Key::fault, id}, {sim::Key::ppm, f.to_ppb / 1000}}, text);
    case sim::FaultType::isolate:
      for (sim::NodeIndex other = 0; other < children_.size(); ++other) {
        if (other == node) continue;
        fault_links_[index].push_back({node, other});
        fault_links_[index].push_back({other, node});
      }
      emit(node, sim::Kind::fault_isolate, {{sim::Key::fault, id}}, text);
      return change_links(index, +1);
    default:
      assert(false && "not a fault on a node");
  }
}

void Coordinator::start_link_fault(size_t index) {
  const sim::PlannedFault& f = plan_.faults[index];
  const auto id = static_cast<int64_t>(index);
  auto& links = fault_links_[index];
  switch (f.type) {
    case sim::FaultType::partition:
    case sim::FaultType::partial_partition:
      for (size_t a = 0; a < f.groups.size(); ++a) {
        for (size_t b = 0; b < f.groups.size(); ++b) {
          if (a == b) continue;
          for (sim::NodeIndex x : f.groups[a]) {
            for (sim::NodeIndex y : f.groups[b]) links.push_back({x, y});
          }
        }
      }
      emit(sim::kNoNode, sim::Kind::fault_partition, {{sim::Key::fault, id}}, fault_text_[index]);
      return change_links(index, +1);
    case sim::FaultType::cut:
      links = f.links;
      emit(sim::kNoNode, sim::Kind::fault_cut, {{sim::Key::fault, id}}, fault_text_[index]);
      return change_links(index, +1);
    case sim::FaultType::link:
      if (f.links.empty()) return;
      net_log_.push_back("degrade " + std::to_string(index));
      broadcast(net_log_.back());
      return emit(sim::kNoNode, sim::Kind::fault_link, {{sim::Key::fault, id}}, fault_text_[index]);
    default:
      assert(false && "refused before the run (live_refusals)");
  }
}

// `planned`: when the fault was due. Its timer fires a little later on a real machine; its end
// is due `length` after the planned start, so the lateness does not add up.
void Coordinator::fault_start(size_t index, sim::Instant planned) {
  const sim::PlannedFault& f = plan_.faults[index];
  fault_text_[index] = f.description;
  sim::NodeIndex node = sim::kNoNode;
  if (acts_on_a_node(f.type)) {
    node = fault_node_now(index);
    if (node == sim::kNoNode) return;
    fault_node_[index] = node;
    start_node_fault(index, node);
  } else {
    start_link_fault(index);
  }
  if (f.length && f.type != sim::FaultType::clock_step) {
    at(planned + *f.length, [this, index] { fault_end(index); });
  }
}

void Coordinator::fault_end(size_t index) {
  const sim::PlannedFault& f = plan_.faults[index];
  const auto id = static_cast<int64_t>(index);
  const sim::NodeIndex node = fault_node_[index];
  if (f.type == sim::FaultType::crash) return restart(node, index);
  if (f.type == sim::FaultType::pause) {
    Child& c = *children_[node];
    if (!c.up || c.paused == 0) return;  // crashed meanwhile: the pause died with it
    emit(node, sim::Kind::fault_resume, {{sim::Key::fault, id}}, fault_text_[index]);
    if (--c.paused == 0) ::kill(c.pid, SIGCONT);
    return;
  }
  if (!heals(f.type)) return;
  const bool on_node = f.type == sim::FaultType::isolate || f.type == sim::FaultType::clock_rate;
  emit(on_node ? node : sim::kNoNode, sim::Kind::fault_heal, {{sim::Key::fault, id}},
       fault_text_[index]);
  switch (f.type) {
    case sim::FaultType::link:
      net_log_.push_back("restore " + std::to_string(index));
      return broadcast(net_log_.back());
    case sim::FaultType::clock_rate: {
      Child& c = *children_[node];
      c.clock.set_rate(now_true(), c.rate_before_ppb);
      return send_clock(c);
    }
    default:
      return change_links(index, -1);
  }
}

}  // namespace lockstep::live
