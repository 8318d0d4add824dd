#include "tools/render/perfetto.hpp"
#include "sim/io/jsonl.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace lockstep::tools {
namespace {

using checkers::K;
using namespace std::string_view_literals;

using sim::Event;
using sim::Key;
using sim::Kind;

// A JSON string literal, escaped as the JSONL trace escapes it.
std::string json_string(std::string_view s) {
  std::string out;
  sim::append_json_string(out, s);
  return out;
}

// Microseconds with the nanoseconds as three decimals: exact, and what the format expects.
void append_micros(std::string& out, int64_t ns) {
  assert(ns >= 0);
  sim::append_decimal(out, ns / 1000);
  const auto frac = static_cast<int>(ns % 1000);
  const char digits[4] = {'.', static_cast<char>('0' + frac / 100),
                          static_cast<char>('0' + frac / 10 % 10),
                          static_cast<char>('0' + frac % 10)};
  out.append(digits, sizeof digits);
}

std::string micros(int64_t ns) {
  std::string out;
  append_micros(out, ns);
  return out;
}

// An object's head up to its name's value: {"ph":..,"pid":..,"tid":..,"ts":..,"name":
void append_head(std::string& out, std::string_view ph, int pid, int tid, int64_t ts_ns) {
  out += "{\"ph\":\""sv;
  out += ph;
  out += "\",\"pid\":"sv;
  sim::append_decimal(out, pid);
  out += ",\"tid\":"sv;
  sim::append_decimal(out, tid);
  out += ",\"ts\":"sv;
  append_micros(out, ts_ns);
  out += ",\"name\":"sv;
}

std::string head(std::string_view ph, int pid, int tid, int64_t ts_ns, std::string_view name) {
  std::string out;
  append_head(out, ph, pid, tid, ts_ns);
  sim::append_json_string(out, name);
  return out;
}

std::string metadata(std::string_view name, int pid, int tid, const std::string& args) {
  return "{\"ph\":\"M\",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid) +
         ",\"name\":\"" + std::string(name) + "\",\"args\":" + args + "}";
}

std::string with_token(std::string_view what, std::optional<int64_t> v, std::string_view label) {
  std::string out(what);
  if (v.has_value()) out += " (" + std::string(label) + " " + std::to_string(*v) + ")";
  return out;
}

}  // namespace

PerfettoSink::PerfettoSink(std::string path, PerfettoLimits limits)
    : file_(std::move(path)), limits_(limits) {}

int PerfettoSink::pid(sim::NodeIndex node) const {
  // Nodes are processes 1..N; the world (events of no node) is N+1.
  return node == sim::kNoNode ? static_cast<int>(info_.node_ids.size()) + 1
                              : static_cast<int>(node) + 1;
}

// Objects are gathered into blocks of about this many bytes before they are written.
constexpr size_t kBlock = size_t{1} << 20;

void PerfettoSink::emit(std::string_view json_object) {
  pending_ += first_ ? "\n"sv : ",\n"sv;
  first_ = false;
  pending_ += json_object;
  if (pending_.size() >= kBlock) {
    file_.write(pending_);
    pending_.clear();
  }
}

void PerfettoSink::begin(const sim::TraceInfo& info) {
  info_ = info;
  w_.resolve(*info.vocabulary);
  nodes_.assign(info.node_ids.size(), NodeState{});
  drawn_dense_.clear();
  drawn_other_.clear();
  resolve_lease_words();
  pending_ = "{\"traceEvents\":[";
  quoted_nodes_.clear();
  for (const std::string& id : info.node_ids) quoted_nodes_.push_back(json_string(id));
  quoted_messages_.clear();
  net_names_.clear();
  for (const std::string& m : info.messages) {
    quoted_messages_.push_back(json_string(m));
    net_names_.push_back(NetNames{json_string("send " + m), json_string("deliver " + m),
                                  json_string("drop " + m), json_string(m)});
  }
  net_names_.push_back(NetNames{json_string("send message"), json_string("deliver message"),
                                json_string("drop message"), json_string("message")});
  static constexpr std::pair<int, const char*> kTracks[] = {
      {kLock, "lock held"},  {kLeader, "leader"}, {kState, "paused / crashed"},
      {kLinks, "links cut"}, {kEvents, "events"}, {kNet, "network"}};
  for (sim::NodeIndex i = 0; i < info.node_ids.size(); ++i) {
    const std::string role = i < info.node_roles.size() ? info.node_roles[i] : "";
    const std::string name = info.node_ids[i] + (role.empty() ? "" : " (" + role + ")");
    emit(metadata("process_name", pid(i), 0, "{\"name\":" + json_string(name) + "}"));
    emit(metadata("process_sort_index", pid(i), 0, "{\"sort_index\":" + std::to_string(i) + "}"));
    for (const auto& [tid, track] : kTracks) name_thread(pid(i), tid, track);
  }
  const int world = pid(sim::kNoNode);
  emit(metadata("process_name", world, 0, "{\"name\":\"world (partitions, cuts)\"}"));
  emit(metadata("process_sort_index", world, 0,
                "{\"sort_index\":" + std::to_string(info.node_ids.size()) + "}"));
  emit(metadata("thread_name", world, kEvents, "{\"name\":\"faults\"}"));
  emit(metadata("thread_name", world, kNet, "{\"name\":\"messages in flight at the end\"}"));
}

