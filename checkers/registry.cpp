// The explicit table of built-in checkers: what each one means, its params, and how to build it
// from a scenario's checker config. No self-registration: this file is the whole list.
#include <stdexcept>
#include <string>

#include "checkers/checker.hpp"
#include "checkers/internal.hpp"

namespace lockstep::checkers {
namespace {

constexpr std::string_view kLivenessWithinDefault = "10s";
constexpr std::string_view kLeaderLivenessWithinDefault = "10s";
constexpr std::string_view kLinearizableModelDefault = "register";
constexpr int64_t kLinearizableMaxStepsDefault = 20'000'000;

// A positive `within` from a config; the loader fills declared defaults, a hand-built config
// (tests, `lockstep check`) may not.
sim::Duration within_of(const sim::CheckerConfig& config, std::string_view fallback) {
  const sim::Duration within = config.params.has("within") ? config.params.duration("within")
                                                           : *sim::parse_duration(fallback);
  if (within.ns <= 0) {
    throw std::invalid_argument(config.name + ": `within` must be positive");
  }
  return within;
}

}  // namespace

namespace {

// The checkers of locks: what holders believe, what the resource suffers, progress.
std::vector<sim::CheckerSpec> lock_specs() {
  return {
      {"mutual_exclusion",
       "No two clients believe they hold the lock at the same true instant (what nodes believe).",
       {},
       false,
       {"lock.acquired"}},
      {"fenced_writes",
       "The resource never accepts a write carrying a token older than one it already accepted "
       "(what the world suffers).",
       {},
       false,
       {"resource.write"}},
      {"liveness",
       "After the last fault (including heals, resumes and restarts), the lock is never left "
       "unused for longer than `within` while a client waits for it.",
       {{"within",
         sim::ParamType::duration,
         kLivenessWithinDefault,
         "how long the lock may sit unused while a client waits, after the last fault",
         {},
         nullptr,
         true}},
       false,
       {"lock.requested", "lock.acquired"}},
  };
}

// The checkers of leaders, logs and client histories (and the lock service's fairness).
std::vector<sim::CheckerSpec> election_and_history_specs() {
  return {
      {"election_safety",
       "At most one node is elected leader of any one term (two leader.elected for one term "
       "from different nodes break it).",
       {},
       false,
       {"leader.elected"}},
      {"single_leader",
       "At most one node believes it leads at any true instant, from its leader.elected until "
       "it steps down or crashes (stronger than Raft promises: a stale leader still acting "
       "breaks it).",
       {},
       false,
       {"leader.elected"}},
      {"leader_liveness",
       "When a majority of the election nodes is up and connected after the last fault, one "
       "leader is confirmed within `within` and then stays leader of the same term, confirmed "
       "at least once every `within`, to the end of the run.",
       {{"within",
         sim::ParamType::duration,
         kLeaderLivenessWithinDefault,
         "how long after the last fault a confirmed leader may take to appear, and the longest "
         "it may then go unconfirmed",
         {},
         nullptr,
         true}},
       true,
       {"leader.elected", "leader.confirmed"}},
      {"linearizable",
       "The clients' history (op.invoke / op.ok / op.fail / op.info) has an order that respects "
       "real time and the `model`, each key on its own; ops of unknown outcome may take effect "
       "or not. Inconclusive when the search reaches `max_steps`.",
       {{"model", sim::ParamType::choice, kLinearizableModelDefault,
         "the sequential specification: a mutex lock, a read/write register, a register with "
         "compare-and-set, or mixed (each key by its ops: acquire/release a lock, read/write/cas "
         "a compare-and-set register)",
         "lock|register|cas|mixed"},
        {"max_steps", sim::ParamType::integer, "20000000",
         "the search's bound; reaching it gives inconclusive"}},
       false,
       {"op.invoke"}},
      {"fairness",
       "The lock is granted in the order the lock service saw the requests (lock.enqueued); "
       "reports the grant that overtook the most waiters.",
       {},
       false,
       {"lock.enqueued"}},
      {"log_safety",
       "No two nodes apply different log entries at the same index, so no committed entry is "
       "ever lost or replaced, and each node applies in index order (log.applied).",
       {},
       false,
       {"log.applied"}},
  };
}

}  // namespace

std::vector<sim::CheckerSpec> checker_specs() {
  std::vector<sim::CheckerSpec> out = lock_specs();
  for (sim::CheckerSpec& c : election_and_history_specs()) out.push_back(std::move(c));
  return out;
}

std::unique_ptr<Checker> make_checker(const sim::CheckerConfig& config) {
  if (config.name == "mutual_exclusion") return detail::make_mutual_exclusion();
  if (config.name == "fenced_writes") return detail::make_fenced_writes();
  if (config.name == "liveness") {
    return detail::make_liveness(within_of(config, kLivenessWithinDefault));
  }
  if (config.name == "election_safety") return detail::make_election_safety();
  if (config.name == "single_leader") return detail::make_single_leader();
  if (config.name == "log_safety") return detail::make_log_safety();
  if (config.name == "leader_liveness") {
    return detail::make_leader_liveness(within_of(config, kLeaderLivenessWithinDefault));
  }
  if (config.name == "linearizable") {
    return detail::make_linearizable(
        config.params.has("model") ? config.params.choice("model")
                                   : std::string(kLinearizableModelDefault),
        config.params.has("max_steps") ? config.params.integer("max_steps")
                                       : kLinearizableMaxStepsDefault);
  }
  if (config.name == "fairness") return detail::make_fairness();
  // Configs are validated against checker_specs(); reaching here is a caller's mistake, but a
  // CLI caller can report it, so it is an exception rather than an abort.
  throw std::invalid_argument("unknown checker '" + config.name + "'");
}

}  // namespace lockstep::checkers
