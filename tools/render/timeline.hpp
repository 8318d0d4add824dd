// The space-time diagram of a run as one self-contained HTML page (`run --timeline out.html`): a
// lane per node; who held the lock or led, coloured by token or term; pauses, crashes, cut links,
// clock steps and partitions; sampled message arrows and drops; resource writes (a stale accepted
// write highlighted, a rejected one labelled with its token and the resource's highest); and the
// first violation of each violated checker, explained in words. Each drawn event keeps its kind,
// fields and its node's clock readings for the page's hover and details panel. The page draws
// itself with inline script (no network, no external files), zooms and pans, and lays its labels
// out so that none overlap; its script and stylesheet are tools/render/timeline*.{js,css},
// embedded at build time.
//
// It is a TraceSink fed during the run. Memory and file size are bounded: messages, drops, writes
// and minor marks are sampled per time column as they stream by, and the page says how many it
// left out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/checker.hpp"
#include "checkers/words.hpp"
#include "sim/core/trace.hpp"

namespace lockstep::tools {

// The version of the JSON object the page reads (`<script id="timeline-data">`): named fields
// throughout (docs/trace-format.md, "The timeline's data"). Bumped when a field changes meaning.
// 3: items drawn from one event carry it whole as `ev` (kind, both local clock readings, every
// field by name), rejected writes their `highest`, cut spans the `faults` that cut them, and
// message arrows their `id` and the sender's and receiver's clock readings.
inline constexpr int kTimelineDataVersion = 3;

struct TimelineLimits {
  int64_t columns = 1000;            // time columns the run is cut into for sampling
  uint32_t messages_per_column = 2;  // message arrows kept per column (~2000 in all)
  uint32_t drops_per_column = 2;     // drop marks kept per column
  uint32_t writes_per_column = 3;    // accepted writes kept per column (stale ones always)
  uint32_t marks_per_column = 4;     // minor marks (grants, renewals, elections) per column
  size_t max_items = 20'000;         // bars, spans and major marks, each
};

// What the page shows besides the trace: the run's report.
struct TimelineMeta {
  std::string summary;
  std::string hash;
  std::string replay;
};

class TimelineSink : public sim::TraceSink {
 public:
  explicit TimelineSink(TimelineLimits limits = {}) : limits_(limits) {}

  void begin(const sim::TraceInfo& info) override;
  void on_event(const sim::Event& e) override;
  void end(sim::Instant end) override;

  // The page; valid after end(). `results` are the run's verdicts, in configuration order.
  std::string html(const std::vector<checkers::CheckResult>& results,
                   const TimelineMeta& meta) const;
  // Writes html() to `path` through a temporary file; false when it cannot be written.
  bool write(const std::string& path, const std::vector<checkers::CheckResult>& results,
             const TimelineMeta& meta) const;

  // Items kept, for tests.
  size_t message_count() const { return msgs_.size(); }
  uint64_t messages_sent() const { return sent_; }

  struct Bar {
    sim::NodeIndex node;
    bool leader;  // false: a lock holding
    int64_t t0, t1;
    std::optional<int64_t> value;  // token or term
    std::string end;               // what ended it: released, expired, lost, crash, ..., open
    nlohmann::json ev = nullptr;   // the event that began it (timeline_event_json)
  };
  struct Span {
    sim::NodeIndex node;
    std::string kind;  // pause, down, cut, wait
    int64_t t0, t1;
    std::string text;
    double share = 1;  // cut: the largest share of the node's links that were down at once
    nlohmann::json ev = nullptr;           // the event that began it; for a cut, the fault's
    std::vector<std::string> faults = {};  // cut: the descriptions of the faults that cut its links
  };
  struct Mark {
    sim::NodeIndex node;  // kNoNode: the whole system (partition, cut, heal)
    std::string kind;     // lease-ended, grant, renew, crash, restart, clock-step, ...
    int64_t t;
    std::string label;  // short, drawn beside the mark
    std::string title;  // longer, on hover
    std::optional<int64_t> holder, token;
    nlohmann::json ev = nullptr;
  };
  struct Write {
    sim::NodeIndex node;
    int64_t t;
    int64_t writer;  // node index or -1
    std::optional<int64_t> token;
    std::string status;              // accepted, stale, rejected
    std::optional<int64_t> highest;  // rejected: the highest token the resource had accepted
    nlohmann::json ev = nullptr;
  };
  struct Msg {
    sim::NodeIndex from, to;
    int64_t t0, t1;
    int64_t type;
    bool dropped;
    int64_t id;
    int64_t mono0, wall0;  // the sender's clock readings when it sent
    int64_t mono1, wall1;  // the receiver's (dropped: the dropping node's) when it arrived
  };
  struct Drop {
    sim::NodeIndex node;
    int64_t t;
    int64_t type;
    nlohmann::json ev = nullptr;
  };