// A track's name and its place among its process's tracks (its tid).
void PerfettoSink::name_thread(int p, int tid, std::string_view name) {
  emit(metadata("thread_name", p, tid, "{\"name\":" + json_string(name) + "}"));
  emit(metadata("thread_sort_index", p, tid, "{\"sort_index\":" + std::to_string(tid) + "}"));
}

// The event's fields (node ids by name) and text, as an args object.
void PerfettoSink::append_args(std::string& out, const Event& e) const {
  out += '{';
  bool first = true;
  const auto key = [&](std::string_view k) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += k;
    out += "\":"sv;
  };
  const auto named = [&](int64_t v, const std::vector<std::string>& quoted) {
    if (v >= 0 && static_cast<size_t>(v) < quoted.size()) {
      out += quoted[static_cast<size_t>(v)];
    } else {
      sim::append_decimal(out, v);
    }
  };
  for (uint8_t i = 0; i < e.field_count; ++i) {
    const sim::Field& f = e.fields[i];
    key(info_.key_name(f.key));
    switch (info_.key_type(f.key)) {
      case sim::FieldType::node:
        named(f.value, quoted_nodes_);
        break;
      case sim::FieldType::message_type:
        named(f.value, quoted_messages_);
        break;
      case sim::FieldType::boolean:
        out += f.value != 0 ? "true"sv : "false"sv;
        break;
      case sim::FieldType::integer:
      case sim::FieldType::duration_ns:
        sim::append_decimal(out, f.value);
        break;
    }
  }
  if (!e.text.empty()) {
    key("text");
    sim::append_json_string(out, e.text);
  }
  if (e.node != sim::kNoNode) {
    key("mono_ns");
    sim::append_decimal(out, e.mono.ns);
    key("wall_ns");
    sim::append_decimal(out, e.wall.ns);
  }
  out += '}';
}

std::string PerfettoSink::args_of(const Event& e) const {
  std::string out;
  append_args(out, e);
  return out;
}

void PerfettoSink::complete(int p, int tid, const Open& open, int64_t t1) {
  assert(t1 >= open.t0);
  emit(head("X", p, tid, open.t0, open.name) + ",\"dur\":" + micros(t1 - open.t0) +
       ",\"args\":" + open.args + "}");
}

void PerfettoSink::instant(const Event& e) {
  if (++instants_ > limits_.max_instants) {
    ++instants_hidden_;
    return;
  }
  // Events of no node (partitions, cuts, heals) concern every node: global scope.
  const bool world = e.node == sim::kNoNode;
  emit(head("i", pid(e.node), kEvents, e.at.ns, info_.kind_name(e.kind)) + ",\"s\":\"" +
       (world ? "g" : "t") + "\",\"args\":" + args_of(e) + "}");
}

