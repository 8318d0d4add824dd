#include "tools/render/timeline.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "sim/io/atomic_file.hpp"
#include "tools/render/timeline_event.hpp"
#include "tools/trace/trace_reader.hpp"

namespace lockstep::tools {

// The page's stylesheet and script: tools/render/timeline.{css,js}, embedded at build time
// (tools/render/embed.py).
extern const char* const kTimelineCss;
extern const char* const kTimelineJs;

namespace {

using checkers::K;

using sim::Event;
using sim::Key;
using sim::Kind;

std::string event_title(const Event& e, const sim::TraceInfo& info) {
  return timeline_event_title(e, info);
}

// What sampling hashes for an event that is not a message: its time and node.
uint64_t key_of(const Event& e) {
  return static_cast<uint64_t>(e.at.ns) * 31 + static_cast<uint64_t>(e.node);
}

// The kinds drawn as bars, spans or lines of their own, or too frequent to mark one by one.
bool is_background(K k) {
  switch (k) {
    case K::timer_fire:
    case K::node_start:
    case K::lock_denied:
    case K::vote_granted:
    case K::term_changed:
    case K::leader_confirmed:
      return true;
    default:
      return false;
  }
}

}  // namespace

// ---- Collecting ---------------------------------------------------------------------------------

void TimelineSink::begin(const sim::TraceInfo& info) {
  assert(limits_.columns > 0);
  info_ = info;
  w_.resolve(*info.vocabulary);
  end_ns_ = info.duration_ns;
  nodes_.assign(info.node_ids.size(), NodeState{});
  const auto columns = static_cast<size_t>(limits_.columns);
  msg_cols_ = Sampler{std::vector<uint32_t>(columns), limits_.messages_per_column};
  drop_cols_ = Sampler{std::vector<uint32_t>(columns), limits_.drops_per_column};
  write_cols_ = Sampler{std::vector<uint32_t>(columns), limits_.writes_per_column};
  mark_cols_ = Sampler{std::vector<uint32_t>(columns), limits_.marks_per_column};
}

// Sampling by column keeps every stretch of the run represented instead of only its beginning.
int64_t TimelineSink::column_of(int64_t t) const {
  const int64_t span = std::max<int64_t>(info_.duration_ns, 1);
  return std::clamp<int64_t>(
      static_cast<int64_t>(static_cast<double>(t) / static_cast<double>(span) *
                           static_cast<double>(limits_.columns)),
      0, limits_.columns - 1);
}

bool TimelineSink::Sampler::admit(int64_t col, uint64_t key) {
  assert(col >= 0 && static_cast<size_t>(col) < kept.size());
  if (col != column) {
    // The last column's rate predicts this one's; 1 while nothing is known.
    stride = column >= 0 && cap > 0 ? std::max<uint64_t>(1, seen / (2 * uint64_t{cap})) : 1;
    column = col;
    seen = 0;
  }
  ++seen;
  uint32_t& n = kept[static_cast<size_t>(col)];
  if (n >= cap) return false;
  // splitmix64's finalizer: consecutive keys land in unrelated slots.
  uint64_t h = key + 0x9E3779B97F4A7C15ull;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  h ^= h >> 31;
  if (h % stride != 0) return false;
  ++n;
  return true;
}

void TimelineSink::add_bar(Bar bar) {
  if (bars_.size() >= limits_.max_items) {
    ++hidden_items_;
    return;
  }
  bars_.push_back(std::move(bar));
}

void TimelineSink::add_span(Span span) {
  if (spans_.size() >= limits_.max_items) {
    ++hidden_items_;
    return;
  }
  spans_.push_back(std::move(span));
}

void TimelineSink::add_mark(Mark mark, const Event& e) {
  if (marks_.size() >= limits_.max_items) {
    ++hidden_items_;
    return;
  }
  mark.ev = timeline_event_json(e, info_);
  marks_.push_back(std::move(mark));
}

void TimelineSink::close_lock(sim::NodeIndex node, int64_t t, const std::string& why) {
  std::optional<Bar>& open = nodes_[node].lock;
  if (!open.has_value()) return;
  open->t1 = t;
  open->end = why;
  add_bar(std::move(*open));
  open.reset();
}

void TimelineSink::close_leader(sim::NodeIndex node, int64_t t, const std::string& why) {
  std::optional<Bar>& open = nodes_[node].leader;
  if (!open.has_value()) return;
  open->t1 = t;
  open->end = why;
  add_bar(std::move(*open));
  open.reset();
}

// A holding runs from lock.acquired to the released/expired/lost that names its token (a late
// timer for an older lease does not end a newer one), as the checkers read it.
void TimelineSink::on_lock(const Event& e, NodeState& s) {
  const int64_t t = e.at.ns;
  const std::optional<int64_t> token = e.get(w_.token);
  switch (w_(e.kind)) {
    case K::lock_requested:
      if (!s.wait_t0.has_value()) {
        s.wait_t0 = t;
        s.wait_ev = timeline_event_json(e, info_);
      }
      return;
    case K::lock_acquired:
      if (s.wait_t0.has_value()) {
        add_span({e.node, "wait", *s.wait_t0, t, "waiting for the lock", 1, s.wait_ev});
      }
      s.wait_t0.reset();
      if (s.lock.has_value() && s.lock->value == token) return;  // a renewal by re-acquire
      close_lock(e.node, t, "reacquired");
      s.lock = Bar{e.node, false, t, t, token, "", timeline_event_json(e, info_)};
      return;
    case K::lock_released:
    case K::lock_expired:
    case K::lock_lost: {
      const bool ends = s.lock.has_value() && (!token.has_value() || !s.lock->value.has_value() ||
                                               *token == *s.lock->value);
      if (ends) close_lock(e.node, t, std::string(info_.kind_name(e.kind)).substr(5));
      return;
    }
    case K::lock_renewed:
      if (admit(mark_cols_, t, key_of(e))) {
        add_mark({e.node, "renew", t, "", event_title(e, info_), std::nullopt, token}, e);
      }
      return;
    default:
      return;
  }
}

void TimelineSink::on_fault(const Event& e) {
  const int64_t t = e.at.ns;
  const std::string text(e.text);
  const std::string title = event_title(e, info_);
  if (const std::optional<int64_t> id = e.get(Key::fault); id.has_value()) {
    // Its link.down events name it by id; the cut spans they make name it by its description.
    link_faults_.try_emplace(*id, text.empty() ? std::string(info_.kind_name(e.kind)) : text,
                             timeline_event_json(e, info_));
  }
  if (e.node == sim::kNoNode) {
    // Partitions, cuts and their heals: a line across every lane.
    const std::string kind = std::string(info_.kind_name(e.kind)).substr(6);
    add_mark({sim::kNoNode, kind, t, kind, title, std::nullopt, std::nullopt}, e);
    return;
  }
  if (e.node >= nodes_.size()) return;
  NodeState& s = nodes_[e.node];
  switch (w_(e.kind)) {
    case K::fault_crash:
      close_lock(e.node, t, "crash");
      close_leader(e.node, t, "crash");
      if (s.pauses > 0) add_span({e.node, "pause", s.pause_t0, t, s.pause_text, 1, s.pause_ev});
      s.pauses = 0;
      s.wait_t0.reset();
      s.down_t0 = t;
      s.down_text = text;
      s.down_ev = timeline_event_json(e, info_);
      add_mark({e.node, "crash", t, "crash", title, std::nullopt, std::nullopt}, e);
      return;
    case K::fault_restart:
      if (s.down_t0.has_value()) {
        add_span({e.node, "down", *s.down_t0, t, s.down_text, 1, s.down_ev});
      }
      s.down_t0.reset();
      add_mark({e.node, "restart", t, "restart", title, std::nullopt, std::nullopt}, e);
      return;
    case K::fault_pause:
      if (s.pauses++ == 0) {
        s.pause_t0 = t;
        s.pause_text = text;
        s.pause_ev = timeline_event_json(e, info_);
      }
      return;
    case K::fault_resume:
      if (s.pauses > 0 && --s.pauses == 0) {
        add_span({e.node, "pause", s.pause_t0, t, s.pause_text, 1, s.pause_ev});
      }
      return;
    case K::fault_clock_step: {
      const int64_t by = e.get_or(Key::by_ns, 0);
      const std::string label =
          (by >= 0 ? "+" : "-") + sim::format_duration(sim::Duration{by >= 0 ? by : -by});
      add_mark({e.node, "clock-step", t, "clock " + label, title, std::nullopt, std::nullopt}, e);
      return;
    }
    default:  // isolate, heal of an isolation, skipped
      add_mark({e.node, std::string(info_.kind_name(e.kind)).substr(6), t,
                std::string(info_.kind_name(e.kind)).substr(6), title, std::nullopt, std::nullopt},
               e);
      return;
  }
}

// A node is drawn cut off while any link to or from it is down; the share of its links that were
// down tells an isolated node (all) from one that only lost touch with an isolated peer.
TimelineSink::Span TimelineSink::cut_span(sim::NodeIndex node, const NodeState& s,
                                          int64_t t1) const {
  const int links = 2 * std::max<int>(static_cast<int>(nodes_.size()) - 1, 1);
  const double share = std::min(1.0, static_cast<double>(s.links_down_max) / links);
  Span span{node,
            "cut",
            s.cut_t0,
            t1,
            std::to_string(s.links_down_max) + " of the " + std::to_string(links) +
                " links to and from " + node_name(node) + " down",
            share};
  for (const int64_t id : s.cut_faults) {
    const auto it = link_faults_.find(id);
    if (it == link_faults_.end()) continue;
    if (span.ev.is_null()) span.ev = it->second.second;
    span.faults.push_back(it->second.first);
  }
  return span;
}

void TimelineSink::on_link(const Event& e, int delta) {
  for (const Key key : {Key::from, Key::to}) {
    const std::optional<int64_t> n = e.get(key);
    if (!n.has_value() || *n < 0 || static_cast<size_t>(*n) >= nodes_.size()) continue;
    const auto node = static_cast<sim::NodeIndex>(*n);
    NodeState& s = nodes_[node];
    const int before = s.links_down;
    s.links_down = std::max(0, s.links_down + delta);
    if (before == 0 && s.links_down > 0) {
      s.cut_t0 = e.at.ns;
      s.links_down_max = 0;
      s.cut_faults.clear();
    }
    const std::optional<int64_t> fault = e.get(Key::fault);
    if (delta > 0 && fault.has_value() &&
        std::find(s.cut_faults.begin(), s.cut_faults.end(), *fault) == s.cut_faults.end()) {
      s.cut_faults.push_back(*fault);
    }
    s.links_down_max = std::max(s.links_down_max, s.links_down);
    if (before > 0 && s.links_down == 0) add_span(cut_span(node, s, e.at.ns));
  }
}

void TimelineSink::on_net(const Event& e) {
  const int64_t t = e.at.ns;
  const int64_t id = e.get_or(Key::msg_id, -1);
  const int64_t type = e.get_or(Key::msg, -1);
  switch (w_(e.kind)) {
    case K::net_send: {
      ++sent_;
      const int64_t to = e.get_or(Key::to, -1);
      if (e.node == sim::kNoNode || to < 0 || static_cast<size_t>(to) >= nodes_.size()) return;
      if (!admit(msg_cols_, t, static_cast<uint64_t>(id))) return;
      pending_[id] =
          Pending{e.node, static_cast<sim::NodeIndex>(to), t, type, e.mono.ns, e.wall.ns};
      return;
    }
    case K::net_deliver:
    case K::net_drop: {
      const bool dropped = w_(e.kind) == K::net_drop;
      if (dropped) ++dropped_;
      if (dropped && e.node != sim::kNoNode && admit(drop_cols_, t, key_of(e))) {
        drops_.push_back({e.node, t, type, timeline_event_json(e, info_)});
      }
      const auto it = pending_.find(id);
      if (it == pending_.end()) return;
      const Pending& p = it->second;
      msgs_.push_back(
          {p.from, p.to, p.t0, t, p.type, dropped, id, p.mono0, p.wall0, e.mono.ns, e.wall.ns});
      pending_.erase(it);
      return;
    }
    case K::net_link_down:
      on_link(e, +1);
      return;
    case K::net_link_up:
      on_link(e, -1);
      return;
    default:
      return;
  }
}

// Writes, grants, lease ends, leadership, elections and any kind added later.
void TimelineSink::on_other(const Event& e) {
  const int64_t t = e.at.ns;
  const std::optional<int64_t> token = e.get(w_.token);
  switch (w_(e.kind)) {
    case K::resource_write:
    case K::resource_rejected: {
      ++writes_total_;
      std::string status = "rejected";
      if (w_(e.kind) == K::resource_write) {
        const bool stale =
            token.has_value() && highest_token_.has_value() && *token < *highest_token_;
        if (token.has_value() && (!highest_token_ || *token > *highest_token_))
          highest_token_ = token;
        status = stale ? "stale" : "accepted";
      }
      // Stale and rejected writes are the story; ordinary ones are sampled.
      if (status == "accepted" ? !admit(write_cols_, t, key_of(e))
                               : writes_.size() >= limits_.max_items) {
        return;
      }
      writes_.push_back({e.node, t, e.get_or(w_.writer, -1), token, status, e.get(w_.highest),
                         timeline_event_json(e, info_)});
      return;
    }
    case K::lock_lease_ended: {
      const std::optional<int64_t> holder = e.get(w_.holder);
      const std::string label = "lease " + (holder ? node_name(*holder) : std::string("?")) +
                                (token ? " #" + std::to_string(*token) : "") + " " +
                                (e.text.empty() ? std::string("ended") : std::string(e.text));
      add_mark({e.node, "lease-ended", t, label, event_title(e, info_), holder, token}, e);
      return;
    }
    case K::lock_granted: {
      if (!admit(mark_cols_, t, key_of(e))) return;
      const std::optional<int64_t> holder = e.get(w_.holder);
      add_mark({e.node, "grant", t, "", event_title(e, info_), holder, token}, e);
      return;
    }
    case K::leader_elected: {
      NodeState& s = nodes_[e.node];
      const std::optional<int64_t> term = e.get(w_.term);
      if (s.leader.has_value() && s.leader->value == term) return;
      close_leader(e.node, t, "re-elected");
      s.leader = Bar{e.node, true, t, t, term, "", timeline_event_json(e, info_)};
      return;
    }
    case K::leader_stepped_down:
      close_leader(e.node, t, e.text.empty() ? "stepped down" : std::string(e.text));
      return;
    default:
      if (!admit(mark_cols_, t, key_of(e))) return;
      add_mark({e.node, std::string(info_.kind_name(e.kind)), t, "", event_title(e, info_),
                std::nullopt, token},
               e);
      return;
  }
}

void TimelineSink::on_event(const Event& e) {
  assert(!msg_cols_.kept.empty() && "begin() comes first");
  const std::string_view name = info_.kind_name(e.kind);
  if (name.starts_with("net.")) {
    on_net(e);
    return;
  }
  if (name.starts_with("fault.")) {
    on_fault(e);
    return;
  }
  if (is_background(w_(e.kind))) return;
  if (e.node == sim::kNoNode || e.node >= nodes_.size()) return;
  if (name.starts_with("lock.") && w_(e.kind) != K::lock_granted &&
      w_(e.kind) != K::lock_lease_ended) {
    on_lock(e, nodes_[e.node]);
    return;
  }
  on_other(e);
}

void TimelineSink::end(sim::Instant end) {
  end_ns_ = end.ns;
  for (sim::NodeIndex i = 0; i < nodes_.size(); ++i) {
    NodeState& s = nodes_[i];
    close_lock(i, end.ns, "open");
    close_leader(i, end.ns, "open");
    if (s.pauses > 0) {
      add_span({i, "pause", s.pause_t0, end.ns, s.pause_text + " (still paused)", 1, s.pause_ev});
    }
    if (s.down_t0.has_value()) add_span({i, "down", *s.down_t0, end.ns, s.down_text, 1, s.down_ev});
    if (s.links_down > 0) add_span(cut_span(i, s, end.ns));
    if (s.wait_t0.has_value())
      add_span({i, "wait", *s.wait_t0, end.ns, "still waiting", 1, s.wait_ev});
  }
  pending_.clear();  // in flight at the end: no arrow
}

std::string TimelineSink::node_name(int64_t i) const {
  if (i < 0 || static_cast<size_t>(i) >= info_.node_ids.size()) return "?";
  return info_.node_ids[static_cast<size_t>(i)];
}

// ---- The page -----------------------------------------------------------------------------------

namespace {

// Escapes what would end the data's <script> element early.
std::string script_safe(std::string json) {
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '<') {
      out += "\\u003c";
      continue;
    }
    out.push_back(json[i]);
  }
  return out;
}

