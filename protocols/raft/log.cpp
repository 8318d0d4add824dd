#include "protocols/raft/log.hpp"

#include <algorithm>
#include <cassert>

namespace lockstep::protocols::raft {

uint64_t Log::term_at(uint64_t index) const {
  assert(index <= last_index());
  return index == 0 ? 0 : entries_[index - 1].term;
}

const Entry& Log::at(uint64_t index) const {
  assert(index >= 1);
  assert(index <= last_index());
  return entries_[index - 1];
}

std::span<const Entry> Log::slice(uint64_t from, size_t max) const {
  assert(from >= 1);
  if (from > last_index()) return {};
  const size_t begin = from - 1;
  const size_t n = std::min(max, entries_.size() - begin);
  return std::span<const Entry>(entries_).subspan(begin, n);
}

bool Log::matches(uint64_t prev_index, uint64_t prev_term) const {
  return prev_index <= last_index() && term_at(prev_index) == prev_term;
}

uint64_t Log::merge(uint64_t prev_index, std::span<const Entry> entries) {
  assert(prev_index <= last_index() && "merge follows a successful consistency check");
  uint64_t changed = last_index() + 1;
  for (size_t k = 0; k < entries.size(); ++k) {
    const uint64_t index = prev_index + 1 + k;
    if (index <= last_index()) {
      if (term_at(index) == entries[k].term) continue;  // already there (§5.3 Log Matching)
      truncate(index - 1);                              // a conflict: drop it and what follows
    }
    changed = std::min(changed, index);
    entries_.push_back(entries[k]);
  }
  assert(last_index() >= prev_index + entries.size());
  return changed;
}

}  // namespace lockstep::protocols::raft
