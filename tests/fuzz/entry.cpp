#include "tests/fuzz/entry.hpp"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "sim/scenario/plan.hpp"
#include "sim/scenario/scenario.hpp"
#include "tools/engine/runner.hpp"
#include "tools/trace/trace_reader.hpp"

namespace lockstep::fuzz {
namespace {

const sim::Catalog& catalog() {
  static const sim::Catalog c = tools::make_catalog();
  return c;
}

}  // namespace

void scenario_input(std::string_view text) {
  try {
    const sim::Scenario s = sim::load_scenario_text(std::string(text), "fuzz.yaml", catalog());
    (void)sim::resolve_plan(s, s.seed);
    for (const sim::CheckerConfig& config : s.checkers) (void)checkers::make_checker(config);
  } catch (const sim::InputError&) {
    // Refused with a position: what bad input should get.
  }
}

void trace_input(std::string_view text) {
  std::istringstream in{std::string(text)};
  try {
    tools::TraceReader reader(in, "fuzz.jsonl", &catalog());
    std::vector<std::unique_ptr<checkers::Checker>> owned;
    std::vector<sim::TraceSink*> sinks;
    for (const char* name : {"mutual_exclusion", "fenced_writes", "election_safety"}) {
      sim::CheckerConfig config;
      config.name = name;
      owned.push_back(checkers::make_checker(config));
      sinks.push_back(owned.back().get());
    }
    (void)tools::feed_trace(reader, sinks);
  } catch (const tools::TraceError&) {
    // Refused with a line number.
  }
}

}  // namespace lockstep::fuzz
