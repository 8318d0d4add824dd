// A run told as a story (`run --log [FILE]`): one line per semantic event (net.* and timer.* left
// out), in true-time order, written in its node's column so a short run reads across and down:
//
//     time     | world        | lock                     | c1                       | c2
//     1.004s   |              |                          | ACQUIRED #1 (lease 10s)  |
//     5.000s   |              |                          | PAUSED                   |
//
// Repeats are folded: while a node says the same thing again and again ("write c2 #2" every
// 500ms) its line stays open and is printed once, as "write c2 #2 x6 to 17.160s", when that node
// says something else (lines still print in order of their first event).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkers/words.hpp"
#include "sim/core/trace.hpp"

namespace lockstep::tools {

class StoryLog : public sim::TraceSink {
 public:
  using Writer = std::function<void(std::string_view)>;
  // `column` is the width of each node's column in characters.
  explicit StoryLog(Writer out, size_t column = 30);

  void begin(const sim::TraceInfo& info) override;
  void on_event(const sim::Event& e) override;
  void end(sim::Instant end) override;

  // What an event says in its column: "ACQUIRED #1 (lease 10s)"; empty for events left out.
  std::string phrase(const sim::Event& e);
  std::optional<std::string> kernel_phrase(const sim::Event& e) const;
  std::optional<std::string> lock_phrase(const sim::Event& e);  // tracks the highest token
  std::optional<std::string> election_phrase(const sim::Event& e) const;
  std::string node_field(const sim::Event& e, sim::Key k) const;

 private:
  struct Line {
    int64_t t = 0;
    int64_t t_last = 0;
    uint64_t order = 0;  // arrival, to keep equal times in trace order
    std::string text;
    int repeats = 1;
  };
  // Prints the open lines that began no later than `line` of `column` (all of them when
  // nullopt), oldest first, and closes them.
  void flush(std::optional<std::pair<int64_t, uint64_t>> upto);
  std::string render(int column, const Line& line) const;
  std::string row(int64_t t, int column, const std::string& text) const;

  Writer out_;
  size_t width_;
  sim::TraceInfo info_;
  checkers::Words w_;         // the protocol words it draws, resolved from info_
  std::map<int, Line> open_;  // by column (0: the world; node i is i + 1)
  uint64_t arrivals_ = 0;
  std::optional<int64_t> highest_token_;  // highest token the resource accepted
  uint64_t lines_ = 0;
};

}  // namespace lockstep::tools