// Holdings run from lock.acquired to the released/expired/lost naming their token.
void PerfettoSink::on_lock(const Event& e) {
  NodeState& s = nodes_[e.node];
  const std::optional<int64_t> token = e.get(w_.token);
  const int64_t t = e.at.ns;
  if (w_(e.kind) == K::lock_acquired) {
    if (s.lock.has_value() && s.lock_token == token) return;
    if (s.lock.has_value()) complete(pid(e.node), kLock, *s.lock, t);
    s.lock = Open{t, with_token("lock held", token, "token"), args_of(e)};
    s.lock_token = token;
    return;
  }
  const bool ends = !token.has_value() || !s.lock_token.has_value() || *token == *s.lock_token;
  if (!s.lock.has_value() || !ends) return;
  complete(pid(e.node), kLock, *s.lock, t);
  s.lock.reset();
}

void PerfettoSink::close_all(sim::NodeIndex node, int64_t t) {
  NodeState& s = nodes_[node];
  const int p = pid(node);
  if (s.lock.has_value()) complete(p, kLock, *s.lock, t);
  if (s.leader.has_value()) complete(p, kLeader, *s.leader, t);
  if (s.pause.has_value()) complete(p, kState, *s.pause, t);
  s.lock.reset();
  s.leader.reset();
  s.pause.reset();
  s.pauses = 0;
}

void PerfettoSink::on_fault(const Event& e) {
  instant(e);
  if (e.node == sim::kNoNode || e.node >= nodes_.size()) return;
  NodeState& s = nodes_[e.node];
  const int64_t t = e.at.ns;
  switch (w_(e.kind)) {
    case K::fault_crash:
      close_all(e.node, t);
      close_leases_of(e.node, t, "crash", false);
      s.down = Open{t, "crashed", args_of(e)};
      return;
    case K::fault_restart:
      if (s.down.has_value()) complete(pid(e.node), kState, *s.down, t);
      s.down.reset();
      return;
    case K::fault_pause:
      if (s.pauses++ == 0) s.pause = Open{t, "paused", args_of(e)};
      return;
    case K::fault_resume:
      if (s.pauses > 0 && --s.pauses == 0 && s.pause.has_value()) {
        complete(pid(e.node), kState, *s.pause, t);
        s.pause.reset();
      }
      return;
    default:
      return;
  }
}

void PerfettoSink::on_link(const Event& e, int delta) {
  instant(e);
  for (const Key key : {Key::from, Key::to}) {
    const std::optional<int64_t> n = e.get(key);
    if (!n.has_value() || *n < 0 || static_cast<size_t>(*n) >= nodes_.size()) continue;
    const auto node = static_cast<sim::NodeIndex>(*n);
    NodeState& s = nodes_[node];
    const int before = s.links_down;
    s.links_down = std::max(0, s.links_down + delta);
    if (before == 0 && s.links_down > 0) s.cut = Open{e.at.ns, "links cut", "{}"};
    if (before > 0 && s.links_down == 0 && s.cut.has_value()) {
      complete(pid(node), kLinks, *s.cut, e.at.ns);
      s.cut.reset();
    }
  }
}

// A message is a flow from a slice on the sender's network track to one on the receiver's (or on
// the node where it was dropped).
void PerfettoSink::on_net(const Event& e) {
  if (w_(e.kind) == K::net_link_down || w_(e.kind) == K::net_link_up) {
    on_link(e, w_(e.kind) == K::net_link_down ? +1 : -1);
    return;
  }
  if (e.node == sim::kNoNode) return;
  const int64_t id = e.get_or(Key::msg_id, -1);
  const int64_t type = e.get_or(Key::msg, -1);
  const NetNames& names = type >= 0 && static_cast<size_t>(type) < info_.messages.size()
                              ? net_names_[static_cast<size_t>(type)]
                              : net_names_.back();
  const int p = pid(e.node);
  std::string& out = scratch_;  // reused: a message's four objects allocate nothing
  const auto slice = [&](const std::string& name) {
    out.clear();
    append_head(out, "X", p, kNet, e.at.ns);
    out += name;
    out += ",\"dur\":0.001,\"args\":"sv;
    append_args(out, e);
    out += '}';
    emit(out);
  };
  const auto flow = [&](std::string_view ph, std::string_view fields) {
    out.clear();
    append_head(out, ph, p, kNet, e.at.ns);
    out += names.plain;
    out += fields;
    sim::append_decimal(out, id);
    out += '}';
    emit(out);
  };
  if (w_(e.kind) == K::net_send) {
    if (++messages_ > limits_.max_messages || flows_.count(id) != 0) {
      ++messages_hidden_;
      return;
    }
    slice(names.send);
    flow("s", ",\"cat\":\"message\",\"id\":");
    flows_.insert(id);
    mark_drawn(id);
    return;
  }
  // A message not drawn is not drawn at all: no delivery or drop slice without its send.
  if (!drawn(id)) return;
  // Deliveries and drops end the flow; a duplicate's second delivery is only a slice.
  slice(w_(e.kind) == K::net_drop ? names.drop : names.deliver);
  if (flows_.erase(id) == 0) return;
  flow("f", ",\"cat\":\"message\",\"bp\":\"e\",\"id\":");
}

