#include "tools/engine/artifact.hpp"

#include <algorithm>
#include <cassert>

#include "checkers/checker.hpp"
#include "sim/io/scenario_writer.hpp"
#include "sim/scenario/plan.hpp"

namespace lockstep::tools {
namespace {

// Keeps every k-th checkpoint so that at most kMaxCheckpoints remain.
uint64_t thin(std::vector<uint64_t>& checkpoints, uint64_t every) {
  uint64_t k = 1;
  while (checkpoints.size() / k > kMaxCheckpoints) k *= 2;
  if (k == 1) return every;
  std::vector<uint64_t> kept;
  for (size_t i = k - 1; i < checkpoints.size(); i += k) kept.push_back(checkpoints[i]);
  checkpoints.swap(kept);
  return every * k;
}

// Captures the description of the trace event with 0-based index `wanted`.
class CaptureSink : public sim::TraceSink {
 public:
  explicit CaptureSink(uint64_t wanted) : wanted_(wanted) {}
  void begin(const sim::TraceInfo& info) override { info_ = &info; }
  void on_event(const sim::Event& e) override {
    if (count_++ == wanted_) text = checkers::describe_event(e, *info_);
  }
  std::string text;

 private:
  uint64_t wanted_;
  uint64_t count_ = 0;
  const sim::TraceInfo* info_ = nullptr;
};

// The sections of an artifact edited since it was written: a window of events alone would point
// at an event that may well be unchanged (the recorded trace keeps only a hash every
// `checkpoint_every` events). Empty for an artifact written before section hashes.
std::vector<std::string> edited_sections(const sim::Scenario& scenario, const RunReport& report) {
  const sim::ArtifactInfo& info = scenario.artifact;
  std::vector<std::string> edited;
  if (info.section_hashes.empty()) return edited;
  const auto now = sim::run_section_hashes(
      sim::write_resolved_scenario(scenario, report.plan, scenario.seed, sim::ArtifactInfo{}));
  for (const auto& entry : info.section_hashes) {
    if (std::find(now.begin(), now.end(), entry) == now.end()) edited.push_back(entry.first);
  }
  return edited;
}

}  // namespace

std::string artifact_file_name(const std::string& scenario_name, uint64_t seed) {
  std::string name = scenario_name;
  for (char& c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    if (!keep) c = '-';
  }
  return name + "-seed" + std::to_string(seed) + ".yaml";
}

Artifact make_artifact(const sim::Scenario& scenario, uint64_t seed, bool swarm,
                       const std::string& violated) {
  RunOptions options = RunOptions::with_seed(seed);
  options.swarm = swarm;
  options.checkpoint_every = kCheckpointEvery;
  Artifact a;
  a.report = run_scenario(scenario, options);
  sim::Scenario resolved = swarm ? sim::apply_swarm(scenario, seed, nullptr) : scenario;
  if (!scenario.artifact.present) resolved.name += "/seed" + std::to_string(seed);
  while (!resolved.summary.empty() &&
         (resolved.summary.back() == '\n' || resolved.summary.back() == ' ')) {
    resolved.summary.pop_back();
  }
  resolved.expect.clear();
  for (const checkers::CheckResult& r : a.report.results) {
    resolved.expect.push_back({r.checker, r.verdict});
  }
  sim::ArtifactInfo info;
  info.present = true;
  info.source = scenario.artifact.present ? scenario.artifact.source : scenario.file;
  info.violated = violated.empty() ? first_violated(a.report) : violated;
  info.trace_hash = sim::hash_hex(a.report.hash);
  info.hash_version = sim::kTraceHashVersion;
  info.swarm = a.report.swarm_choices;
  std::vector<uint64_t> checkpoints = a.report.checkpoints;
  info.checkpoint_every = thin(checkpoints, kCheckpointEvery);
  for (uint64_t c : checkpoints) info.checkpoints.push_back(sim::hash_hex(c));
  a.text = sim::write_resolved_scenario(resolved, a.report.plan, seed, info);
  return a;
}

ReplayOutcome replay_artifact(const sim::Scenario& scenario) {
  const sim::ArtifactInfo& info = scenario.artifact;
  if (!info.present || info.trace_hash.empty()) {
    throw sim::InputError(scenario.file, 0, 0, "artifact",
                          "not a failure artifact: it has no 'artifact:' section with a "
                          "trace_hash (explore --artifacts and shrink write them)");
  }
  RunOptions options = RunOptions::with_seed(scenario.seed);
  options.checkpoint_every = info.checkpoint_every;
  ReplayOutcome out;
  out.report = run_scenario(scenario, options);
  out.expected_hash = info.trace_hash;
  out.actual_hash = sim::hash_hex(out.report.hash);
  out.reproduced =
      out.expected_hash == out.actual_hash && info.hash_version == sim::kTraceHashVersion;
  if (out.reproduced) return out;
  if (info.hash_version != sim::kTraceHashVersion) {
    // Hashes of different versions never match: say so instead of pointing at an event.
    out.divergence = "the artifact's trace hash is version " + std::to_string(info.hash_version) +
                     (info.hash_version == 2 ? " (or earlier)" : "") +
                     " and this lockstep computes version " +
                     std::to_string(sim::kTraceHashVersion) +
                     ", so the hashes cannot be compared; the verdicts above are this run's: "
                     "write the artifact again (explore --artifacts or shrink) to record a "
                     "version " +
                     std::to_string(sim::kTraceHashVersion) + " hash";
    return out;
  }
  // The first checkpoint that differs bounds where the traces part.
  size_t i = 0;
  while (i < info.checkpoints.size() && i < out.report.checkpoints.size() &&
         info.checkpoints[i] == sim::hash_hex(out.report.checkpoints[i])) {
    ++i;
  }
  const uint64_t every = std::max<uint64_t>(1, info.checkpoint_every);
  const uint64_t first = i * every;  // 0-based index of the first event not known to match
  const std::string window = "events #" + std::to_string(first + 1) + " to #" +
                             std::to_string(first + every) + " (1-based; " +
                             std::to_string(out.report.trace_events) + " events now)";
  const std::vector<std::string> edited = edited_sections(scenario, out.report);
  if (!edited.empty()) {
    std::string names;
    for (const std::string& name : edited) names += (names.empty() ? "'" : ", '") + name + "'";
    out.divergence =
        "the artifact was edited after it was written: its " + names +
        (edited.size() == 1 ? " section differs from the one" : " sections differ from those") +
        " its trace was recorded with, so the run cannot reproduce that trace; the "
        "traces part within " +
        window;
    return out;
  }
  RunOptions capture_options = RunOptions::with_seed(scenario.seed);
  CaptureSink capture(first);
  capture_options.extra_sinks.push_back(&capture);
  run_scenario(scenario, capture_options);
  out.divergence =
      "the trace parts from the recorded one within " + window +
      (info.section_hashes.empty() ? ""
                                   : "; the artifact is as it was written, so this "
                                     "lockstep runs it differently from the one that "
                                     "wrote it") +
      "; the first event of that window is now: " +
      (capture.text.empty() ? std::string("(the run has fewer events)") : capture.text);
  return out;
}

}  // namespace lockstep::tools
