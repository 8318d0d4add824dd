// The fast path of the trace reader: an event line exactly as lockstep's JSONL writer writes it
// (one flat object, no whitespace, ASCII strings without escapes, integers of at most 18 digits)
// is read here in one pass with no allocation. Any other line, valid or not, is left to the full
// reader (tools/trace/trace_reader.cpp), which reads every valid line to the same event and
// words every error; so the fast path changes no result and no message, only the speed.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/core/vocabulary.hpp"

namespace lockstep::tools {

class FastLine {
 public:
  // `nodes` and `messages` are the header's names by index; both must outlive this reader, as
  // must `vocabulary` (names are looked up by views into them).
  FastLine(const sim::Vocabulary& vocabulary, std::span<const std::string> nodes,
           std::span<const std::string> messages);

  // True with `out` and `text` filled when `line` is a writer-shaped event line whose every
  // name and value the header and the vocabulary accept. False otherwise, with `out` and
  // `text` unspecified. `text` views into `line`.
  bool read(std::string_view line, sim::Event& out, std::string_view& text) const;

 private:
  struct Cursor;
  bool value(Cursor& c, std::string_view key, sim::Event& out, std::string_view& text,
             unsigned& seen) const;
  bool field(Cursor& c, sim::Key key, sim::Event& out) const;
  static bool done(const Cursor& c, sim::Event& out, unsigned seen);

  const sim::Vocabulary& vocabulary_;
  size_t message_count_;
  // Names to values, looked up by view: open addressing in a power-of-two table with FNV-1a
  // (names are a few bytes), so a lookup costs no division. Lookups only, never iterated.
  template <class T>
  class Names {
   public:
    void add(std::string_view name, T value);  // a name added again keeps its first value
    bool find(std::string_view name, T& out) const;

   private:
    struct Slot {
      std::string_view name;
      T value{};
      bool used = false;
    };
    static size_t hash(std::string_view s) {
      uint64_t h = 14695981039346656037ull;
      for (const char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
      return static_cast<size_t>(h ^ (h >> 29));
    }
    void grow();
    std::vector<Slot> slots_ = std::vector<Slot>(8);
    size_t count_ = 0;
  };
  Names<sim::NodeIndex> nodes_;
  Names<int64_t> messages_;  // a repeated name: its first index
  Names<sim::Kind> kinds_;
  Names<sim::Key> keys_;
};

}  // namespace lockstep::tools
