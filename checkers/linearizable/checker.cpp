// linearizable: the clients' history in a trace (op.invoke, then op.ok / op.fail / op.info from
// the client node; a crash leaves its open op's outcome unknown) has an order that respects real
// time and the chosen model. Kinds and fields are found by name, so any protocol whose clients
// emit them is checked. Unlike the other checkers it keeps the whole history: linearizability is
// a property of all of it, and the search runs at the end.
#include <algorithm>
#include <cassert>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "checkers/internal.hpp"
#include "checkers/linearizable/history.hpp"
#include "checkers/linearizable/search.hpp"
#include "checkers/words.hpp"

namespace lockstep::checkers {
namespace {

namespace lin = linearizable;
using sim::Event;

class Linearizable final : public Checker {
 public:
  Linearizable(lin::Model model, lin::Limits limits) : model_(model), limits_(limits) {}

  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    w_.resolve(*info.vocabulary);
    builder_ = lin::HistoryBuilder{};
    process_of_.clear();
    events_.clear();
    problem_.reset();
    history_ = lin::History{};
    report_ = lin::Report{};
    ended_ = false;
  }
  void on_event(const Event& e) override;
  void end(sim::Instant) override;
  CheckResult result() const override;

 private:
  size_t process(sim::NodeIndex node);
  int64_t keep(const Event& e);
  void invoke(const Event& e);
  void complete(const Event& e, lin::Outcome outcome);
  void refuse(const Event& e, const std::string& problem);
  void add_evidence(CheckResult& r) const;