nlohmann::json opt(const std::optional<int64_t>& v) {
  return v.has_value() ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json node_json(sim::NodeIndex n) {
  return n == sim::kNoNode ? nlohmann::json(-1) : nlohmann::json(n);
}

// The verdicts with their evidence, as the checkers gave it; violated ones are numbered in order
// and name their deciding event.
nlohmann::json verdicts_data(const std::vector<checkers::CheckResult>& results,
                             const sim::TraceInfo& info) {
  using nlohmann::json;
  json verdicts = json::array();
  int number = 0;
  for (const checkers::CheckResult& r : results) {
    json v = {{"checker", r.checker},
              {"verdict", sim::verdict_name(r.verdict)},
              {"explanation", r.explanation}};
    json evidence = json::array();
    for (const checkers::Evidence& ev : r.evidence) {
      json fields = json::object();
      for (const sim::Field& f : ev.fields) fields[std::string(info.key_name(f.key))] = f.value;
      evidence.push_back({{"t", ev.at.ns},
                          {"node", node_json(ev.node)},
                          {"mono", ev.mono.ns},
                          {"wall", ev.wall.ns},
                          {"kind", std::string(info.kind_name(ev.kind))},
                          {"fields", fields},
                          {"text", checkers::describe_event(ev, info)}});
    }
    v["evidence"] = evidence;
    if (r.verdict == sim::Verdict::violated && !evidence.empty()) {
      v["at"] = r.deciding.value_or(0);
      v["n"] = ++number;
    }
    verdicts.push_back(v);
  }
  return verdicts;
}

}  // namespace

