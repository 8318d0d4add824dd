#include "tools/render/timeline.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "sim/io/atomic_file.hpp"
#include "tools/trace/trace_reader.hpp"

namespace lockstep::tools {

// The page's stylesheet and script, at the end of this file.
extern const char* const kTimelineCss;
extern const char* const kTimelineJs;

namespace {

using checkers::K;

using sim::Event;
using sim::Key;
using sim::Kind;

// A field rendered as the trace's JSON would: node ids by name, durations as "10s".
std::string field_text(const sim::Field& f, const sim::TraceInfo& info) {
  switch (info.key_type(f.key)) {
    case sim::FieldType::node:
      return f.value >= 0 && static_cast<size_t>(f.value) < info.node_ids.size()
                 ? info.node_ids[static_cast<size_t>(f.value)]
                 : std::to_string(f.value);
    case sim::FieldType::duration_ns:
      return sim::format_duration(sim::Duration{f.value});
    case sim::FieldType::boolean:
      return f.value != 0 ? "true" : "false";
    case sim::FieldType::message_type:
      return f.value >= 0 && static_cast<size_t>(f.value) < info.messages.size()
                 ? info.messages[static_cast<size_t>(f.value)]
                 : std::to_string(f.value);
    case sim::FieldType::integer:
      return std::to_string(f.value);
  }
  return std::to_string(f.value);
}

std::string event_title(const Event& e, const sim::TraceInfo& info) {
  std::string out = sim::format_seconds(e.at.ns) + " ";
  if (e.node != sim::kNoNode) out += info.node_name(e.node) + " ";
  out += info.kind_name(e.kind);
  for (uint8_t i = 0; i < e.field_count; ++i) {
    out += " " + std::string(info.key_name(e.fields[i].key)) + "=" + field_text(e.fields[i], info);
  }
  if (!e.text.empty()) out += " \"" + std::string(e.text) + "\"";
  return out;
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

void TimelineSink::add_mark(Mark mark) {
  if (marks_.size() >= limits_.max_items) {
    ++hidden_items_;
    return;
  }
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
      if (!s.wait_t0.has_value()) s.wait_t0 = t;
      return;
    case K::lock_acquired:
      if (s.wait_t0.has_value()) add_span({e.node, "wait", *s.wait_t0, t, "waiting for the lock"});
      s.wait_t0.reset();
      if (s.lock.has_value() && s.lock->value == token) return;  // a renewal by re-acquire
      close_lock(e.node, t, "reacquired");
      s.lock = Bar{e.node, false, t, t, token, ""};
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
        add_mark({e.node, "renew", t, "", event_title(e, info_), std::nullopt, token});
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
  if (e.node == sim::kNoNode) {
    // Partitions, cuts and their heals: a line across every lane.
    const std::string kind = std::string(info_.kind_name(e.kind)).substr(6);
    add_mark({sim::kNoNode, kind, t, kind, title, std::nullopt, std::nullopt});
    return;
  }
  if (e.node >= nodes_.size()) return;
  NodeState& s = nodes_[e.node];
  switch (w_(e.kind)) {
    case K::fault_crash:
      close_lock(e.node, t, "crash");
      close_leader(e.node, t, "crash");
      if (s.pauses > 0) add_span({e.node, "pause", s.pause_t0, t, s.pause_text});
      s.pauses = 0;
      s.wait_t0.reset();
      s.down_t0 = t;
      s.down_text = text;
      add_mark({e.node, "crash", t, "crash", title, std::nullopt, std::nullopt});
      return;
    case K::fault_restart:
      if (s.down_t0.has_value()) add_span({e.node, "down", *s.down_t0, t, s.down_text});
      s.down_t0.reset();
      add_mark({e.node, "restart", t, "restart", title, std::nullopt, std::nullopt});
      return;
    case K::fault_pause:
      if (s.pauses++ == 0) {
        s.pause_t0 = t;
        s.pause_text = text;
      }
      return;
    case K::fault_resume:
      if (s.pauses > 0 && --s.pauses == 0) add_span({e.node, "pause", s.pause_t0, t, s.pause_text});
      return;
    case K::fault_clock_step: {
      const int64_t by = e.get_or(Key::by_ns, 0);
      const std::string label =
          (by >= 0 ? "+" : "-") + sim::format_duration(sim::Duration{by >= 0 ? by : -by});
      add_mark({e.node, "clock-step", t, "clock " + label, title, std::nullopt, std::nullopt});
      return;
    }
    default:  // isolate, heal of an isolation, skipped
      add_mark({e.node, std::string(info_.kind_name(e.kind)).substr(6), t,
                std::string(info_.kind_name(e.kind)).substr(6), title, std::nullopt, std::nullopt});
      return;
  }
}

// A node is drawn cut off while any link to or from it is down; the share of its links that were
// down tells an isolated node (all) from one that only lost touch with an isolated peer.
TimelineSink::Span TimelineSink::cut_span(sim::NodeIndex node, const NodeState& s,
                                          int64_t t1) const {
  const int links = 2 * std::max<int>(static_cast<int>(nodes_.size()) - 1, 1);
  const double share = std::min(1.0, static_cast<double>(s.links_down_max) / links);
  return {node,
          "cut",
          s.cut_t0,
          t1,
          std::to_string(s.links_down_max) + " of the " + std::to_string(links) +
              " links to and from " + node_name(node) + " down",
          share};
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
      pending_[id] = Pending{e.node, static_cast<sim::NodeIndex>(to), t, type};
      return;
    }
    case K::net_deliver:
    case K::net_drop: {
      const bool dropped = w_(e.kind) == K::net_drop;
      if (dropped) ++dropped_;
      if (dropped && e.node != sim::kNoNode && admit(drop_cols_, t, key_of(e))) {
        drops_.push_back({e.node, t, type});
      }
      const auto it = pending_.find(id);
      if (it == pending_.end()) return;
      const Pending& p = it->second;
      msgs_.push_back({p.from, p.to, p.t0, t, p.type, dropped});
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
      writes_.push_back({e.node, t, e.get_or(w_.writer, -1), token, status});
      return;
    }
    case K::lock_lease_ended: {
      const std::optional<int64_t> holder = e.get(w_.holder);
      const std::string label = "lease " + (holder ? node_name(*holder) : std::string("?")) +
                                (token ? " #" + std::to_string(*token) : "") + " " +
                                (e.text.empty() ? std::string("ended") : std::string(e.text));
      add_mark({e.node, "lease-ended", t, label, event_title(e, info_), holder, token});
      return;
    }
    case K::lock_granted: {
      if (!admit(mark_cols_, t, key_of(e))) return;
      const std::optional<int64_t> holder = e.get(w_.holder);
      add_mark({e.node, "grant", t, "", event_title(e, info_), holder, token});
      return;
    }
    case K::leader_elected: {
      NodeState& s = nodes_[e.node];
      const std::optional<int64_t> term = e.get(w_.term);
      if (s.leader.has_value() && s.leader->value == term) return;
      close_leader(e.node, t, "re-elected");
      s.leader = Bar{e.node, true, t, t, term, ""};
      return;
    }
    case K::leader_stepped_down:
      close_leader(e.node, t, e.text.empty() ? "stepped down" : std::string(e.text));
      return;
    default:
      if (!admit(mark_cols_, t, key_of(e))) return;
      add_mark({e.node, std::string(info_.kind_name(e.kind)), t, "", event_title(e, info_),
                std::nullopt, token});
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
    if (s.pauses > 0) add_span({i, "pause", s.pause_t0, end.ns, s.pause_text + " (still paused)"});
    if (s.down_t0.has_value()) add_span({i, "down", *s.down_t0, end.ns, s.down_text});
    if (s.links_down > 0) add_span(cut_span(i, s, end.ns));
    if (s.wait_t0.has_value()) add_span({i, "wait", *s.wait_t0, end.ns, "still waiting"});
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

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
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
      evidence.push_back({{"t", ev.at.ns},
                          {"node", node_json(ev.node)},
                          {"kind", std::string(info.kind_name(ev.kind))},
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

std::string TimelineSink::data_json(const std::vector<checkers::CheckResult>& results,
                                    const TimelineMeta& meta) const {
  using nlohmann::json;
  json d;
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
  json bars = json::array();
  for (const Bar& b : bars_) {
    bars.push_back({b.node, b.leader ? "leader" : "lock", b.t0, b.t1, opt(b.value), b.end});
  }
  d["bars"] = bars;
  json spans = json::array();
  for (const Span& s : spans_) {
    spans.push_back({s.node, s.kind, s.t0, s.t1, s.text, std::round(s.share * 100) / 100});
  }
  d["spans"] = spans;
  json marks = json::array();
  for (const Mark& m : marks_) {
    marks.push_back(
        {node_json(m.node), m.kind, m.t, m.label, m.title, opt(m.holder), opt(m.token)});
  }
  d["marks"] = marks;
  json writes = json::array();
  for (const Write& w : writes_) writes.push_back({w.node, w.t, w.writer, opt(w.token), w.status});
  d["writes"] = writes;
  json msgs = json::array();
  for (const Msg& m : msgs_) msgs.push_back({m.from, m.to, m.t0, m.t1, m.type, m.dropped ? 1 : 0});
  d["msgs"] = msgs;
  json drops = json::array();
  for (const Drop& x : drops_) drops.push_back({x.node, x.t, x.type});
  d["drops"] = drops;
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

// ---- The page's stylesheet and script
// ---------------------------------------------------------------- Kept here as text so the page is
// one file with no network fetches; the script builds the SVG, so a headless browser's DOM dump
// proves it ran (tools/browser/check-timeline).

const char* const kTimelineCss =
    R"CSS(:root { --ink: #1f2430; --muted: #667085; --line: #e4e7ec; --bad: #d1242f; --good: #1a7f37;
  --warn: #b7791f; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; padding: 14px 18px 24px; color: var(--ink); background: #fff; font-size: 13px; }
header h1 { font-size: 18px; margin: 0 0 2px; font-weight: 650; }
header .meta { margin: 0; color: var(--muted); }
header .meta code { font-size: 12px; }
header .summary { margin: 4px 0 0; max-width: 1100px; color: #344054; line-height: 1.35; }
#verdict-strip { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap;
  gap: 6px; }
#verdict-strip li { border: 1px solid var(--line); border-radius: 12px; padding: 2px 9px;
  cursor: pointer; white-space: nowrap; }
#verdict-strip li.violated { border-color: #f3b5b9; background: #fff1f1; color: #8c1d24; }
#verdict-strip li.holds { border-color: #b7e1c1; background: #f0faf2; color: #14632b; }
#verdict-strip li.inconclusive { border-color: #f1d79a; background: #fff9eb; color: #7a5206; }
.num { display: inline-block; min-width: 16px; height: 16px; line-height: 16px; border-radius: 8px;
  background: var(--bad); color: #fff; font-size: 11px; font-weight: 700; text-align: center;
  margin-right: 4px; }
#controls { display: flex; align-items: center; gap: 6px; margin: 10px 0 6px; flex-wrap: wrap; }
#controls button { font: inherit; padding: 2px 9px; border: 1px solid #d0d5dd; border-radius: 6px;
  background: #fff; cursor: pointer; }
#controls button:hover { background: #f2f4f7; }
#controls label { color: #344054; margin-left: 6px; user-select: none; }
#range { margin-left: 10px; font-variant-numeric: tabular-nums; color: #344054; }
#controls .hint { margin-left: auto; color: var(--muted); font-size: 12px; }
#chart { border: 1px solid var(--line); border-radius: 8px; overflow: hidden; user-select: none;
  cursor: grab; }
#chart.dragging { cursor: grabbing; }
#axis { display: block; background: #fcfcfd; border-bottom: 1px solid var(--line); }
#lanes-scroll { max-height: 64vh; overflow-y: auto; overflow-x: hidden; }
#lanes { display: block; }
#overview { display: block; border-bottom: 1px solid var(--line); }
svg text { font-family: inherit; }
.lane-label { font-size: 12px; font-weight: 600; fill: var(--ink); }
.lane-role { font-size: 10.5px; fill: var(--muted); }
.tick-label { font-size: 11px; fill: #475467; font-variant-numeric: tabular-nums; }
.bar-label { font-size: 10.5px; fill: #fff; font-weight: 600; pointer-events: none; }
.mark-label { font-size: 10.5px; fill: #344054; pointer-events: none; paint-order: stroke;
  stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.mark-label.bad { fill: var(--bad); font-weight: 650; }
#legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 2px 0; color: #344054;
  font-size: 12px; }
#legend span { display: inline-flex; align-items: center; gap: 5px; }
#verdicts { margin-top: 14px; }
#verdicts h2 { font-size: 14px; margin: 0 0 6px; }
#verdicts ol { list-style: none; padding: 0; margin: 0; }
.verdict { border-left: 4px solid var(--line); padding: 4px 10px; margin-bottom: 8px; }
.verdict.violated { border-left-color: var(--bad); }
.verdict.holds { border-left-color: var(--good); }
.verdict.inconclusive { border-left-color: var(--warn); }
.verdict .name { font-weight: 650; }
.verdict .word { font-weight: 700; margin-left: 6px; }
.verdict.violated .word { color: var(--bad); }
.verdict.holds .word { color: var(--good); }
.verdict.inconclusive .word { color: var(--warn); }
.verdict p { margin: 3px 0; max-width: 1100px; line-height: 1.4; }
.verdict .evidence { margin: 2px 0 0; padding-left: 16px; color: #475467;
  font: 11.5px ui-monospace, SFMono-Regular, Menlo, monospace; }
.verdict a { color: #175cd3; cursor: pointer; text-decoration: underline; }
#counts { color: var(--muted); font-size: 12px; margin: 10px 0 0; }
)CSS";

const char* const kTimelineJs = R"JS((function () {
  'use strict';
  const D = JSON.parse(document.getElementById('timeline-data').textContent);
  const END = Math.max(D.end_ns, 1);
  const N = D.nodes.length;
  const LABEL_W = 150;
  const RIGHT = 14;
  const AXIS_H = 44;
  const LANE_H = N <= 8 ? 46 : N <= 20 ? 34 : 26;
  const H = Math.max(N, 1) * LANE_H;
  const PALETTE = ['#3b6fb6', '#4f9a4a', '#9b5fb0', '#2c9c9c', '#9c6b43', '#c2577f', '#6474c9',
                   '#7f8f2a'];
  const MSG_COLORS = ['#8aa4c8', '#9fb98d', '#c2a1cf', '#86c0bd', '#c9a88a', '#d8a0b5'];

  const esc = (s) => String(s).replace(/[&<>"]/g,
      (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  const colorOf = (v) => v === null ? '#8a8f98' :
      PALETTE[((v % PALETTE.length) + PALETTE.length) % PALETTE.length];
  const nodeId = (i) => (i >= 0 && i < N) ? D.nodes[i].id : '';
  const msgName = (i) => (i >= 0 && i < D.messages.length) ? D.messages[i] : 'msg ' + i;
  // Truncated like the reports' times, so the page and the text agree to the millisecond.
  const secs = (ns, digits) => {
    const d = digits === undefined ? 3 : digits;
    return (Math.trunc(ns / Math.pow(10, 9 - d)) / Math.pow(10, d)).toFixed(d) + 's';
  };
  const laneTop = (i) => i * LANE_H;
  const laneMid = (i) => i * LANE_H + LANE_H / 2;
  // With many nodes, one strip above the lanes shows every holding and leadership at once, so
  // the story is visible without scrolling.
  const OVERVIEW = N > 8 && D.bars.length > 0;

  // Verdicts: the deciding event of each violation, snapped from the evidence line's millisecond
  // to the exact event the page holds when one matches.
  function snap(ev) {
    const within = (t) => t >= ev.t && t < ev.t + 1e6;
    const token = /token=(-?\d+)/.exec(ev.text);
    const writer = /writer=(\S+)/.exec(ev.text);
    if (ev.kind === 'lock.acquired' || ev.kind === 'leader.elected') {
      const b = D.bars.find((b) => b[0] === ev.node && within(b[2]));
      if (b) return b[2];
    }
    if (ev.kind.startsWith('resource.')) {
      const w = D.writes.find((w) => w[0] === ev.node && within(w[1]) &&
          (!token || w[3] === Number(token[1])) && (!writer || nodeId(w[2]) === writer[1]));
      if (w) return w[1];
    }
    const b = D.bars.find((b) => b[0] === ev.node && within(b[3]));
    if (b) return b[3];
    const m = D.marks.find((m) => m[0] === ev.node && within(m[2]));
    return m ? m[2] : ev.t;
  }
  const violations = [];
  for (const v of D.verdicts) {
    if (v.n === undefined) continue;
    const ev = v.evidence[v.at];
    violations.push({checker: v.checker, n: v.n, t: snap(ev), node: ev.node, v: v});
  }

  // ---- Page skeleton -------------------------------------------------------------------------
  const app = document.getElementById('app');
  const meta = ['protocol <b>' + esc(D.protocol) + '</b>', 'seed <b>' + D.seed + '</b>',
                secs(END, 0) + ' simulated', N + ' nodes'];
  if (D.hash) meta.push('hash <code>' + esc(D.hash) + '</code>');
  app.innerHTML =
      '<header><h1>' + esc(D.scenario) + '</h1><p class="meta">' + meta.join(' · ') + '</p>' +
      (D.summary ? '<p class="summary">' + esc(D.summary) + '</p>' : '') +
      '<ul id="verdict-strip"></ul></header>' +
      '<div id="controls"><button id="zoom-in" title="zoom in">+</button>' +
      '<button id="zoom-out" title="zoom out">−</button>' +
      '<button id="pan-left" title="earlier">◀</button>' +
      '<button id="pan-right" title="later">▶</button>' +
      '<button id="reset" title="show the whole run">whole run</button>' +
      '<label><input type="checkbox" id="show-msgs" checked> messages</label>' +
      '<label><input type="checkbox" id="show-writes" checked> writes</label>' +
      '<span id="range"></span>' +
      '<span class="hint">wheel: zoom · drag: pan · wheel over the names: scroll lanes</span></div>' +
      '<div id="chart"><svg id="axis" height="' + AXIS_H + '"></svg>' +
      (OVERVIEW ? '<svg id="overview"></svg>' : '') +
      '<div id="lanes-scroll"><svg id="lanes" height="' + H + '"></svg></div></div>' +
      '<div id="legend"></div><section id="verdicts"></section><p id="counts"></p>';
  const chart = document.getElementById('chart');
  const axis = document.getElementById('axis');
  const lanes = document.getElementById('lanes');
  const scroller = document.getElementById('lanes-scroll');
  const showMsgs = document.getElementById('show-msgs');
  const showWrites = document.getElementById('show-writes');

  const view = {t0: 0, t1: END};
  // A link may open a stretch of the run: page.html#view=14-21 (seconds of true time).
  const linked = /view=([0-9.]+)-([0-9.]+)/.exec(location.hash);
  if (linked && Number(linked[2]) > Number(linked[1])) {
    view.t0 = Math.max(0, Number(linked[1]) * 1e9);
    view.t1 = Math.min(END, Number(linked[2]) * 1e9);
    if (view.t1 <= view.t0) { view.t0 = 0; view.t1 = END; }
  }
  let W = 1000;
  const plotW = () => Math.max(W - LABEL_W - RIGHT, 50);
  const x = (t) => LABEL_W + (t - view.t0) / (view.t1 - view.t0) * plotW();
  const tAt = (px) => view.t0 + (px - LABEL_W) / plotW() * (view.t1 - view.t0);
  const visible = (t0, t1) => t1 >= view.t0 && t0 <= view.t1;
  const cx = (t) => Math.max(LABEL_W - 5, Math.min(W + 5, x(t)));  // clamp far-off coordinates

  // ---- Drawing -------------------------------------------------------------------------------
  function niceStep(span, ticks) {
    const raw = span / ticks;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }
  function tickLabel(t, step) {
    if (step >= 1e9) return (t / 1e9).toFixed(0) + 's';
    if (step >= 1e6) return (t / 1e9).toFixed(Math.max(0, 9 - Math.round(Math.log10(step)))) + 's';
    return (t / 1e9).toFixed(Math.min(9, 9 - Math.floor(Math.log10(step)))) + 's';
  }

  function drawAxis() {
    const out = [];
    const step = niceStep(view.t1 - view.t0, Math.max(2, plotW() / 110));
    for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      const px = x(t);
      out.push('<line x1="' + px + '" x2="' + px + '" y1="' + (AXIS_H - 6) + '" y2="' + AXIS_H +
               '" stroke="#98a2b3"/>');
      out.push('<text class="tick-label" x="' + px + '" y="' + (AXIS_H - 9) +
               '" text-anchor="middle">' + tickLabel(t, step) + '</text>');
    }
    out.push('<text class="tick-label" x="10" y="' + (AXIS_H - 9) + '">true time</text>');
    for (const v of violations) {
      if (!visible(v.t, v.t)) continue;
      const px = x(v.t);
      out.push('<g class="violation" id="violation-' + esc(v.checker) + '" data-checker="' +
               esc(v.checker) + '" data-n="' + v.n + '" data-t="' + v.t + '" data-node="' +
               esc(nodeId(v.node)) + '"><title>' + esc(v.checker + ' violated at ' + secs(v.t) +
               ': ' + v.v.explanation) + '</title><line x1="' + px + '" x2="' + px + '" y1="12" y2="' +
               AXIS_H + '" stroke="#d1242f" stroke-width="2"/><circle cx="' + px +
               '" cy="10" r="8" fill="#d1242f"/>' +
               '<text x="' + px + '" y="14" text-anchor="middle" fill="#fff" font-size="11" ' +
               'font-weight="700">' + v.n + '</text></g>');
    }
    axis.innerHTML = out.join('');
  }

  function defs() {
    return '<defs><clipPath id="plot-clip"><rect x="' + LABEL_W + '" y="0" width="' + plotW() +
        '" height="' + H + '"/></clipPath>' +
        '<pattern id="hatch-pause" patternUnits="userSpaceOnUse" width="7" height="7" ' +
        'patternTransform="rotate(45)"><rect width="7" height="7" fill="#fdf0cf"/>' +
        '<line x1="0" y1="0" x2="0" y2="7" stroke="#e3a63b" stroke-width="3"/></pattern>' +
        '<pattern id="hatch-stale" patternUnits="userSpaceOnUse" width="6" height="6" ' +
        'patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#d1242f" ' +
        'stroke-width="2.5"/></pattern>' +
        '<marker id="arrow" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="5" ' +
        'markerHeight="5" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#8795aa"/></marker>' +
        '</defs>';
  }

  function drawLaneFrames(out) {
    for (let i = 0; i < N; i++) {
      const y = laneTop(i);
      const n = D.nodes[i];
      out.push('<g class="lane" data-node="' + esc(n.id) + '" data-role="' + esc(n.role) +
               '" data-index="' + i + '"><rect x="0" y="' + y + '" width="' + W + '" height="' +
               LANE_H + '" fill="' + (i % 2 ? '#fafbfc' : '#ffffff') + '"/>' +
               '<line x1="0" x2="' + W + '" y1="' + (y + LANE_H) + '" y2="' + (y + LANE_H) +
               '" stroke="#eef0f3"/><text class="lane-label" x="10" y="' +
               (y + LANE_H / 2 + (LANE_H > 30 ? -2 : 4)) + '">' + esc(n.id) + '</text>' +
               (LANE_H > 30 ? '<text class="lane-role" x="10" y="' + (y + LANE_H / 2 + 12) +
                                  '">' + esc(n.role) + '</text>' : '') + '</g>');
    }
    out.push('<line x1="' + LABEL_W + '" x2="' + LABEL_W + '" y1="0" y2="' + H +
             '" stroke="#d0d5dd"/>');
  }

  const SPAN_KIND = {pause: 'paused', down: 'crashed (down)', cut: 'links cut', wait: 'waiting'};
  function drawSpans(out) {
    for (const [n, kind, t0, t1, text, share] of D.spans) {
      if (!visible(t0, t1)) continue;
      const x0 = cx(t0), x1 = cx(t1), y = laneTop(n);
      const title = '<title>' + esc(nodeId(n) + ' ' + SPAN_KIND[kind] + ' ' + secs(t0) + ' – ' +
                                    secs(t1) + (text ? ' (' + text + ')' : '')) + '</title>';
      const attrs = ' class="span" data-kind="' + kind + '" data-node="' + esc(nodeId(n)) +
                    '" data-t0="' + t0 + '" data-t1="' + t1 + '"';
      if (kind === 'wait') {
        out.push('<line' + attrs + ' x1="' + x0 + '" x2="' + x1 + '" y1="' + laneMid(n) +
                 '" y2="' + laneMid(n) + '" stroke="#98a2b3" stroke-width="1.5" ' +
                 'stroke-dasharray="2 3">' + title + '</line>');
      } else if (kind === 'cut') {
        // Solid when every link of the node is down, faint when few are.
        out.push('<rect' + attrs + ' data-share="' + share + '" x="' + x0 + '" y="' +
                 (y + LANE_H - 6) + '" width="' + Math.max(x1 - x0, 1) + '" height="4" ' +
                 'fill="#3d64a8" opacity="' + (0.2 + 0.8 * share).toFixed(2) + '">' + title +
                 '</rect>');
      } else {
        const fill = kind === 'pause' ? 'url(#hatch-pause)' : '#667085';
        out.push('<rect' + attrs + ' x="' + x0 + '" y="' + (y + 2) + '" width="' +
                 Math.max(x1 - x0, 1) + '" height="' + (LANE_H - 4) + '" fill="' + fill +
                 '" opacity="' + (kind === 'down' ? 0.3 : 0.9) + '" rx="3">' + title + '</rect>');
        if (x1 - x0 > 60) {
          out.push('<text class="mark-label" x="' + (Math.max(x0, LABEL_W) + 5) + '" y="' +
                   (y + 12) + '">' + (kind === 'pause' ? 'paused' : 'down') + '</text>');
        }
      }
    }
  }

  function drawMessages(out) {
    if (!showMsgs.checked) return;
    // Dense traffic fades so that it does not hide the lanes; zoomed in, arrows stand out.
    const shown = D.msgs.filter((m) => visible(m[2], m[3]));
    const opacity = Math.min(0.8, Math.max(0.07, 5 / (shown.length / plotW() * 100 + 1e-9)));
    for (const [f, t, t0, t1, type, dropped] of shown) {
      const color = dropped ? '#d1242f' : MSG_COLORS[type % MSG_COLORS.length];
      out.push('<line class="msg" data-from="' + esc(nodeId(f)) + '" data-to="' + esc(nodeId(t)) +
               '" data-type="' + esc(msgName(type)) + '" x1="' + cx(t0) + '" y1="' + laneMid(f) +
               '" x2="' + cx(t1) + '" y2="' + (dropped ? laneMid(f) + (laneMid(t) - laneMid(f)) / 2
                                                      : laneMid(t)) +
               '" stroke="' + color + '" stroke-width="1" opacity="' + opacity.toFixed(2) + '"' +
               (dropped ? ' stroke-dasharray="3 2"' : ' marker-end="url(#arrow)"') + '><title>' +
               esc(msgName(type) + ' ' + nodeId(f) + ' → ' + nodeId(t) + ', sent ' + secs(t0) +
                   (dropped ? ', dropped ' : ', delivered ') + secs(t1)) + '</title></line>');
    }
    for (const [n, t, type] of D.drops) {
      if (!visible(t, t)) continue;
      const px = x(t), py = laneMid(n);
      out.push('<path class="drop" data-kind="drop" data-node="' + esc(nodeId(n)) + '" d="M' +
               (px - 3) + ',' + (py - 3) + ' L' + (px + 3) + ',' + (py + 3) + ' M' + (px + 3) +
               ',' + (py - 3) + ' L' + (px - 3) + ',' + (py + 3) +
               '" stroke="#d1242f" stroke-width="1.6"><title>' +
               esc(nodeId(n) + ' dropped ' + msgName(type) + ' at ' + secs(t)) + '</title></path>');
    }
  }

  // Lock holdings and leaderships; the part of a holding after the server ended that lease is
  // overlaid with red stripes: the holder still believes, but nobody else has to.
  function drawBars(out) {
    for (const [n, kind, t0, t1, value, end] of D.bars) {
      if (!visible(t0, t1)) continue;
      const x0 = cx(t0), x1 = cx(t1), y = laneTop(n) + LANE_H * 0.28, h = LANE_H * 0.44;
      const what = kind === 'lock' ? 'token' : 'term';
      out.push('<rect class="bar" data-kind="' + kind + '" data-node="' + esc(nodeId(n)) +
               '" data-' + what + '="' + (value === null ? '' : value) + '" data-t0="' + t0 +
               '" data-t1="' + t1 + '" data-end="' + esc(end) + '" x="' + x0 + '" y="' + y +
               '" width="' + Math.max(x1 - x0, 1.5) + '" height="' + h + '" rx="3" fill="' +
               colorOf(value) + '"><title>' +
               esc(nodeId(n) + (kind === 'lock' ? ' holds the lock' : ' leads') +
                   (value === null ? '' : ' (' + what + ' ' + value + ')') + ' ' + secs(t0) +
                   ' – ' + secs(t1) + ', ended: ' + end) + '</title></rect>');
      if (kind === 'lock') {
        for (const m of D.marks) {
          if (m[1] !== 'lease-ended' || m[5] !== n || m[6] !== value || m[2] < t0 || m[2] >= t1) {
            continue;
          }
          const s0 = cx(m[2]);
          out.push('<rect class="stale-belief" data-kind="stale-belief" data-node="' +
                   esc(nodeId(n)) + '" data-token="' + value + '" x="' + s0 + '" y="' + y +
                   '" width="' + Math.max(x1 - s0, 1) + '" height="' + h +
                   '" fill="url(#hatch-stale)" stroke="#d1242f" stroke-width="1"><title>' +
                   esc(nodeId(n) + ' still believes it holds token ' + value + ' after ' +
                       nodeId(m[0]) + ' ended that lease at ' + secs(m[2])) + '</title></rect>');
        }
      }
      const label = what + ' ' + value;
      if (value !== null && x1 - Math.max(x0, LABEL_W) > label.length * 6.5 + 10) {
        out.push('<text class="bar-label" x="' + (Math.max(x0, LABEL_W) + 5) + '" y="' +
                 (y + h / 2 + 4) + '">' + label + '</text>');
      }
    }
  }

  const MARK_STYLE = {
    'lease-ended': ['#b42318', 'lease ended'], 'grant': ['#3b6fb6', 'granted'],
    'renew': ['#98a2b3', 'renewed'], 'crash': ['#1f2430', 'crash'],
    'restart': ['#1a7f37', 'restart'], 'clock-step': ['#7a3fb0', 'clock step'],
    'isolate': ['#5b7db8', 'isolated'], 'heal': ['#1a7f37', 'healed'],
    'skipped': ['#98a2b3', 'fault skipped'], 'partition': ['#2f5d9e', 'partition'],
    'cut': ['#2f5d9e', 'cut'],
  };
  function drawMarks(out, labels, labelEnd) {
    for (const [n, kind, t, label, title, holder, token] of D.marks) {
      if (!visible(t, t)) continue;
      const px = x(t);
      const style = MARK_STYLE[kind] || ['#667085', kind];
      const common = ' class="mark" data-kind="' + esc(kind) + '" data-node="' + esc(nodeId(n)) +
                     '" data-t="' + t + '"' + (holder !== null ? ' data-holder="' +
                     esc(nodeId(holder)) + '"' : '') + (token !== null ? ' data-token="' + token +
                     '"' : '');
      if (n < 0) {  // the whole system: a line across every lane
        out.push('<g' + common + '><line x1="' + px + '" x2="' + px + '" y1="0" y2="' + H +
                 '" stroke="' + style[0] + '" stroke-width="1.2" stroke-dasharray="5 4"/><title>' +
                 esc(title) + '</title></g>');
        continue;
      }
      const y = laneTop(n);
      const major = label !== '';
      let g = '<g' + common + '><line x1="' + px + '" x2="' + px + '" y1="' + (y + 3) + '" y2="' +
              (y + (major ? LANE_H - 3 : LANE_H * 0.3)) + '" stroke="' + style[0] +
              '" stroke-width="' + (major ? 2 : 1) + '"/>';
      if (kind === 'lease-ended' || kind === 'clock-step' || kind === 'crash') {
        g += '<path d="M' + (px - 4) + ',' + (y + 3) + ' L' + (px + 4) + ',' + (y + 3) + ' L' +
             px + ',' + (y + 9) + ' z" fill="' + style[0] + '"/>';
      }
      if (major && px + 4 > labelEnd[n]) {
        // A lease the server ended on its own (expired, superseded) is the alarming kind.
        const bad = kind === 'lease-ended' && !label.endsWith('released');
        labels.push('<text class="mark-label' + (bad ? ' bad' : '') + '" x="' +
             (px + 4) + '" y="' + (y + 11) + '">' + esc(label) + '</text>');
        labelEnd[n] = px + 8 + label.length * 6;
      }
      out.push(g + '<title>' + esc(title) + '</title></g>');
    }
  }

  function drawWrites(out, labels, labelEnd) {
    if (!showWrites.checked) return;
    for (const [n, t, writer, token, status] of D.writes) {
      if (!visible(t, t)) continue;
      const px = x(t), py = laneMid(n);
      const attrs = ' class="write" data-kind="write" data-status="' + status + '" data-node="' +
                    esc(nodeId(n)) + '" data-writer="' + esc(nodeId(writer)) + '" data-token="' +
                    (token === null ? '' : token) + '" data-t="' + t + '"';
      const title = '<title>' + esc(secs(t) + ' ' + nodeId(n) + ' ' + status + ' a write from ' +
                                    nodeId(writer) + (token === null ? '' : ' with token ' + token)) +
                    '</title>';
      if (status === 'stale') {
        out.push('<g' + attrs + '><path d="M' + px + ',' + (py - 8) + ' L' + (px + 7) + ',' + py +
                 ' L' + px + ',' + (py + 8) + ' L' + (px - 7) + ',' + py +
                 ' z" fill="#d1242f" stroke="#fff" stroke-width="1.5"/>' + title + '</g>');
        const label = 'stale write accepted: ' + nodeId(writer) + ' token ' + token;
        if (px + 10 > labelEnd[n]) {
          labels.push('<text class="mark-label bad" x="' + (px + 10) + '" y="' + (py + 4) + '">' +
                   esc(label) + '</text>');
          labelEnd[n] = px + 14 + label.length * 6;
        }
      } else if (status === 'rejected') {
        out.push('<circle' + attrs + ' cx="' + px + '" cy="' + py + '" r="4" fill="#fff" ' +
                 'stroke="#d97706" stroke-width="2">' + title + '</circle>');
      } else {
        out.push('<rect' + attrs + ' x="' + (px - 1.5) + '" y="' + (py - LANE_H * 0.18) +
                 '" width="3" height="' + LANE_H * 0.36 + '" fill="' + colorOf(token) + '">' +
                 title + '</rect>');
      }
    }
  }

  function drawViolations(out) {
    for (const v of violations) {
      if (!visible(v.t, v.t)) continue;
      const px = x(v.t);
      out.push('<line class="violation-line" data-checker="' + esc(v.checker) + '" x1="' + px +
               '" x2="' + px + '" y1="0" y2="' + H + '" stroke="#d1242f" stroke-width="2" ' +
               'stroke-dasharray="6 3" opacity="0.85"><title>' +
               esc(v.n + '. ' + v.checker + ' violated at ' + secs(v.t)) + '</title></line>');
      for (const ev of v.v.evidence) {
        if (ev.node < 0) continue;
        const t = snap(ev);
        if (!visible(t, t)) continue;
        out.push('<circle class="evidence" data-checker="' + esc(v.checker) + '" data-node="' +
                 esc(nodeId(ev.node)) + '" data-t="' + t + '" cx="' + x(t) + '" cy="' +
                 laneMid(ev.node) + '" r="9" fill="none" stroke="#d1242f" stroke-width="1.5">' +
                 '<title>' + esc('evidence for ' + v.checker + ': ' + ev.text) + '</title></circle>');
      }
    }
  }

  function drawLanes() {
    const out = [defs()];
    drawLaneFrames(out);
    out.push('<g clip-path="url(#plot-clip)">');
    const labelEnd = new Array(N).fill(-Infinity);
    const labels = [];  // drawn last, over everything else
    drawSpans(out);
    drawMessages(out);
    drawBars(out);
    drawMarks(out, labels, labelEnd);
    drawWrites(out, labels, labelEnd);
    drawViolations(out);
    out.push(labels.join(''), '</g>');
    lanes.innerHTML = out.join('');
  }

  function drawOverview() {
    const rows = [];  // the end of the last bar in each row
    const placed = D.bars.map((b) => {
      let r = rows.findIndex((end) => end <= b[2]);
      if (r < 0 || r >= 4) r = rows.length < 4 ? rows.length : 3;
      rows[r] = Math.max(rows[r] || 0, b[3]);
      return [r, b];
    });
    const ROW = 15, h = Math.max(rows.length, 2) * ROW + 8;
    const out = ['<rect x="0" y="0" width="' + W + '" height="' + h + '" fill="#f8f9fb"/>',
                 '<text class="lane-label" x="10" y="16">who ' + (D.bars.some((b) => b[1] ===
                     'leader') ? 'leads' : 'holds') + '</text>',
                 '<text class="lane-role" x="10" y="29">all nodes</text>',
                 '<g clip-path="url(#overview-clip)"><clipPath id="overview-clip"><rect x="' +
                     LABEL_W + '" y="0" width="' + plotW() + '" height="' + h + '"/></clipPath>'];
    for (const [r, [n, kind, t0, t1, value]] of placed) {
      if (!visible(t0, t1)) continue;
      const x0 = cx(t0), x1 = cx(t1), y = 4 + r * ROW;
      out.push('<rect class="overview-bar" data-node="' + esc(nodeId(n)) + '" x="' + x0 +
               '" y="' + y + '" width="' + Math.max(x1 - x0, 1.5) + '" height="' + (ROW - 3) +
               '" rx="2" fill="' + colorOf(value) + '"><title>' + esc(nodeId(n) + ' ' +
               (kind === 'lock' ? 'holds, token ' : 'leads, term ') + value + ', ' + secs(t0) +
               ' – ' + secs(t1)) + '</title></rect>');
      const label = nodeId(n);
      if (x1 - Math.max(x0, LABEL_W) > label.length * 6.5 + 8) {
        out.push('<text class="bar-label" x="' + (Math.max(x0, LABEL_W) + 4) + '" y="' +
                 (y + ROW - 6) + '">' + esc(label) + '</text>');
      }
    }
    for (const v of violations) {
      if (visible(v.t, v.t)) {
        out.push('<line x1="' + x(v.t) + '" x2="' + x(v.t) + '" y1="0" y2="' + h +
                 '" stroke="#d1242f" stroke-width="2" stroke-dasharray="6 3"/>');
      }
    }
    out.push('</g>');
    const svg = document.getElementById('overview');
    svg.setAttribute('width', W);
    svg.setAttribute('height', h);
    svg.innerHTML = out.join('');
  }

  function render() {
    // Both drawings use the lanes' inner width in pixels (a scrollbar may take some of the
    // chart's), so a time is at the same x on the axis and on every lane.
    W = Math.max(scroller.clientWidth || chart.clientWidth || 1000, 400);
    axis.setAttribute('width', W);
    lanes.setAttribute('width', W);
    drawAxis();
    if (OVERVIEW) drawOverview();
    drawLanes();
    document.getElementById('range').textContent =
        'showing ' + secs(view.t0) + ' – ' + secs(view.t1);
  }

  // ---- Legend, verdicts, counts --------------------------------------------------------------
  function swatch(svg) {
    return '<svg width="26" height="14" viewBox="0 0 26 14">' + svg + '</svg>';
  }
  function legend() {
    const items = [
      [swatch('<rect x="1" y="3" width="11" height="8" rx="2" fill="' + PALETTE[1] + '"/>' +
              '<rect x="13" y="3" width="12" height="8" rx="2" fill="' + PALETTE[2] + '"/>'),
       'holds the lock / leads (colour: token / term)'],
      [swatch('<rect x="1" y="3" width="24" height="8" fill="url(#lg-stale)" stroke="#d1242f"/>'),
       'still believes after its lease ended'],
      [swatch('<rect x="1" y="1" width="24" height="12" fill="url(#lg-pause)"/>'), 'paused'],
      [swatch('<rect x="1" y="1" width="24" height="12" fill="#667085" opacity="0.3"/>'),
       'crashed'],
      [swatch('<rect x="1" y="9" width="24" height="4" fill="#5b7db8"/>'), 'links cut'],
      [swatch('<line x1="1" y1="7" x2="25" y2="7" stroke="#98a2b3" stroke-width="1.5" ' +
              'stroke-dasharray="2 3"/>'), 'waiting for the lock'],
      [swatch('<line x1="1" y1="11" x2="23" y2="3" stroke="#8aa4c8"/><path d="M19,2 L25,2 ' +
              'L22,7 z" fill="#8795aa"/>'), 'message'],
      [swatch('<path d="M10,4 L16,10 M16,4 L10,10" stroke="#d1242f" stroke-width="1.6"/>'),
       'dropped'],
      [swatch('<rect x="11" y="2" width="3" height="10" fill="' + PALETTE[1] + '"/>'),
       'write accepted'],
      [swatch('<circle cx="13" cy="7" r="4" fill="#fff" stroke="#d97706" stroke-width="2"/>'),
       'write rejected (fenced)'],
      [swatch('<path d="M13,0 L19,7 L13,14 L7,7 z" fill="#d1242f"/>'), 'stale write accepted'],
      [swatch('<line x1="13" y1="1" x2="13" y2="13" stroke="#b42318" stroke-width="2"/>' +
              '<path d="M9,1 L17,1 L13,6 z" fill="#b42318"/>'), 'lease ended (server)'],
      [swatch('<line x1="13" y1="1" x2="13" y2="13" stroke="#7a3fb0" stroke-width="2"/>'),
       'clock step'],
      [swatch('<line x1="13" y1="0" x2="13" y2="14" stroke="#2f5d9e" stroke-dasharray="3 2"/>'),
       'partition / cut / heal'],
      [swatch('<line x1="13" y1="0" x2="13" y2="14" stroke="#d1242f" stroke-width="2" ' +
              'stroke-dasharray="4 2"/>'), 'first violation'],
    ];
    document.getElementById('legend').innerHTML =
        '<svg width="0" height="0" style="position:absolute"><defs>' +
        '<pattern id="lg-pause" patternUnits="userSpaceOnUse" width="7" height="7" ' +
        'patternTransform="rotate(45)"><rect width="7" height="7" fill="#fdf0cf"/><line x1="0" ' +
        'y1="0" x2="0" y2="7" stroke="#e3a63b" stroke-width="3"/></pattern>' +
        '<pattern id="lg-stale" patternUnits="userSpaceOnUse" width="6" height="6" ' +
        'patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#d1242f" ' +
        'stroke-width="2.5"/></pattern></defs></svg>' +
        items.map((i) => '<span>' + i[0] + i[1] + '</span>').join('');
  }

  function focus(t) {
    const half = Math.max(END / 20, 1e9);
    setView(t - half, t + half);
  }

  function verdicts() {
    const strip = [], full = [];
    for (const v of D.verdicts) {
      const vio = violations.find((x) => x.checker === v.checker);
      const num = vio ? '<span class="num">' + vio.n + '</span>' : '';
      const when = vio ? ' at ' + secs(vio.t) : '';
      strip.push('<li class="' + v.verdict + '" data-checker="' + esc(v.checker) + '">' + num +
                 esc(v.checker) + ' ' + v.verdict + when + '</li>');
      full.push('<li class="verdict ' + v.verdict + '" id="verdict-' + esc(v.checker) +
                '" data-checker="' + esc(v.checker) + '" data-verdict="' + v.verdict + '">' + num +
                '<span class="name">' + esc(v.checker) + '</span><span class="word">' +
                v.verdict.toUpperCase() + '</span>' +
                (vio ? ' at <a data-t="' + vio.t + '">' + secs(vio.t) + '</a>' : '') +
                (v.explanation ? '<p class="explanation">' + esc(v.explanation) + '</p>' : '') +
                (v.evidence.length ? '<ul class="evidence">' + v.evidence.map(
                    (e) => '<li>' + esc(e.text) + '</li>').join('') + '</ul>' : '') + '</li>');
    }
    document.getElementById('verdict-strip').innerHTML = strip.join('');
    document.getElementById('verdicts').innerHTML =
        D.verdicts.length ? '<h2>Verdicts</h2><ol>' + full.join('') + '</ol>' : '';
    for (const li of document.querySelectorAll('#verdict-strip li')) {
      const vio = violations.find((x) => x.checker === li.dataset.checker);
      if (vio) li.addEventListener('click', () => focus(vio.t));
    }
    for (const a of document.querySelectorAll('#verdicts a[data-t]')) {
      a.addEventListener('click', () => focus(Number(a.dataset.t)));
    }
  }

  function counts() {
    const c = D.counts;
    const parts = ['messages: ' + c.shown + ' of ' + c.sent + ' drawn' +
                   (c.shown < c.sent ? ' (sampled per time column)' : '')];
    if (c.dropped) parts.push('drops: ' + c.drops_shown + ' of ' + c.dropped + ' marked');
    if (c.writes) parts.push('writes: ' + c.writes_shown + ' of ' + c.writes + ' marked');
    if (c.hidden) parts.push(c.hidden + ' bars, spans or marks left out (too many)');
    if (D.replay) parts.push('replay: ' + esc(D.replay));
    const el = document.getElementById('counts');
    el.innerHTML = parts.join(' · ');
    el.dataset.messagesShown = c.shown;
    el.dataset.messagesSent = c.sent;
  }

  // ---- Interaction ---------------------------------------------------------------------------
  let queued = false;
  function setView(t0, t1) {
    let span = Math.min(Math.max(t1 - t0, 1000), END);
    t0 = Math.max(0, Math.min(t0, END - span));
    view.t0 = t0;
    view.t1 = t0 + span;
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; render(); });
  }
  function zoom(factor, around) {
    const t = around === undefined ? (view.t0 + view.t1) / 2 : around;
    setView(t - (t - view.t0) * factor, t + (view.t1 - t) * factor);
  }
  function pan(fraction) {
    const d = (view.t1 - view.t0) * fraction;
    setView(view.t0 + d, view.t1 + d);
  }
  document.getElementById('zoom-in').onclick = () => zoom(0.5);
  document.getElementById('zoom-out').onclick = () => zoom(2);
  document.getElementById('pan-left').onclick = () => pan(-0.25);
  document.getElementById('pan-right').onclick = () => pan(0.25);
  document.getElementById('reset').onclick = () => setView(0, END);
  showMsgs.onchange = render;
  showWrites.onchange = render;
  chart.addEventListener('wheel', (ev) => {
    const px = ev.clientX - chart.getBoundingClientRect().left;
    if (px < LABEL_W && ev.target !== axis) return;  // over the names: scroll the lanes
    ev.preventDefault();
    if (ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) {
      pan((ev.deltaX || ev.deltaY) / plotW());
      return;
    }
    zoom(Math.exp(ev.deltaY * 0.0015), tAt(px));
  }, {passive: false});
  let drag = null;
  chart.addEventListener('mousedown', (ev) => {
    if (ev.button !== 0) return;
    drag = {x: ev.clientX, t0: view.t0, t1: view.t1};
    chart.classList.add('dragging');
    ev.preventDefault();
  });
  window.addEventListener('mousemove', (ev) => {
    if (!drag) return;
    const dt = (ev.clientX - drag.x) / plotW() * (drag.t1 - drag.t0);
    setView(drag.t0 - dt, drag.t1 - dt);
  });
  window.addEventListener('mouseup', () => {
    drag = null;
    chart.classList.remove('dragging');
  });
  window.addEventListener('keydown', (ev) => {
    if (ev.key === '+' || ev.key === '=') zoom(0.5);
    else if (ev.key === '-') zoom(2);
    else if (ev.key === 'ArrowLeft') pan(-0.25);
    else if (ev.key === 'ArrowRight') pan(0.25);
    else if (ev.key === '0') setView(0, END);
  });
  window.addEventListener('resize', render);

  legend();
  verdicts();
  counts();
  render();  // synchronously, so the page is drawn as soon as it loads
  document.body.dataset.rendered = 'true';
})();
)JS";

}  // namespace lockstep::tools