  lin::Model model_;
  lin::Limits limits_;
  const sim::TraceInfo* info_ = nullptr;
  Words w_;
  lin::HistoryBuilder builder_;
  std::vector<std::optional<size_t>> process_of_;  // by node
  std::vector<Event> events_;                      // the op events, texts dropped
  std::optional<std::string> problem_;             // the history is malformed: why
  lin::History history_;
  lin::Report report_;
  bool ended_ = false;
};

size_t Linearizable::process(sim::NodeIndex node) {
  std::optional<size_t>& slot = detail::node_slot(process_of_, node);
  if (!slot.has_value()) slot = builder_.process(info_->node_name(node));
  return *slot;
}

int64_t Linearizable::keep(const Event& e) {
  events_.push_back(e);
  events_.back().text = {};
  return static_cast<int64_t>(events_.size() - 1);
}

void Linearizable::refuse(const Event& e, const std::string& problem) {
  problem_ = "the client history is malformed at " + sim::format_seconds(e.at.ns) + " (" +
             info_->node_name(e.node) + " " + std::string(info_->kind_name(e.kind)) +
             "): " + problem;
}

void Linearizable::on_event(const Event& e) {
  assert(info_ != nullptr);
  if (problem_.has_value() || e.node == sim::kNoNode) return;
  switch (w_(e.kind)) {
    case K::op_invoke:
      return invoke(e);
    case K::op_ok:
      return complete(e, lin::Outcome::ok);
    case K::op_fail:
      return complete(e, lin::Outcome::fail);
    case K::op_info:
      return complete(e, lin::Outcome::info);
    case K::fault_crash:
      // A crashed client never learns how its open op ended.
      if (e.node < process_of_.size() && process_of_[e.node].has_value()) {
        builder_.crash(*process_of_[e.node]);
      }
      return;
    default:
      return;
  }
}

void Linearizable::invoke(const Event& e) {
  const std::optional<int64_t> code = e.get(w_.op_f);
  const std::optional<lin::Fn> f = code.has_value() ? lin::fn_from_code(*code) : std::nullopt;
  if (!f.has_value()) {
    return refuse(e, code.has_value() ? "f " + std::to_string(*code) +
                                            " is not an operation "
                                            "(1 acquire, 2 release, 3 read, 4 write, 5 cas)"
                                      : "no f field");
  }
  if (!lin::model_knows(model_, *f)) {
    return refuse(e, "a " + std::string(lin::fn_name(*f)) + " is not an operation of the " +
                         std::string(lin::model_name(model_)) +
                         " model: check the checker's `model` param");
  }
  const std::optional<int64_t> value = e.get(w_.op_value);
  if ((*f == lin::Fn::write || *f == lin::Fn::cas) && !value.has_value()) {
    return refuse(e, "a " + std::string(lin::fn_name(*f)) + " without a value");
  }
  if (*f == lin::Fn::cas && !e.get(w_.op_expect).has_value()) {
    return refuse(e, "a cas without an expect field");
  }
  const size_t key = builder_.key(std::to_string(e.get_or(w_.op_key, 0)));
  const size_t p = process(e.node);
  const lin::HistoryBuilder::Problem problem =
      builder_.invoke(p, *f, key, value.value_or(lin::kNil),
                      e.get(w_.op_expect).value_or(lin::kNil), e.at.ns, keep(e));
  if (!problem.ok()) refuse(e, problem.text);
}

void Linearizable::complete(const Event& e, lin::Outcome outcome) {
  const size_t p = process(e.node);
  const std::optional<int64_t> key = e.get(w_.op_key);
  const std::optional<int64_t> code = e.get(w_.op_f);
  const lin::HistoryBuilder::Problem problem = builder_.complete(
      p, outcome, code.has_value() ? lin::fn_from_code(*code) : std::nullopt,
      key.has_value() ? std::optional<size_t>(builder_.key(std::to_string(*key))) : std::nullopt,
      e.get(w_.op_value), e.at.ns, keep(e));
  if (!problem.ok()) refuse(e, problem.text);
}

void Linearizable::end(sim::Instant) {
  assert(info_ != nullptr);
  ended_ = true;
  history_ = builder_.finish();
  if (problem_.has_value() || history_.ops.empty()) return;
  report_ = lin::check(history_, model_, limits_);
}

void Linearizable::add_evidence(CheckResult& r) const {
  const lin::Op& culprit = history_.ops[report_.culprit];
  sim::Instant from{culprit.invoke_ns};
  for (size_t i : report_.window) {
    const lin::Op& op = history_.ops[i];
    from = std::min(from, sim::Instant{op.invoke_ns});
    for (int64_t ref : {op.invoke_ref, op.complete_ref}) {
      if (ref < 0) continue;
      if (i == report_.culprit && ref == op.complete_ref) r.deciding = r.evidence.size();
      r.evidence.push_back(Evidence::of(events_[static_cast<size_t>(ref)]));
    }
  }
  const int64_t to = culprit.complete_ns == lin::kNever ? culprit.invoke_ns : culprit.complete_ns;
  r.interval = Interval{from, sim::Instant{to}};
}

CheckResult Linearizable::result() const {
  assert(ended_ && "result() is valid after end()");
  CheckResult r;
  r.checker = "linearizable";
  if (problem_.has_value() || history_.ops.empty()) {
    r.verdict = sim::Verdict::inconclusive;
    r.explanation = problem_.has_value()
                        ? "Undecided: " + *problem_ + "."
                        : "No history in this trace: no client emitted op.invoke (the "
                          "protocol's clients do not record one).";
    return r;
  }
  switch (report_.result) {
    case lin::Result::linearizable:
      return r;
    case lin::Result::inconclusive:
      r.verdict = sim::Verdict::inconclusive;
      break;
    case lin::Result::not_linearizable:
      r.verdict = sim::Verdict::violated;
      add_evidence(r);
      break;
  }
  r.explanation = lin::explain(report_, history_, model_);
  return r;
}

}  // namespace

namespace detail {
std::unique_ptr<Checker> make_linearizable(std::string_view model, int64_t max_steps) {
  const std::optional<lin::Model> m = lin::model_from_name(model);
  if (!m.has_value()) {
    throw std::invalid_argument("linearizable: unknown model '" + std::string(model) +
                                "' (the models are " + std::string(lin::kModelNames) + ")");
  }
  if (max_steps <= 0) throw std::invalid_argument("linearizable: `max_steps` must be positive");
  lin::Limits limits;
  limits.max_steps = static_cast<uint64_t>(max_steps);
  return std::make_unique<Linearizable>(*m, limits);
}
}  // namespace detail

}  // namespace lockstep::checkers
