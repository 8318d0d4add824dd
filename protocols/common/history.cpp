#include "protocols/common/history.hpp"

#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols {

std::vector<sim::FieldSpec> history_fields() {
  using sim::FieldType;
  return {
      {"f", FieldType::integer,
       "a client operation: 1 acquire, 2 release, 3 read, 4 write, 5 compare-and-set"},
      {"key", FieldType::integer, "the key (lock, register) a client operation is on"},
      {"value", FieldType::integer,
       "write: the value written; a read's ok: the value read; acquire's ok: the token"},
      {"expect", FieldType::integer, "compare-and-set: the value the operation expects"},
  };
}

std::vector<sim::ObservationSpec> history_observations() {
  return {
      {"op.invoke",
       "client",
       {"f", "key", "value", "expect"},
       "the client (one process, one operation at a time) starts operation `f` on `key`"},
      {"op.ok", "client", {"f", "key", "value"}, "the operation took effect (with its result)"},
      {"op.fail", "client", {"f", "key"}, "the operation certainly did not take effect"},
      {"op.info",
       "client",
       {"f", "key"},
       "the client does not know whether the operation took effect"},
  };
}

void History::resolve(const sim::Vocabulary& v) {
  kinds_[0] = kind_id(v, "op.invoke");
  kinds_[1] = kind_id(v, "op.ok");
  kinds_[2] = kind_id(v, "op.fail");
  kinds_[3] = kind_id(v, "op.info");
  f_ = key_id(v, "f");
  key_ = key_id(v, "key");
  value_ = key_id(v, "value");
  expect_ = key_id(v, "expect");
}

void History::emit(sim::Context& ctx, HistoryStep step, HistoryOp f, int64_t key,
                   int64_t value) const {
  assert(f != HistoryOp::cas && "cas carries `expect`: use emit_cas");
  const sim::Kind kind = kinds_[static_cast<size_t>(step)];
  assert(kind != sim::kNoKind && "resolve() first");
  const auto fv = static_cast<int64_t>(f);
  if (step == HistoryStep::fail || step == HistoryStep::info) {
    ctx.observe(kind, {{f_, fv}, {key_, key}});
    return;
  }
  ctx.observe(kind, {{f_, fv}, {key_, key}, {value_, value}});
}

void History::emit_cas(sim::Context& ctx, HistoryStep step, int64_t key, int64_t expect,
                       int64_t value) const {
  const sim::Kind kind = kinds_[static_cast<size_t>(step)];
  assert(kind != sim::kNoKind && "resolve() first");
  const auto fv = static_cast<int64_t>(HistoryOp::cas);
  ctx.observe(kind, {{f_, fv}, {key_, key}, {value_, value}, {expect_, expect}});
}

}  // namespace lockstep::protocols
