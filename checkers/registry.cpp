// The explicit table of built-in checkers: what each one means, its params, and how to build it
// from a scenario's checker config. No self-registration: this file is the whole list.
#include <stdexcept>
#include <string>

#include "checkers/checker.hpp"
#include "checkers/internal.hpp"

namespace lockstep::checkers {
namespace {

constexpr std::string_view kLivenessWithinDefault = "10s";

}  // namespace

std::vector<sim::CheckerSpec> checker_specs() {
  return {
      {"mutual_exclusion",
       "No two clients believe they hold the lock at the same true instant (what nodes believe).",
       {}},
      {"fenced_writes",
       "The resource never accepts a write carrying a token older than one it already accepted "
       "(what the world suffers).",
       {}},
      {"liveness",
       "After the last fault (including heals, resumes and restarts), the lock is never left "
       "unused for longer than `within` while a client waits for it.",
       {{"within", sim::ParamType::duration, kLivenessWithinDefault,
         "how long the lock may sit unused while a client waits, after the last fault"}}},
  };
}

std::unique_ptr<Checker> make_checker(const sim::CheckerConfig& config) {
  if (config.name == "mutual_exclusion") return detail::make_mutual_exclusion();
  if (config.name == "fenced_writes") return detail::make_fenced_writes();
  if (config.name == "liveness") {
    // The loader fills declared defaults; a hand-built config (tests, `lockstep check`) may not.
    const sim::Duration within = config.params.has("within")
                                     ? config.params.duration("within")
                                     : *sim::parse_duration(kLivenessWithinDefault);
    if (within.ns <= 0) throw std::invalid_argument("liveness: `within` must be positive");
    return detail::make_liveness(within);
  }
  // Configs are validated against checker_specs(); reaching here is a caller's mistake, but a
  // CLI caller can report it, so it is an exception rather than an abort.
  throw std::invalid_argument("unknown checker '" + config.name + "'");
}

}  // namespace lockstep::checkers
