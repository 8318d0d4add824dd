// The claims a page line makes in code spans, and their verdicts against scenarios and runs.
//
//   `CHECKER: VERDICT`                        the scenario's expect: and its default-seed run
//   `CHECKER: VERDICT on K/N seeds`           exactly K of seeds 1..N reach VERDICT
//   `CHECKER: VERDICT on >= K of N seeds`     also <=, >, <, = K of N
//   `STAT(METRIC) OP VALUE over N seeds`      STAT: min, max, mean, pNN or pNN.N (nearest rank)
//   `PARAM = VALUE`                           the linked scenario's protocol param (or default)
//   `CHECKER.PARAM = VALUE`                   a checker param as the scenario configures it
//   `a.b.c = VALUE`                           any scenario key; list items by `id` or position
//   `PROTOCOL.PARAM = VALUE`                  the protocol's default (needs no link)
//
// Every claim but a protocol default is judged against every scenario linked on the line.
#pragma once

#include <string>

#include "tools/docs/docs.hpp"
#include "tools/docs/evidence.hpp"

namespace lockstep::tools {

// `page` is relative to the root, `page_dir` its folder (links resolve from it).
void check_line_claims(const std::string& page, const std::string& page_dir, int number,
                       const std::string& line, Evidence& ev, DocsReport& report);

// Values as pages write them: durations compare exactly ("3s" == "3000ms"), numbers
// numerically, anything else as text.
bool same_value(const std::string& a, const std::string& b);

}  // namespace lockstep::tools
