// Raft's replicated log (Raft paper §5.3, Fig. 2): entries indexed from 1, each with the term it
// was created in; the consistency check on AppendEntries, conflict truncation, and the
// up-to-date comparison voters make (§5.4.1). The log is in memory; node.cpp mirrors every change
// into the host's storage model so a crash keeps exactly what the disk kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lockstep::protocols::raft {

// One log entry: fixed size so it travels as a payload item and is stored as one record.
// `id` names the proposal (proposer and sequence) so checkers can tell entries apart; `op` and
// `args` belong to the state machine (0: a no-op, §8).
struct Entry {
  uint64_t term;
  uint64_t id;
  uint64_t op;
  uint64_t args[3];
};
static_assert(sizeof(Entry) == 48);

// (last log term, last log index), compared lexicographically: §5.4.1 "If the logs have last
// entries with different terms, then the log with the later term is more up-to-date. If the logs
// end with the same term, then whichever log is longer is more up-to-date."
struct LogPosition {
  uint64_t term;
  uint64_t index;
};
inline bool at_least_as_up_to_date(LogPosition candidate, LogPosition voter) {
  if (candidate.term != voter.term) return candidate.term > voter.term;
  return candidate.index >= voter.index;
}

class Log {
 public:
  uint64_t last_index() const { return entries_.size(); }
  uint64_t last_term() const { return entries_.empty() ? 0 : entries_.back().term; }
  LogPosition last() const { return {last_term(), last_index()}; }
  // The term of entry `index` (0 for index 0, the empty prefix). Requires index <= last_index().
  uint64_t term_at(uint64_t index) const;
  const Entry& at(uint64_t index) const;
  // Entries [from, from + max) that exist, for an AppendEntries.
  std::span<const Entry> slice(uint64_t from, size_t max) const;

  // Fig. 2, AppendEntries receiver rule 2: the log contains an entry at prev_index whose term
  // matches prev_term.
  bool matches(uint64_t prev_index, uint64_t prev_term) const;

  // Rules 3 and 4: entries follow prev_index; an existing entry that conflicts (same index,
  // different term) is deleted with all that follow it, and new entries are appended. Entries
  // already present are left alone (a stale, shorter AppendEntries must not truncate, §5.3).
  // Returns the index from which the log changed (last_index() + 1 when nothing changed).
  uint64_t merge(uint64_t prev_index, std::span<const Entry> entries);

  void append(const Entry& e) { entries_.push_back(e); }
  void truncate(uint64_t keep) { entries_.resize(keep); }

 private:
  std::vector<Entry> entries_;  // entries_[i] is index i + 1
};

}  // namespace lockstep::protocols::raft
