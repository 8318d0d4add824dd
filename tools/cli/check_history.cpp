#include "tools/cli/check_history.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "checkers/linearizable/history_jsonl.hpp"
#include "checkers/linearizable/search.hpp"
#include "sim/core/time.hpp"

namespace lockstep::tools {
namespace {

namespace lin = checkers::linearizable;

std::string lines_of(const lin::Op& op) {
  std::string out = std::to_string(op.invoke_ref);
  if (op.complete_ref >= 0) out += "," + std::to_string(op.complete_ref);
  return out;
}

std::string times_of(const lin::Op& op) {
  return sim::format_seconds(op.invoke_ns) + " .. " +
         (op.complete_ns == lin::kNever ? std::string("never known")
                                        : sim::format_seconds(op.complete_ns));
}

std::string render(const HistoryCheckArgs& a, const lin::History& h, lin::Model model,
                   const lin::Report& r) {
  std::string out = "history   " + a.file + "\n";
  out += "model     " + std::string(lin::model_name(model)) + "\n";
  out += "ops       " + std::to_string(h.ops.size()) + " (" + std::to_string(h.processes.size()) +
         " processes, " + std::to_string(h.keys.size()) +
         (h.keys.size() == 1 ? " key; " : " keys; ") + std::to_string(h.failed) + " failed, " +
         std::to_string(h.unknown) + " of unknown outcome)\n";
  std::string verdict(lin::result_name(r.result));
  for (char& c : verdict) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out += "verdict   " + verdict + "\n          " + lin::explain(r, h, model) + "\n";
  if (r.result == lin::Result::not_linearizable) {
    out += "evidence  the ops involved, by invocation (file lines, true times):\n";
    for (size_t i : r.window) {
      const lin::Op& op = h.ops[i];
      out += "          " + a.file + ":" + lines_of(op) + "  " + lin::describe_op(op, h) + "  " +
             times_of(op) + (i == r.culprit ? "  <- cannot take effect" : "") + "\n";
    }
  }
  out += "steps     " + std::to_string(r.steps) + "\n";
  return out;
}

nlohmann::json op_json(const lin::Op& op, const lin::History& h) {
  auto value = [](int64_t v) { return v == lin::kNil ? nlohmann::json() : nlohmann::json(v); };
  nlohmann::json j = {{"process", h.processes[op.process]},
                      {"f", lin::fn_name(op.f)},
                      {"key", h.keys[op.key]},
                      {"type", lin::outcome_name(op.outcome)},
                      {"value", value(op.value)},
                      {"invoke_ns", op.invoke_ns},
                      {"invoke_line", op.invoke_ref}};
  if (op.f == lin::Fn::cas) j["expect"] = value(op.expect);
  if (op.complete_ns != lin::kNever) j["complete_ns"] = op.complete_ns;
  if (op.complete_ref >= 0) j["complete_line"] = op.complete_ref;
  return j;
}

nlohmann::json report_json(const HistoryCheckArgs& a, const lin::History& h, lin::Model model,
                           const lin::Report& r) {
  nlohmann::json j = {{"history", a.file},
                      {"model", lin::model_name(model)},
                      {"ops", h.ops.size()},
                      {"verdict", r.result == lin::Result::linearizable       ? "linearizable"
                                  : r.result == lin::Result::not_linearizable ? "not_linearizable"
                                                                              : "inconclusive"},
                      {"explanation", lin::explain(r, h, model)},
                      {"steps", r.steps}};
  if (r.result == lin::Result::not_linearizable) {
    j["key"] = h.keys[r.key];
    nlohmann::json ops = nlohmann::json::array();
    for (size_t i : r.window) {
      ops.push_back(op_json(h.ops[i], h));
      ops.back()["culprit"] = i == r.culprit;
    }
    j["evidence"] = ops;
  }
  return j;
}

}  // namespace

int check_history(const HistoryCheckArgs& a) {
  const std::optional<lin::Model> model = lin::model_from_name(a.model);
  if (!model.has_value()) {
    std::fprintf(stderr, "lockstep check: --model %s: unknown model (the models are %s)\n",
                 a.model.empty() ? "''" : a.model.c_str(), std::string(lin::kModelNames).c_str());
    return 2;
  }
  if (a.max_steps < 0) {
    std::fprintf(stderr, "lockstep check: --max-steps must be positive\n");
    return 2;
  }
  std::ifstream in(a.file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open the history file\n", a.file.c_str());
    return 2;
  }
  lin::History h;
  try {
    h = lin::read_history(in, a.file, *model);
  } catch (const lin::HistoryError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  lin::Limits limits;
  if (a.max_steps > 0) limits.max_steps = static_cast<uint64_t>(a.max_steps);
  const lin::Report r = lin::check(h, *model, limits);
  if (a.json) {
    std::cout << report_json(a, h, *model, r).dump(2) << "\n";
  } else {
    std::fputs(render(a, h, *model, r).c_str(), stdout);
  }
  switch (r.result) {
    case lin::Result::linearizable:
      return 0;
    case lin::Result::not_linearizable:
      return 1;
    case lin::Result::inconclusive:
      return kExitInconclusive;
  }
  return 2;
}

}  // namespace lockstep::tools
