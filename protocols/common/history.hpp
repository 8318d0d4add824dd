// Client histories in the trace: a client (the node is the process; it has at most one
// operation outstanding) records each operation as op.invoke, then op.ok, op.fail, or op.info
// (outcome unknown), as Jepsen-style histories do, so a linearizability checker can read them.
// Fields: `f` the operation, `key`, `value` (write: the value written; a read's ok: the value
// read; acquire's ok: the token), `expect` (cas only). Protocols include these specs in their own.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols {

enum class HistoryOp : int64_t { acquire = 1, release = 2, read = 3, write = 4, cas = 5 };
enum class HistoryStep : uint8_t { invoke, ok, fail, info };

std::vector<sim::FieldSpec> history_fields();
std::vector<sim::ObservationSpec> history_observations();

// The resolved ids; emit() records one step of this process's operation.
class History {
 public:
  void resolve(const sim::Vocabulary& v);
  void emit(sim::Context& ctx, HistoryStep step, HistoryOp f, int64_t key, int64_t value) const;
  void emit_cas(sim::Context& ctx, HistoryStep step, int64_t key, int64_t expect,
                int64_t value) const;

 private:
  sim::Kind kinds_[4] = {sim::kNoKind, sim::kNoKind, sim::kNoKind, sim::kNoKind};
  sim::Key f_ = sim::kNoKey, key_ = sim::kNoKey, value_ = sim::kNoKey, expect_ = sim::kNoKey;
};

}  // namespace lockstep::protocols
