#include "checkers/linearizable/search.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

#include "sim/core/time.hpp"

namespace lockstep::checkers::linearizable {
namespace {

// SplitMix64's finalizer: a cheap, well-spread hash of one word.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// The (ops taken effect, model state) pairs the search has visited (Lowe §4: a configuration
// seen once need not be explored again). A set is stored exactly but compactly: every op up to
// the first one not yet taken effect is in it, so only the words from that one to the last op
// taken effect are kept (a window about as wide as the history's concurrency, not its length).
class Memo {
 public:
  Memo() : set_(1024, Hash{this}, Eq{this}) {}
  Memo(const Memo&) = delete;
  Memo& operator=(const Memo&) = delete;

  // True when the pair is new (and now remembered).
  bool insert(const std::vector<uint64_t>& bits, int64_t state, uint64_t hash) {
    size_t first = 0;
    while (first < bits.size() && bits[first] == ~uint64_t{0}) ++first;
    size_t end = bits.size();
    while (end > first && bits[end - 1] == 0) --end;
    entries_.push_back(Entry{arena_.size(), static_cast<uint32_t>(first),
                             static_cast<uint32_t>(end - first), state, hash});
    arena_.insert(arena_.end(), bits.begin() + static_cast<std::ptrdiff_t>(first),
                  bits.begin() + static_cast<std::ptrdiff_t>(end));
    if (set_.insert(static_cast<uint32_t>(entries_.size() - 1)).second) return true;
    arena_.resize(entries_.back().offset);
    entries_.pop_back();
    return false;
  }
  size_t bytes() const {
    // The arena and entries, plus about four words of hash-set node and bucket per entry.
    return arena_.capacity() * 8 + entries_.capacity() * sizeof(Entry) + set_.size() * 32;
  }

 private:
  struct Entry {
    size_t offset;   // into arena_
    uint32_t first;  // the first word not all ones
    uint32_t count;  // words kept from `first`; the rest are zero
    int64_t state;
    uint64_t hash;
  };
  struct Hash {
    const Memo* m;
    size_t operator()(uint32_t i) const { return m->entries_[i].hash; }
  };
  struct Eq {
    const Memo* m;
    bool operator()(uint32_t a, uint32_t b) const {
      const Entry& x = m->entries_[a];
      const Entry& y = m->entries_[b];
      if (x.hash != y.hash || x.state != y.state || x.first != y.first || x.count != y.count) {
        return false;
      }
      const uint64_t* p = m->arena_.data() + x.offset;
      return std::equal(p, p + x.count, m->arena_.data() + y.offset);
    }
  };
  std::vector<uint64_t> arena_;
  std::vector<Entry> entries_;
  // Only inserted into and counted, never iterated: its order cannot reach a verdict or a trace,
  // and its hash is the entry's own content hash, the same on every machine.
  std::unordered_set<uint32_t, Hash, Eq> set_;
};

// The search over one key's ops. Entries are the ops' invocations and completions in true-time
// order, in a doubly linked list (index 0 the head, last the tail) from which an op that takes
// effect is lifted, and to which it returns on backtracking (Lowe §3).
class KeySearch {
 public:
  // `ends[i]`: where op i's completion entry goes: its completion, or for an op of unknown
  // outcome the time after which taking effect could no longer matter (see ends_of).
  KeySearch(const History& h, std::vector<size_t> ops, const std::vector<int64_t>& ends,
            const Limits& limits, uint64_t& steps);
  Result run();

  std::string reason;
  size_t culprit = 0;  // index into History::ops
  int64_t state = kNil;
  std::vector<size_t> closest;