// The drawn items, each an object with named fields (the page's data contract).
void TimelineSink::items_json(nlohmann::json& d) const {
  using nlohmann::json;
  json bars = json::array();
  for (const Bar& b : bars_) {
    bars.push_back({{"node", b.node},
                    {"kind", b.leader ? "leader" : "lock"},
                    {"t0", b.t0},
                    {"t1", b.t1},
                    {"value", opt(b.value)},
                    {"end", b.end},
                    {"ev", b.ev}});
  }
  d["bars"] = bars;
  json spans = json::array();
  for (const Span& s : spans_) {
    spans.push_back({{"node", s.node},
                     {"kind", s.kind},
                     {"t0", s.t0},
                     {"t1", s.t1},
                     {"text", s.text},
                     {"share", std::round(s.share * 100) / 100},
                     {"ev", s.ev}});
    if (!s.faults.empty()) spans.back()["faults"] = s.faults;
  }
  d["spans"] = spans;
  json marks = json::array();
  for (const Mark& m : marks_) {
    marks.push_back({{"node", node_json(m.node)},
                     {"kind", m.kind},
                     {"t", m.t},
                     {"label", m.label},
                     {"title", m.title},
                     {"holder", opt(m.holder)},
                     {"token", opt(m.token)},
                     {"ev", m.ev}});
  }
  d["marks"] = marks;
  json writes = json::array();
  for (const Write& w : writes_) {
    writes.push_back({{"node", w.node},
                      {"t", w.t},
                      {"writer", w.writer},
                      {"token", opt(w.token)},
                      {"highest", opt(w.highest)},
                      {"status", w.status},
                      {"ev", w.ev}});
  }
  d["writes"] = writes;
  json msgs = json::array();
  for (const Msg& m : msgs_) {
    msgs.push_back({{"from", m.from},
                    {"to", m.to},
                    {"t0", m.t0},
                    {"t1", m.t1},
                    {"type", m.type},
                    {"dropped", m.dropped},
                    {"id", m.id},
                    {"mono0", m.mono0},
                    {"wall0", m.wall0},
                    {"mono1", m.mono1},
                    {"wall1", m.wall1}});
  }
  d["msgs"] = msgs;
  json drops = json::array();
  for (const Drop& x : drops_) {
    drops.push_back({{"node", x.node}, {"t", x.t}, {"type", x.type}, {"ev", x.ev}});
  }
  d["drops"] = drops;
}

