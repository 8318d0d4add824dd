#include "tools/render/story_log.hpp"

#include <algorithm>
#include <cassert>

namespace lockstep::tools {
namespace {

using checkers::K;

using sim::Event;
using sim::Key;
using sim::Kind;

constexpr size_t kTimeWidth = 10;
// The world column (partitions, cuts, their heals) is rarely written: narrower than a node's.
constexpr size_t kWorldWidth = 22;

std::string fit(std::string s, size_t width) {
  if (s.size() > width) s = s.substr(0, width - 1) + "~";
  s.resize(width, ' ');
  return s;
}

std::string num(const Event& e, Key key, std::string_view prefix) {
  const std::optional<int64_t> v = e.get(key);
  return v.has_value() ? std::string(prefix) + std::to_string(*v) : std::string();
}

}  // namespace

StoryLog::StoryLog(Writer out, size_t column) : out_(std::move(out)), width_(column) {
  assert(width_ >= 8);
}

std::string StoryLog::row(int64_t t, int column, const std::string& text) const {
  std::string out = fit(t < 0 ? std::string("time") : sim::format_seconds(t), kTimeWidth);
  const int columns = static_cast<int>(info_.node_ids.size()) + 1;
  for (int c = 0; c < columns; ++c) {
    out += "| ";
    const bool last = c == columns - 1;
    if (c == column) {
      out += last ? text : fit(text, c == 0 ? kWorldWidth : width_);
    } else if (!last) {
      out += std::string(c == 0 ? kWorldWidth : width_, ' ');
    }
    if (!last) out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\n";
}

void StoryLog::begin(const sim::TraceInfo& info) {
  info_ = info;
  w_.resolve(*info.vocabulary);
  std::string head = "story of " + info.scenario + ", seed " + std::to_string(info.seed) +
                     ": one line per semantic event (net.* and timer.* left out), true time\n\n";
  std::string names = fit("time", kTimeWidth) + "| " + fit("world", kWorldWidth) + " ";
  for (size_t i = 0; i < info.node_ids.size(); ++i) {
    const std::string role = i < info.node_roles.size() && !info.node_roles[i].empty()
                                 ? " (" + info.node_roles[i] + ")"
                                 : "";
    const bool last = i + 1 == info.node_ids.size();
    names += "| " + (last ? info.node_ids[i] + role : fit(info.node_ids[i] + role, width_) + " ");
  }
  head += names + "\n" + std::string(names.size(), '-') + "\n";
  out_(head);
}

// Words a person reads in a column; capitals for what changes who may act. The kernel's kinds
// first, then the lock words, then the election words; a kind none of them knows prints as its
// name and fields.
std::string StoryLog::phrase(const Event& e) {
  if (std::optional<std::string> p = kernel_phrase(e)) return *p;
  if (std::optional<std::string> p = lock_phrase(e)) return *p;
  if (std::optional<std::string> p = election_phrase(e)) return *p;
  std::string out(info_.kind_name(e.kind));
  for (uint8_t i = 0; i < e.field_count; ++i) {
    out += " " + std::string(info_.key_name(e.fields[i].key)) + "=" +
           std::to_string(e.fields[i].value);
  }
  return out;
}

std::string StoryLog::node_field(const Event& e, Key k) const {
  const std::optional<int64_t> v = e.get(k);
  return v.has_value() && *v >= 0 ? info_.node_name(static_cast<sim::NodeIndex>(*v))
                                  : std::string("?");
}

std::optional<std::string> StoryLog::kernel_phrase(const Event& e) const {
  const std::string text(e.text);
  switch (w_(e.kind)) {
    case K::node_start:
      return "start";
    case K::fault_crash:
      return "CRASH";
    case K::fault_restart:
      return "restart";
    case K::fault_pause:
      return "PAUSED";
    case K::fault_resume:
      return "resumed";
    case K::fault_isolate:
      return "ISOLATED";
    case K::fault_heal:
      return e.node == sim::kNoNode ? "healed: " + text : "healed";
    case K::fault_partition:
      return "PARTITION " + text;
    case K::fault_cut:
      return "CUT " + text;
    case K::fault_skipped:
      return "fault skipped: " + text;
    case K::fault_clock_step: {
      const int64_t by = e.get_or(Key::by_ns, 0);
      return "CLOCK STEP " + std::string(by >= 0 ? "+" : "-") +
             sim::format_duration(sim::Duration{by >= 0 ? by : -by});
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::string> StoryLog::lock_phrase(const Event& e) {
  const std::string text(e.text);
  const std::string token = num(e, w_.token, "#");
  switch (w_(e.kind)) {
    case K::lock_requested:
      return "wants the lock";
    case K::lock_acquired: {
      const std::optional<int64_t> lease = e.get(w_.lease_ns);
      return "ACQUIRED " + token +
             (lease ? " (lease " + sim::format_duration(sim::Duration{*lease}) + ")" : "");
    }
    case K::lock_renewed:
      return "renewed " + token;
    case K::lock_lost:
      return "LOST " + token;
    case K::lock_expired:
      return "EXPIRED " + token;
    case K::lock_released:
      return "released " + token;
    case K::lock_granted:
      return "grant " + node_field(e, w_.holder) + " " + token;
    case K::lock_denied:
      return "deny " + node_field(e, w_.client);
    case K::lock_lease_ended:
      return "lease " + node_field(e, w_.holder) + " " + token + " ended" +
             (text.empty() ? "" : ": " + text);
    case K::resource_write: {
      const std::optional<int64_t> t = e.get(w_.token);
      const bool stale = t && highest_token_ && *t < *highest_token_;
      if (t && (!highest_token_ || *t > *highest_token_)) highest_token_ = t;
      return (stale ? "STALE WRITE " : "write ") + node_field(e, w_.writer) + " " + token;
    }
    case K::resource_rejected:
      return "REJECT " + node_field(e, w_.writer) + " " + token;
    default:
      return std::nullopt;
  }
}

std::optional<std::string> StoryLog::election_phrase(const Event& e) const {
  const std::string text(e.text);
  const std::string term = num(e, w_.term, "term ");
  switch (w_(e.kind)) {
    case K::election_started:
      return (e.get_or(w_.prevote, 0) != 0 ? "pre-vote " : "election ") + term;
    case K::vote_granted:
      return "vote for " + node_field(e, w_.candidate) + " " + term;
    case K::leader_elected:
      return "LEADER " + term;
    case K::leader_confirmed:
      return "confirmed " + term;
    case K::leader_stepped_down:
      return "STEPS DOWN " + term + (text.empty() ? "" : ": " + text);
    case K::term_changed:
      return term;
    default:
      return std::nullopt;
  }
}

std::string StoryLog::render(int column, const Line& line) const {
  std::string text = line.text;
  if (line.repeats > 1) {
    text += " x" + std::to_string(line.repeats) + " to " + sim::format_seconds(line.t_last);
  }
  return row(line.t, column, text);
}

void StoryLog::flush(std::optional<std::pair<int64_t, uint64_t>> upto) {
  std::vector<std::pair<std::pair<int64_t, uint64_t>, int>> due;
  for (const auto& [column, line] : open_) {
    const std::pair<int64_t, uint64_t> key{line.t, line.order};
    if (!upto.has_value() || key <= *upto) due.push_back({key, column});
  }
  std::sort(due.begin(), due.end());
  for (const auto& [key, column] : due) {
    out_(render(column, open_.at(column)));
    ++lines_;
    open_.erase(column);
  }
}

void StoryLog::on_event(const Event& e) {
  const std::string_view name = info_.kind_name(e.kind);
  if (name.starts_with("net.") || name.starts_with("timer.")) return;
  const int column = e.node == sim::kNoNode ? 0 : static_cast<int>(e.node) + 1;
  std::string text = phrase(e);
  const auto it = open_.find(column);
  if (it != open_.end() && it->second.text == text) {
    ++it->second.repeats;
    it->second.t_last = e.at.ns;
    return;
  }
  if (it != open_.end()) flush(std::make_pair(it->second.t, it->second.order));
  open_[column] = Line{e.at.ns, e.at.ns, arrivals_++, std::move(text), 1};
}

void StoryLog::end(sim::Instant end) {
  flush(std::nullopt);
  out_(fit(sim::format_seconds(end.ns), kTimeWidth) + "| end of the run (" +
       std::to_string(lines_) + " lines)\n");
}

}  // namespace lockstep::tools