 private:
  struct Frame {
    uint32_t entry;
    int64_t state;
  };
  bool required(uint32_t local) const { return h_.ops[ops_[local]].outcome != Outcome::info; }
  bool take(uint32_t entry, bool skip);
  uint32_t undo();
  void stuck_at(uint32_t entry);
  void unlink(uint32_t e) {
    next_[prev_[e]] = next_[e];
    prev_[next_[e]] = prev_[e];
  }
  void relink(uint32_t e) {
    next_[prev_[e]] = e;
    prev_[next_[e]] = e;
  }
  void flip(uint32_t local) {
    bits_[local / 64] ^= uint64_t{1} << (local % 64);
    hash_ ^= mix(local);
  }

  const History& h_;
  const std::vector<size_t> ops_;  // this key's ops, as indices into History::ops
  const Limits& limits_;
  uint64_t& steps_;
  std::vector<uint32_t> op_of_;   // by entry: the local op
  std::vector<uint32_t> match_;   // by call entry: its completion entry
  std::vector<uint8_t> is_call_;  // by entry
  std::vector<uint32_t> next_, prev_;
  std::vector<uint64_t> bits_;  // the local ops that have taken effect
  uint64_t hash_ = 0;           // of bits_, kept incrementally
  int64_t state_ = kInitialState;
  std::vector<Frame> stack_;
  size_t remaining_ = 0;   // required ops not yet taken effect
  uint32_t frontier_ = 0;  // the furthest completion the search was stuck at
  Memo memo_;
};

KeySearch::KeySearch(const History& h, std::vector<size_t> ops, const std::vector<int64_t>& ends,
                     const Limits& limits, uint64_t& steps)
    : h_(h), ops_(std::move(ops)), limits_(limits), steps_(steps) {
  const size_t n = ops_.size();
  assert(n > 0 && n < (size_t{1} << 31));
  // (time, 0 = invocation / 1 = completion / 2 = an unknown op's end, op): at one instant
  // invocations come first, so ops that merely touch are concurrent (the reading that accuses no
  // one), and an unknown op's end comes after the completions it serves.
  std::vector<std::tuple<int64_t, int, uint32_t>> order;
  for (uint32_t i = 0; i < n; ++i) {
    const Op& op = h_.ops[ops_[i]];
    order.emplace_back(op.invoke_ns, 0, i);
    order.emplace_back(ends[ops_[i]], required(i) ? 1 : 2, i);
    remaining_ += required(i) ? 1 : 0;
  }
  std::sort(order.begin(), order.end());
  const size_t entries = 2 * n + 2;
  op_of_.assign(entries, 0);
  match_.assign(entries, 0);
  is_call_.assign(entries, 0);
  std::vector<uint32_t> call_of(n, 0);
  for (uint32_t e = 1; e <= 2 * n; ++e) {
    const auto& [at, completion, local] = order[e - 1];
    op_of_[e] = local;
    is_call_[e] = completion == 0 ? 1 : 0;
    if (completion == 0) call_of[local] = e;
    if (completion != 0) {
      match_[call_of[local]] = e;
      match_[e] = call_of[local];
    }
  }
  next_.resize(entries);
  prev_.resize(entries);
  for (uint32_t e = 0; e < entries; ++e) {
    next_[e] = e + 1 < entries ? e + 1 : e;
    prev_[e] = e > 0 ? e - 1 : 0;
  }
  bits_.assign((n + 63) / 64, 0);
}

Result KeySearch::run() {
  const uint32_t tail = static_cast<uint32_t>(next_.size() - 1);
  uint32_t e = next_[0];
  while (remaining_ > 0) {
    if (++steps_ > limits_.max_steps) {
      reason = "the search reached its bound of " + std::to_string(limits_.max_steps) + " steps";
      return Result::inconclusive;
    }
    // The ends of unknown ops that may matter forever sort last, after every required op's.
    assert(e != tail);
    if (is_call_[e] != 0 || !required(op_of_[e])) {
      // At an unknown op's end it either took effect already or never does: it is set aside
      // like an op taking effect that changes nothing.
      const bool skip = is_call_[e] == 0;
      if (!take(skip ? match_[e] : e, skip)) {
        if (skip) {
          if (stack_.empty()) return Result::not_linearizable;
          e = undo();
          continue;
        }
        e = next_[e];
        continue;
      }
      if (memo_.bytes() > limits_.max_memo_bytes) {
        reason = "the memo of visited states outgrew its bound of " +
                 std::to_string(limits_.max_memo_bytes >> 20) + " MiB";
        return Result::inconclusive;
      }
      e = next_[0];
      continue;
    }
    // A completion whose op has not taken effect: this order cannot go on.
    stuck_at(e);
    if (stack_.empty()) return Result::not_linearizable;
    e = undo();
  }
  return Result::linearizable;
}

// Lets the op invoked at `entry` take effect now, if the model allows and the resulting
// configuration is new.
bool KeySearch::take(uint32_t entry, bool skip) {
  const uint32_t local = op_of_[entry];
  int64_t next_state = state_;
  if (!skip && !step(state_, h_.ops[ops_[local]], next_state)) return false;
  flip(local);
  if (!memo_.insert(bits_, next_state, hash_ ^ mix(static_cast<uint64_t>(next_state)))) {
    flip(local);
    return false;
  }
  stack_.push_back(Frame{entry, state_});
  state_ = next_state;
  unlink(entry);
  unlink(match_[entry]);
  if (required(local)) --remaining_;
  return true;
}

// Takes back the op that took effect last; the walk resumes after its invocation.
uint32_t KeySearch::undo() {
  assert(!stack_.empty());
  const Frame f = stack_.back();
  stack_.pop_back();
  const uint32_t local = op_of_[f.entry];
  flip(local);
  state_ = f.state;
  relink(match_[f.entry]);
  relink(f.entry);
  if (required(local)) ++remaining_;
  return next_[f.entry];
}

// The furthest completion any order got stuck at names the op no order lets take effect; the
// order that got there is the closest to a linearization, and its state is the evidence.
void KeySearch::stuck_at(uint32_t entry) {
  if (entry <= frontier_) return;
  frontier_ = entry;
  culprit = ops_[op_of_[entry]];
  state = state_;
  closest.clear();
  const size_t keep = std::min<size_t>(stack_.size(), 3);
  for (size_t i = stack_.size() - keep; i < stack_.size(); ++i) {
    closest.push_back(ops_[op_of_[stack_[i].entry]]);
  }
}

}  // namespace

std::string_view result_name(Result r) {
  switch (r) {
    case Result::linearizable:
      return "linearizable";
    case Result::not_linearizable:
      return "not linearizable";
    case Result::inconclusive:
      return "inconclusive";
  }
  return "?";
}

namespace {

// The culprit, the closest order's last ops, and the ops that overlap the culprit in true time
// (at most kMaxConcurrent of them, the nearest by invocation): what a person needs to see.
constexpr size_t kMaxConcurrent = 8;

std::vector<size_t> window_of(const History& h, const std::vector<size_t>& key_ops,
                              const KeySearch& s) {
  const Op& x = h.ops[s.culprit];
  std::vector<std::pair<int64_t, size_t>> near;
  for (size_t i : key_ops) {
    const Op& op = h.ops[i];
    if (i == s.culprit || op.invoke_ns > x.complete_ns || op.complete_ns < x.invoke_ns) continue;
    const int64_t d =
        op.invoke_ns > x.invoke_ns ? op.invoke_ns - x.invoke_ns : x.invoke_ns - op.invoke_ns;
    near.emplace_back(d, i);
  }
  std::sort(near.begin(), near.end());
  if (near.size() > kMaxConcurrent) near.resize(kMaxConcurrent);
  std::vector<size_t> out = s.closest;
  out.push_back(s.culprit);
  for (const auto& [d, i] : near) out.push_back(i);
  std::sort(out.begin(), out.end(), [&](size_t a, size_t b) {
    return std::tie(h.ops[a].invoke_ns, a) < std::tie(h.ops[b].invoke_ns, b);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

namespace {

// Where each op's completion entry goes; -1: the op is left out. An op of unknown outcome need
// never take effect after the last op that could observe it: a write or cas after the last read
// that returned its value and the last cas that expected it (while its value stands nothing can
// run but other writes, so an order with it there is still an order without it); an acquire
// after its process's last release (it would hold the lock forever). So its end is there, and
// with no such op at all it is left out. Without this, every unknown op doubles the states the
// search may visit: it could take effect anywhere after its invocation, or never.
std::vector<int64_t> ends_of(const History& h, Model model) {
  std::map<std::pair<size_t, int64_t>, int64_t> seen;     // (key, value): last observer's end
  std::map<std::pair<size_t, size_t>, int64_t> released;  // (key, process): last release's end
  std::map<std::pair<size_t, size_t>, int64_t> from;      // (key, process): last release invoked
  auto later = [](auto& m, auto k, int64_t t) {
    auto [it, fresh] = m.try_emplace(k, t);
    if (!fresh) it->second = std::max(it->second, t);
  };
  for (const Op& op : h.ops) {
    if (op.outcome == Outcome::fail) continue;
    if (op.f == Fn::read && op.outcome == Outcome::ok)
      later(seen, std::pair{op.key, op.value}, op.complete_ns);
    if (op.f == Fn::cas) later(seen, std::pair{op.key, op.expect}, op.complete_ns);
    if (op.f == Fn::release) {
      later(released, std::pair{op.key, op.process}, op.complete_ns);
      later(from, std::pair{op.key, op.process}, op.invoke_ns);
    }
  }
  std::vector<int64_t> out(h.ops.size());
  for (size_t i = 0; i < h.ops.size(); ++i) {
    const Op& op = h.ops[i];
    out[i] = op.complete_ns;
    if (op.outcome != Outcome::info) continue;
    if (model != Model::lock && (op.f == Fn::write || op.f == Fn::cas)) {
      const auto it = seen.find({op.key, op.value});
      out[i] = it == seen.end() ? -1 : std::max(it->second, op.invoke_ns);
    }
    if (op.f == Fn::acquire) {
      const auto it = from.find({op.key, op.process});
      out[i] =
          it == from.end() || it->second < op.invoke_ns ? -1 : released.at({op.key, op.process});
    }
  }
  return out;
}

}  // namespace

Report check(const History& h, Model model, const Limits& limits) {
  // The ops each key's search must place: a failed op took no effect, a read whose outcome is
  // unknown returned nothing and changed nothing, and an unobservable unknown op may be left out.
  const std::vector<int64_t> ends = ends_of(h, model);
  std::vector<std::vector<size_t>> by_key(h.keys.size());
  Report r;
  for (size_t i = 0; i < h.ops.size(); ++i) {
    const Op& op = h.ops[i];
    assert(model_knows(model, op.f));
    assert(op.key < by_key.size());
    if (op.outcome == Outcome::fail) continue;
    if (op.outcome == Outcome::info && (op.f == Fn::read || ends[i] < 0)) {
      r.left_out += op.f == Fn::read ? 0 : 1;
      continue;
    }
    by_key[op.key].push_back(i);
  }
  for (const std::vector<size_t>& ops : by_key) r.keys += ops.empty() ? 0 : 1;
  bool undecided = false;
  for (size_t k = 0; k < by_key.size(); ++k) {
    if (by_key[k].empty()) continue;
    // An undecided key does not stop the others while steps remain: a violation elsewhere
    // still decides the history.
    if (r.steps >= limits.max_steps) break;
    KeySearch s(h, by_key[k], ends, limits, r.steps);
    const Result result = s.run();
    if (result == Result::linearizable) {
      ++r.keys_checked;
      continue;
    }
    if (result == Result::inconclusive) {
      if (!undecided && r.result != Result::not_linearizable) {
        r.key = k;
        r.reason = s.reason;
      }
      undecided = true;
      continue;
    }
    // The first violated key is the one explained; the search goes on to name the others.
    if (r.result == Result::not_linearizable) {
      r.also_violated.push_back({k, s.culprit, s.state});
      continue;
    }
    r.result = result;
    r.key = k;
    r.reason.clear();
    r.culprit = s.culprit;
    r.state = s.state;
    r.closest = s.closest;
    r.window = window_of(h, by_key[k], s);
  }
  if (undecided && r.result != Result::not_linearizable) r.result = Result::inconclusive;
  return r;
}

namespace {

std::string op_with_times(const Op& op, const History& h) {
  std::string out = describe_op(op, h) + " (invoked at " + sim::format_seconds(op.invoke_ns);
  if (op.complete_ns != kNever) out += ", completed at " + sim::format_seconds(op.complete_ns);
  return out + ")";
}

// Why this op cannot take effect, in the model's terms.
std::string what_it_means(const Op& x, Model mixed, int64_t state, const History& h) {
  const Model model = key_model(mixed, x.f);
  switch (x.f) {
    case Fn::acquire:
      return "in the closest order the lock is " + describe_state(model, state, h) +
             " by then, so two clients held it at once";
    case Fn::release:
      return "in the closest order the lock is " + describe_state(model, state, h) +
             " by then, so it released a lock it did not hold";
    case Fn::read:
      return "in the closest order the value is " + describe_state(model, state, h) +
             " by then, so the read returned a stale, lost or never-written value";
    case Fn::cas:
      return "in the closest order the value is " + describe_state(model, state, h) +
             " by then, so the compare-and-set succeeded against a value that was not there";
    case Fn::write:
      break;
  }
  return "in the closest order the value is " + describe_state(model, state, h) + " by then";
}

size_t unknown_on(const History& h, size_t key) {
  size_t n = 0;
  for (const Op& op : h.ops) n += op.key == key && op.outcome == Outcome::info ? 1 : 0;
  return n;
}

}  // namespace

std::string explain(const Report& r, const History& h, Model model) {
  const std::string name(model_name(model));
  switch (r.result) {
    case Result::linearizable:
      return "All " + std::to_string(h.ops.size()) + " ops on " + std::to_string(r.keys) +
             " key(s) have an order that respects real time and the " + name + " model (" +
             std::to_string(r.steps) + " search steps" +
             (r.left_out == 0 ? std::string()
                              : "; " + std::to_string(r.left_out) +
                                    " ops of unknown outcome nothing observed were left out") +
             ").";
    case Result::inconclusive:
      return "Undecided on key '" + h.keys[r.key] + "' (" + std::to_string(unknown_on(h, r.key)) +
             " ops of unknown outcome there): " + r.reason + " after " + std::to_string(r.steps) +
             " steps; " + std::to_string(r.keys_checked) + " of " + std::to_string(r.keys) +
             " keys were decided and linearizable. Raise max_steps or check a shorter history.";
    case Result::not_linearizable:
      break;
  }
  const Op& x = h.ops[r.culprit];
  std::string out = "On key '" + h.keys[r.key] + "', " + op_with_times(x, h) +
                    " cannot take effect in any order of the ops before it that respects real "
                    "time and the " +
                    name + " model: " + what_it_means(x, model, r.state, h);
  if (!r.closest.empty()) {
    out += " (the closest order ends with " + describe_op(h.ops[r.closest.back()], h) + ")";
  }
  out += ". " + std::to_string(r.window.size()) + " ops are involved.";
  for (const Report::Violation& v : r.also_violated) {
    out += " Key '" + h.keys[v.key] +
           "' is not linearizable either: " + op_with_times(h.ops[v.culprit], h) +
           " cannot take effect; " + what_it_means(h.ops[v.culprit], model, v.state, h) + ".";
  }
  return out;
}

}  // namespace lockstep::checkers::linearizable