std::string TimelineSink::data_json(const std::vector<checkers::CheckResult>& results,
                                    const TimelineMeta& meta) const {
  using nlohmann::json;
  json d;
  d["version"] = kTimelineDataVersion;
  d["scenario"] = info_.scenario;
  d["protocol"] = info_.protocol;
  d["seed"] = info_.seed;
  d["end_ns"] = end_ns_;
  d["summary"] = meta.summary;
  d["hash"] = meta.hash;
  d["replay"] = meta.replay;
  json nodes = json::array();
  for (size_t i = 0; i < info_.node_ids.size(); ++i) {
    nodes.push_back({{"id", info_.node_ids[i]},
                     {"role", i < info_.node_roles.size() ? info_.node_roles[i] : ""}});
  }
  d["nodes"] = nodes;
  d["messages"] = info_.messages;
  items_json(d);
  d["counts"] = {{"sent", sent_},           {"shown", msgs_.size()},
                 {"dropped", dropped_},     {"drops_shown", drops_.size()},
                 {"writes", writes_total_}, {"writes_shown", writes_.size()},
                 {"hidden", hidden_items_}};
  d["verdicts"] = verdicts_data(results, info_);
  return script_safe(d.dump());
}

std::string TimelineSink::html(const std::vector<checkers::CheckResult>& results,
                               const TimelineMeta& meta) const {
  std::string out;
  out += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>lockstep timeline: " + html_escape(info_.scenario) + "</title>\n";
  out += "<style>\n" + std::string(kTimelineCss) + "</style>\n</head>\n<body>\n";
  out +=
      "<noscript><p>This timeline draws itself with JavaScript; enable it to see the "
      "diagram.</p></noscript>\n";
  out += "<div id=\"app\"></div>\n";
  out += "<script type=\"application/json\" id=\"timeline-data\">" + data_json(results, meta) +
         "</script>\n";
  out += "<script>\n" + std::string(kTimelineJs) + "</script>\n</body>\n</html>\n";
  return out;
}

bool TimelineSink::write(const std::string& path, const std::vector<checkers::CheckResult>& results,
                         const TimelineMeta& meta) const {
  return sim::write_file_atomically(path, html(results, meta));
}

}  // namespace lockstep::tools
