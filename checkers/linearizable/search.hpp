// Is a history linearizable with respect to a model? The Wing & Gong search with Lowe's
// just-in-time linearization and memoization ("Testing for linearizability", Concurrency and
// Computation 2017, §3-4): walk the history's invocations and completions in true-time order,
// let an invoked op take effect when the model allows, backtrack at a completion whose op has not
// taken effect, and never revisit a (set of ops taken effect, model state) pair. Keys are
// independent objects, so each key is checked alone (Herlihy & Wing's locality; Horn & Kroening,
// "Faster linearizability checking via P-compositionality", 2015). A step bound keeps a
// pathological history from running forever: hitting it gives "inconclusive", with the reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "checkers/linearizable/history.hpp"
#include "checkers/linearizable/model.hpp"

namespace lockstep::checkers::linearizable {

struct Limits {
  uint64_t max_steps = 20'000'000;            // search steps over all keys
  size_t max_memo_bytes = size_t{512} << 20;  // the memo of visited (ops, state) pairs
};

enum class Result : uint8_t { linearizable, not_linearizable, inconclusive };
std::string_view result_name(Result r);

struct Report {
  Result result = Result::linearizable;
  std::string reason;  // inconclusive: why the search stopped
  uint64_t steps = 0;
  size_t keys = 0;          // keys with at least one op
  size_t keys_checked = 0;  // keys the search decided
  size_t left_out = 0;      // unknown-outcome writes, cas and acquires nothing could observe
  // Not linearizable: on `key`, `culprit` (an index into History::ops) completed, and no order
  // of the ops before it consistent with real time and the model lets it take effect. The
  // closest order found leaves the model in `state`, its last ops `closest` (oldest first).
  size_t key = 0;
  size_t culprit = 0;
  int64_t state = kNil;
  std::vector<size_t> closest;
  std::vector<size_t> window;  // the ops involved, culprit included, by invocation time
  // The other keys found not linearizable, in key order, each with its culprit and the state
  // its closest order reached.
  struct Violation {
    size_t key = 0;
    size_t culprit = 0;
    int64_t state = kNil;
  };
  std::vector<Violation> also_violated;
};

// Every op of `h` must be one `model` knows (model_knows); callers refuse other histories.
Report check(const History& h, Model model, const Limits& limits = {});

// Two or three sentences: the verdict and what it rests on.
std::string explain(const Report& r, const History& h, Model model);

}  // namespace lockstep::checkers::linearizable