// Drawn messages by id: ids below 2^26, as a run numbers them, in a bitmap; any other in a set.
constexpr int64_t kDenseIds = int64_t{1} << 26;

void PerfettoSink::mark_drawn(int64_t id) {
  if (id < 0 || id >= kDenseIds) {
    drawn_other_.insert(id);
    return;
  }
  const auto i = static_cast<size_t>(id);
  if (i >= drawn_dense_.size()) drawn_dense_.resize(std::max(2 * drawn_dense_.size(), i + 1024));
  drawn_dense_[i] = true;
}

bool PerfettoSink::drawn(int64_t id) const {
  if (id < 0 || id >= kDenseIds) return drawn_other_.contains(id);
  const auto i = static_cast<size_t>(id);
  return i < drawn_dense_.size() && drawn_dense_[i];
}

void PerfettoSink::on_event(const Event& e) {
  const std::string_view name = info_.kind_name(e.kind);
  if (name.starts_with("net.")) {
    on_net(e);
    return;
  }
  if (name.starts_with("fault.")) {
    on_fault(e);
    return;
  }
  if (w_(e.kind) == K::timer_fire || e.node == sim::kNoNode || e.node >= nodes_.size()) return;
  instant(e);
  on_lease(e);
  NodeState& s = nodes_[e.node];
  switch (w_(e.kind)) {
    case K::lock_acquired:
    case K::lock_released:
    case K::lock_expired:
    case K::lock_lost:
      on_lock(e);
      return;
    case K::leader_elected: {
      const std::optional<int64_t> term = e.get(w_.term);
      if (s.leader.has_value() && s.leader_term == term) return;
      if (s.leader.has_value()) complete(pid(e.node), kLeader, *s.leader, e.at.ns);
      s.leader = Open{e.at.ns, with_token("leader", term, "term"), args_of(e)};
      s.leader_term = term;
      return;
    }
    case K::leader_stepped_down:
      if (s.leader.has_value()) complete(pid(e.node), kLeader, *s.leader, e.at.ns);
      s.leader.reset();
      // A consensus_lock server that no longer leads no longer speaks for its grants.
      close_leases_of(e.node, e.at.ns, "stepped down", true);
      return;
    default:
      return;
  }
}

void PerfettoSink::end(sim::Instant end) {
  end_ns_ = end.ns;
  for (sim::NodeIndex i = 0; i < nodes_.size(); ++i) {
    NodeState& s = nodes_[i];
    close_all(i, end.ns);
    if (s.down.has_value()) complete(pid(i), kState, *s.down, end.ns);
    if (s.cut.has_value()) complete(pid(i), kLinks, *s.cut, end.ns);
    s.down.reset();
    s.cut.reset();
    close_leases_of(i, end.ns, "run end", false);
  }
  assert(leases_.empty());
  // Messages still in flight end at the run's end, on the world's track, so every flow closes.
  for (const int64_t id : flows_) {
    const int world = pid(sim::kNoNode);
    emit(head("X", world, kNet, end.ns, "in flight at the end") + ",\"dur\":0}");
    emit(head("f", world, kNet, end.ns, "in flight") +
         ",\"cat\":\"message\",\"bp\":\"e\",\"id\":" + std::to_string(id) + "}");
  }
  flows_.clear();
}

// One evidence event as data, with its one-line description for a person reading the args.
std::string PerfettoSink::evidence_json(const checkers::Evidence& ev) const {
  const sim::Event e = ev.event();
  return "{\"ts\":" + micros(ev.at.ns) + ",\"node\":" + json_string(info_.node_name(ev.node)) +
         ",\"kind\":" + json_string(info_.kind_name(ev.kind)) + ",\"fields\":" + args_of(e) +
         ",\"description\":" + json_string(checkers::describe_event(ev, info_)) + "}";
}

