// A client history: operations with the process that ran them, what they asked (f, key,
// arguments), what came back (ok / fail / info = unknown outcome) and the true times between
// which they happened. The JSONL reader and the trace checker build one through HistoryBuilder,
// which applies the same pairing rules to both (docs/history-format.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::checkers::linearizable {

// The operations a model may know; the numbers are the trace's `f` field codes.
enum class Fn : uint8_t { acquire = 1, release = 2, read = 3, write = 4, cas = 5 };
std::string_view fn_name(Fn f);
std::optional<Fn> fn_from_name(std::string_view name);
std::optional<Fn> fn_from_code(int64_t code);

// ok: it took effect and returned; fail: it certainly did not take effect; info: unknown (a
// timeout, a crash): it may take effect at any time after its invocation, or never.
enum class Outcome : uint8_t { ok, fail, info };
std::string_view outcome_name(Outcome o);

// No value: a read of a key never written (JSON null), a cas argument left out.
inline constexpr int64_t kNil = std::numeric_limits<int64_t>::min();
// The completion time of an op whose outcome is unknown: it stays open forever.
inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

struct Op {
  size_t process = 0;  // index into History::processes
  size_t key = 0;      // index into History::keys
  Fn f = Fn::read;
  Outcome outcome = Outcome::ok;
  int64_t value = kNil;   // write/cas: the value written; read ok: the value read; acquire: token
  int64_t expect = kNil;  // cas: the value compared against
  int64_t invoke_ns = 0;
  int64_t complete_ns = kNever;  // kNever for info
  // Where the invocation and completion were recorded (a file line, an event's position); -1
  // when there was none (an op a crash or the end of the history closed).
  int64_t invoke_ref = -1;
  int64_t complete_ref = -1;
};

struct History {
  std::vector<Op> ops;                 // in order of invocation
  std::vector<std::string> processes;  // names, by index
  std::vector<std::string> keys;       // names, by index
  size_t failed = 0;                   // fail ops: kept, but no model step considers them
  size_t unknown = 0;                  // info ops
};

// "c1 write 3", "c2 read -> 4", "c3 cas 1->2", "c1 acquire -> token 7": an op for people.
std::string describe_op(const Op& op, const History& h);

// Pairs invocations with completions, one open op per process at most.
class HistoryBuilder {
 public:
  // A bound on the ops kept, so a hostile input cannot exhaust memory.
  static constexpr size_t kMaxOps = 10'000'000;

  // Names are interned: the same name gives the same index.
  size_t process(std::string_view name) { return intern(h_.processes, process_ids_, name); }
  size_t key(std::string_view name) { return intern(h_.keys, key_ids_, name); }

  // Each returns an empty string when accepted, else the problem (for "FILE:LINE: field ...").
  // `field` tells the caller which field the problem is about.
  struct Problem {
    std::string field;
    std::string text;
    bool ok() const { return text.empty(); }
  };
  Problem invoke(size_t process, Fn f, size_t key, int64_t value, int64_t expect, int64_t at_ns,
                 int64_t ref);
  // `f` and `key` are checked against the invocation when given; `value` is the result (read ok,
  // acquire ok), ignored for other ops.
  Problem complete(size_t process, Outcome outcome, std::optional<Fn> f, std::optional<size_t> key,
                   std::optional<int64_t> value, int64_t at_ns, int64_t ref);
  // The process crashed: its open op, if any, has an unknown outcome.
  void crash(size_t process);
  // The open op of `process` (its index in ops), if any.
  std::optional<size_t> open(size_t process) const;
  const Op& op_at(size_t index) const { return h_.ops.at(index); }

  // Every op still open becomes info.
  History finish();

 private:
  using Ids = std::map<std::string, size_t, std::less<>>;
  static size_t intern(std::vector<std::string>& names, Ids& ids, std::string_view name);

  History h_;
  std::vector<std::optional<size_t>> open_;    // by process: the open op's index
  std::vector<std::optional<bool>> lock_key_;  // by key: whether its ops are acquire/release
  Ids process_ids_;
  Ids key_ids_;
};

}  // namespace lockstep::checkers::linearizable