 private:
  struct NodeState {
    std::optional<Bar> lock, leader;
    int pauses = 0;
    int64_t pause_t0 = 0;
    std::string pause_text;
    std::optional<int64_t> down_t0;
    std::string down_text;
    int links_down = 0;
    int links_down_max = 0;
    int64_t cut_t0 = 0;
    std::optional<int64_t> wait_t0;
    nlohmann::json pause_ev, down_ev, wait_ev;  // the events that began the open spans
    std::vector<int64_t> cut_faults;            // the faults that cut links of this node, by id
  };
  struct Pending {
    sim::NodeIndex from, to;
    int64_t t0, type;
    int64_t mono0, wall0;
  };

  // Keeps at most `cap` items per time column, spread over the column rather than its first
  // ones: once a column's rate is known from the one before, an item is a candidate when a hash
  // of its key falls in a 1-in-(rate / 2 cap) slot, so busy senders do not crowd out the others.
  struct Sampler {
    std::vector<uint32_t> kept;  // per column
    uint32_t cap = 0;
    int64_t column = -1;  // the column being filled
    uint64_t seen = 0;    // items offered to it
    uint64_t stride = 1;
    bool admit(int64_t col, uint64_t key);
  };
  int64_t column_of(int64_t t) const;
  bool admit(Sampler& s, int64_t t, uint64_t key) { return s.admit(column_of(t), key); }
  void add_bar(Bar bar);
  void add_span(Span span);
  void add_mark(Mark mark, const sim::Event& e);
  void close_lock(sim::NodeIndex node, int64_t t, const std::string& why);
  void close_leader(sim::NodeIndex node, int64_t t, const std::string& why);
  void on_lock(const sim::Event& e, NodeState& s);
  void on_fault(const sim::Event& e);
  void on_net(const sim::Event& e);
  void on_link(const sim::Event& e, int delta);
  Span cut_span(sim::NodeIndex node, const NodeState& s, int64_t t1) const;
  void on_other(const sim::Event& e);
  std::string node_name(int64_t i) const;
  void items_json(nlohmann::json& d) const;
  std::string data_json(const std::vector<checkers::CheckResult>& results,
                        const TimelineMeta& meta) const;

  TimelineLimits limits_;
  sim::TraceInfo info_;
  checkers::Words w_;  // the protocol words it draws, resolved from info_
  int64_t end_ns_ = 0;
  std::vector<NodeState> nodes_;
  std::vector<Bar> bars_;
  std::vector<Span> spans_;
  std::vector<Mark> marks_;
  std::vector<Write> writes_;
  std::vector<Msg> msgs_;
  std::vector<Drop> drops_;
  std::map<int64_t, Pending> pending_;  // sampled messages in flight, by msg_id
  // Each link fault's description and starting event, by fault id, for the cuts it makes.
  std::map<int64_t, std::pair<std::string, nlohmann::json>> link_faults_;
  Sampler msg_cols_, drop_cols_, write_cols_, mark_cols_;
  std::optional<int64_t> highest_token_;
  uint64_t sent_ = 0, dropped_ = 0, writes_total_ = 0, hidden_items_ = 0;
};

// `s` with < > & " as entities, for HTML and SVG text and attribute values.
std::string html_escape(std::string_view s);

}  // namespace lockstep::tools
