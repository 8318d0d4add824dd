// The sequential specifications a history is checked against: a mutex lock (acquire/release, the
// holder is the process), a register (read/write) and a compare-and-set register
// (read/write/cas), or `mixed`: each key by its own ops, a lock where they are acquire/release,
// a compare-and-set register where they are read/write/cas (a lock client that also records its
// writes to the guarded resource). A state is one integer: the register's value (kNil before any
// write) or the lock's holder process (kNil when free). Steps are pure and inline: the search calls
// them on its hot path.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "checkers/linearizable/history.hpp"

namespace lockstep::checkers::linearizable {

enum class Model : uint8_t { lock, register_, cas, mixed };

inline constexpr std::string_view kModelNames = "lock|register|cas|mixed";
std::string_view model_name(Model m);
std::optional<Model> model_from_name(std::string_view name);
// Whether the model has this operation at all (the lock has no reads; the register no cas).
bool model_knows(Model m, Fn f);
// The model a key whose ops include `f` is checked against: `m` itself, but for `mixed` the lock
// or the compare-and-set register that `f` belongs to.
Model key_model(Model m, Fn f);
// "free" / "held by c1" / "4" / "nil": a state for people.
std::string describe_state(Model m, int64_t state, const History& h);

inline constexpr int64_t kInitialState = kNil;

// Whether `op` can take effect in `state`, and the state it leaves in `next`. An op whose
// outcome is unknown returned nothing, so only its effect is checked; a read with an unknown
// outcome never reaches here (it constrains nothing and is left out of the search). The model
// is implied by the ops: a history with an op its model does not know was refused before.
inline bool step(int64_t state, const Op& op, int64_t& next) {
  switch (op.f) {
    case Fn::acquire:
      // A mutex whose holder alone releases it (etcd concurrency.Mutex, Chubby): granted only
      // when free.
      if (state != kNil) return false;
      next = static_cast<int64_t>(op.process);
      return true;
    case Fn::release:
      // Only the holder releases.
      if (state != static_cast<int64_t>(op.process)) return false;
      next = kNil;
      return true;
    case Fn::read:
      next = state;
      return op.value == state;
    case Fn::write:
      next = op.value;
      return true;
    case Fn::cas:
      if (state != op.expect) return false;
      next = op.value;
      return true;
  }
  return false;
}

}  // namespace lockstep::checkers::linearizable
