#include "checkers/linearizable/history.hpp"

#include <cassert>

#include "sim/core/time.hpp"

namespace lockstep::checkers::linearizable {
namespace {

constexpr std::string_view kFnNames[] = {"acquire", "release", "read", "write", "cas"};

std::string value_text(int64_t v) { return v == kNil ? std::string("nil") : std::to_string(v); }

}  // namespace

std::string_view fn_name(Fn f) {
  const auto i = static_cast<size_t>(f) - 1;
  assert(i < std::size(kFnNames));
  return kFnNames[i];
}

std::optional<Fn> fn_from_name(std::string_view name) {
  for (size_t i = 0; i < std::size(kFnNames); ++i) {
    if (kFnNames[i] == name) return static_cast<Fn>(i + 1);
  }
  return std::nullopt;
}

std::optional<Fn> fn_from_code(int64_t code) {
  if (code < 1 || code > static_cast<int64_t>(std::size(kFnNames))) return std::nullopt;
  return static_cast<Fn>(code);
}

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::ok:
      return "ok";
    case Outcome::fail:
      return "fail";
    case Outcome::info:
      return "info";
  }
  return "?";
}

std::string describe_op(const Op& op, const History& h) {
  assert(op.process < h.processes.size());
  std::string out = h.processes[op.process] + " " + std::string(fn_name(op.f));
  const bool ok = op.outcome == Outcome::ok;
  switch (op.f) {
    case Fn::write:
      out += " " + value_text(op.value);
      break;
    case Fn::cas:
      out += " " + value_text(op.expect) + "->" + value_text(op.value);
      break;
    case Fn::read:
      if (ok) out += " -> " + value_text(op.value);
      break;
    case Fn::acquire:
      if (ok && op.value != kNil) out += " -> token " + std::to_string(op.value);
      break;
    case Fn::release:
      break;
  }
  if (h.keys.size() > 1) out += " on " + h.keys[op.key];
  if (op.outcome == Outcome::fail) out += " (failed)";
  if (op.outcome == Outcome::info) out += " (outcome unknown)";
  return out;
}

size_t HistoryBuilder::intern(std::vector<std::string>& names, Ids& ids, std::string_view name) {
  const auto it = ids.find(name);
  if (it != ids.end()) return it->second;
  ids.emplace(std::string(name), names.size());
  names.emplace_back(name);
  return names.size() - 1;
}

std::optional<size_t> HistoryBuilder::open(size_t process) const {
  return process < open_.size() ? open_[process] : std::nullopt;
}

HistoryBuilder::Problem HistoryBuilder::invoke(size_t process, Fn f, size_t key, int64_t value,
                                               int64_t expect, int64_t at_ns, int64_t ref) {
  assert(process < h_.processes.size());
  assert(key < h_.keys.size());
  if (at_ns < 0) return {"time", "must not be negative"};
  if (const std::optional<size_t> o = open(process)) {
    const Op& earlier = h_.ops[*o];
    return {"process", "'" + h_.processes[process] + "' invokes a " + std::string(fn_name(f)) +
                           " while its " + std::string(fn_name(earlier.f)) + " invoked at " +
                           sim::format_seconds(earlier.invoke_ns) +
                           " is still open (at most one open op per process)"};
  }
  if (h_.ops.size() >= kMaxOps) {
    return {"process", "more than " + std::to_string(kMaxOps) + " ops in one history"};
  }
  // A key is one object: a lock, or a register. Under any model a key with both kinds of ops
  // is a malformed history, not a violation.
  const bool lock_op = f == Fn::acquire || f == Fn::release;
  if (key >= lock_key_.size()) lock_key_.resize(key + 1);
  if (lock_key_[key].has_value() && *lock_key_[key] != lock_op) {
    return {"key", "key '" + h_.keys[key] + "' has " +
                       (lock_op ? "register operations (read, write, cas), so it takes no "
                                : "lock operations (acquire, release), so it takes no ") +
                       std::string(fn_name(f)) + "; a key is a lock or a register"};
  }
  lock_key_[key] = lock_op;
  if (process >= open_.size()) open_.resize(process + 1);
  Op op;
  op.process = process;
  op.key = key;
  op.f = f;
  op.value = (f == Fn::write || f == Fn::cas) ? value : kNil;
  op.expect = f == Fn::cas ? expect : kNil;
  op.invoke_ns = at_ns;
  op.invoke_ref = ref;
  open_[process] = h_.ops.size();
  h_.ops.push_back(op);
  return {};
}

HistoryBuilder::Problem HistoryBuilder::complete(size_t process, Outcome outcome,
                                                 std::optional<Fn> f, std::optional<size_t> key,
                                                 std::optional<int64_t> value, int64_t at_ns,
                                                 int64_t ref) {
  assert(process < h_.processes.size());
  const std::optional<size_t> o = open(process);
  if (!o.has_value()) {
    return {"type", "'" + h_.processes[process] + "' completes an op (" +
                        std::string(outcome_name(outcome)) + ") it never invoked"};
  }
  Op& op = h_.ops[*o];
  if (f.has_value() && *f != op.f) {
    return {"f", "'" + h_.processes[process] + "' completes a " + std::string(fn_name(*f)) +
                     " but its open op is a " + std::string(fn_name(op.f))};
  }
  if (key.has_value() && *key != op.key) {
    return {"key", "'" + h_.processes[process] + "' completes an op on '" + h_.keys[*key] +
                       "' but its open op is on '" + h_.keys[op.key] + "'"};
  }
  if (at_ns < op.invoke_ns) return {"time", "completes before its invocation"};
  open_[process].reset();
  op.outcome = outcome;
  op.complete_ref = ref;
  op.complete_ns = outcome == Outcome::info ? kNever : at_ns;
  if (outcome == Outcome::fail) ++h_.failed;
  if (outcome == Outcome::info) ++h_.unknown;
  // Only a read and an acquire return something; an unknown outcome returns nothing.
  if (outcome == Outcome::ok && (op.f == Fn::read || op.f == Fn::acquire)) {
    op.value = value.value_or(kNil);
  }
  return {};
}

void HistoryBuilder::crash(size_t process) {
  const std::optional<size_t> o = open(process);
  if (!o.has_value()) return;
  Op& op = h_.ops[*o];
  op.outcome = Outcome::info;
  op.complete_ns = kNever;
  ++h_.unknown;
  open_[process].reset();
}

History HistoryBuilder::finish() {
  for (size_t p = 0; p < open_.size(); ++p) crash(p);
  History out = std::move(h_);
  h_ = History{};
  open_.clear();
  process_ids_.clear();
  key_ids_.clear();
  return out;
}

}  // namespace lockstep::checkers::linearizable
