// The rules for Guarantees and Constraints rows: numbers appear only inside claims (code spans)
// or generated tables, and a scenario is named by a link, never in plain text.
#pragma once

#include <string>
#include <vector>

namespace lockstep::tools {

// Numbers written outside code spans, links and a leading list number: "15s", "10%", "3".
std::vector<std::string> bare_numbers(const std::string& line);

// Scenario files named outside a link target: "clean.yaml" in plain text.
std::vector<std::string> unlinked_scenarios(const std::string& line);

}  // namespace lockstep::tools
