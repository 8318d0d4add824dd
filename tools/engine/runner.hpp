// Runs one scenario for one seed end to end: plan, world, checkers, metrics, expectations.
// Shared by the CLI, the benchmarks and the tests so all three run scenarios the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "checkers/metrics.hpp"
#include "sim/core/world.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/plan.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::tools {

// Every protocol and checker this build knows: the explicit table, built by the caller and
// kept alive for as long as scenarios loaded with it (they point into it).
sim::Catalog make_catalog();

// The command that runs lockstep, for printed replay commands: argv[0] as it was typed
// (build/tools/lockstep, ./lockstep, lockstep when found on PATH), or "lockstep" when the
// program is not the lockstep binary (a test, a benchmark).
std::string invoked_name();

struct RunOptions {
  static RunOptions with_seed(std::optional<uint64_t> seed) {
    RunOptions o;
    o.seed = seed;
    return o;
  }

  std::optional<uint64_t> seed;   // default: the scenario's
  std::string trace_path;         // JSONL trace, written atomically; empty: none
  bool swarm = false;             // draw the scenario's swarm ranges for this seed
  uint64_t checkpoint_every = 0;  // record the running trace hash every N events (0: never)
  std::vector<sim::TraceSink*> extra_sinks;  // more consumers of the trace (timeline, log...)
  // Every sink sees every event, whatever its wants() says: a test compares the results.
  bool route_every_event = false;
  // Progress of a long run: called after every `progress_every` events with the simulated time
  // reached and the events so far (observes only; 0 or no callback: never called).
  uint64_t progress_every = 0;
  sim::World::Progress on_progress;
};

struct ExpectationOutcome {
  std::string checker;
  sim::Expected expected;  // nullopt: any verdict meets it
  sim::Verdict actual;
  bool met() const { return sim::expectation_met(expected, actual); }
};

struct RunReport {
  std::string file;
  std::string scenario;
  uint64_t seed = 0;
  sim::Plan plan;
  sim::TraceInfo info;  // names for the trace's indices: renders evidence
  std::vector<checkers::CheckResult> results;
  std::vector<checkers::Metric> metrics;
  std::vector<ExpectationOutcome> expectations;  // one per configured checker
  uint64_t events = 0;                           // scheduler events run
  uint64_t trace_events = 0;                     // trace events emitted
  uint64_t hash = 0;
  double wall_seconds = 0;
  bool trace_written = false;
  bool swarm = false;                 // run with --swarm: the replay command says so
  std::string swarm_choices;          // what --swarm drew for this seed
  std::vector<uint64_t> checkpoints;  // running trace hash every checkpoint_every events

  bool all_met() const;
  std::string replay_command() const;
};

// Throws sim::InputError for bad input and sim::LimitError when the run exceeds a limit.
RunReport run_scenario(const sim::Scenario& scenario, const RunOptions& options);

// Each configured checker's verdict against the scenario's `expect:` (absent: holds). Also used
// by the live runtime, which produces its results from a real run.
std::vector<ExpectationOutcome> judge(const sim::Scenario& scenario,
                                      const std::vector<checkers::CheckResult>& results);

// The first checker (in configuration order) that was violated, or empty.
std::string first_violated(const RunReport& report);

// Runs the scenario twice and compares the traces event by event (by running hash). Returns an
// empty string when they agree, else where they first differ, with both events described.
std::string check_determinism(const sim::Scenario& scenario, const RunOptions& options,
                              RunReport* first_run);

}  // namespace lockstep::tools
