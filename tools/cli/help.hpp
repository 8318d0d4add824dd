// Per-command help: every command parses its options through parse_command, which answers
// `lockstep CMD --help` (or -h) with the command's synopsis and its options, and exits 0.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace lockstep::tools {

// Thrown after the help text was printed; main turns it into exit 0.
struct HelpShown {};

// The command's one-line synopsis and what it does (also the lines of `lockstep --help`).
struct CommandHelp {
  const char* name;
  const char* synopsis;
  const char* summary;
};
const std::vector<CommandHelp>& command_help();

// True when args ask for help; prints the command's synopsis (and `opts` when given).
bool print_help_if_asked(const std::string& command, const std::vector<std::string>& args,
                         const boost::program_options::options_description* opts = nullptr);

// Stores and notifies `args` against `opts` and `pos`, answering --help first (HelpShown).
boost::program_options::variables_map parse_command(
    const std::string& command, const std::vector<std::string>& args,
    boost::program_options::options_description& opts,
    const boost::program_options::positional_options_description& pos);

}  // namespace lockstep::tools