// The verdicts process: a track per checker (in the report's order) with an instant where its
// verdict is decided -- a violation's deciding evidence event (global scope: a line across every
// track), the run's end for a verdict that holds -- and, when the result names the stretch of time
// it is about (an overlap, a stall), a slice over it. Written after the run, since a verdict is
// known only then; on its own process, so the streamed tracks stay as they were.
void PerfettoSink::write_verdicts(const std::vector<checkers::CheckResult>& results) {
  if (results.empty()) return;
  const int p = static_cast<int>(info_.node_ids.size()) + 2;
  emit(metadata("process_name", p, 0, "{\"name\":\"verdicts\"}"));
  emit(metadata("process_sort_index", p, 0, "{\"sort_index\":-1}"));
  for (size_t i = 0; i < results.size(); ++i) {
    const checkers::CheckResult& r = results[i];
    const int tid = static_cast<int>(i) + 1;
    const std::string verdict(sim::verdict_name(r.verdict));
    name_thread(p, tid, r.checker);
    const bool violated = r.verdict == sim::Verdict::violated;
    int64_t at = end_ns_;
    if (violated && r.deciding.has_value() && *r.deciding < r.evidence.size()) {
      at = r.evidence[*r.deciding].at.ns;
    } else if (violated && !r.evidence.empty()) {
      at = r.evidence.front().at.ns;
    } else if (violated && r.interval.has_value()) {
      at = r.interval->from.ns;
    }
    const std::string marker = verdict_marker(r, p, tid, at);
    const bool slice = r.interval.has_value();
    assert(!slice || r.interval->to.ns >= r.interval->from.ns);  // tested for every scenario
    // A track's events go in time order: the interval's slice first when it starts no later.
    const bool slice_first = slice && r.interval->from.ns <= at;
    if (!slice_first) emit(marker);
    if (slice) {
      const Open open{r.interval->from.ns, r.checker + " " + verdict + ": interval",
                      "{\"verdict\":" + json_string(verdict) +
                          ",\"from_ns\":" + std::to_string(r.interval->from.ns) +
                          ",\"to_ns\":" + std::to_string(r.interval->to.ns) + "}"};
      complete(p, tid, open, r.interval->to.ns);
    }
    if (slice_first) emit(marker);
  }
}

// "mutual_exclusion VIOLATED" (global scope) or "liveness holds" (its process), with the verdict,
// explanation, evidence and interval as args.
std::string PerfettoSink::verdict_marker(const checkers::CheckResult& r, int p, int tid,
                                         int64_t at) const {
  const bool violated = r.verdict == sim::Verdict::violated;
  const std::string verdict(sim::verdict_name(r.verdict));
  std::string out = head("i", p, tid, at, r.checker + (violated ? " VIOLATED" : " " + verdict)) +
                    ",\"s\":\"" + (violated ? "g" : "p") +
                    "\",\"args\":{\"verdict\":" + json_string(verdict) +
                    ",\"explanation\":" + json_string(r.explanation) + ",\"evidence\":[";
  for (size_t k = 0; k < r.evidence.size(); ++k) {
    out += (k == 0 ? "" : ",") + evidence_json(r.evidence[k]);
  }
  out += "]";
  if (r.interval.has_value()) {
    out += ",\"interval\":{\"from_ns\":" + std::to_string(r.interval->from.ns) +
           ",\"to_ns\":" + std::to_string(r.interval->to.ns) + "}";
  }
  return out + "}}";
}

bool PerfettoSink::commit(const std::vector<checkers::CheckResult>& results) {
  write_verdicts(results);
  nlohmann::json other = {{"scenario", info_.scenario},
                          {"protocol", info_.protocol},
                          {"seed", info_.seed},
                          {"duration_ns", end_ns_},
                          {"messages", messages_},
                          {"messages_not_drawn", messages_hidden_},
                          {"instants_not_drawn", instants_hidden_}};
  pending_ += "\n],\"displayTimeUnit\":\"ms\",\"otherData\":" + other.dump() + "}\n";
  file_.write(pending_);
  pending_.clear();
  return file_.commit();
}

}  // namespace lockstep::tools
