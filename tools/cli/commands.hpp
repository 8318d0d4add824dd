// The CLI's commands, one function each; `args` excludes the program and command names.
#pragma once

#include <string>
#include <vector>

namespace lockstep::tools {

int cmd_run(const std::vector<std::string>& args);
int cmd_list(const std::vector<std::string>& args);
int cmd_explore(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);
int cmd_replay(const std::vector<std::string>& args);
int cmd_shrink(const std::vector<std::string>& args);
int cmd_docs(const std::vector<std::string>& args);
int cmd_check(const std::vector<std::string>& args);
int cmd_live(const std::vector<std::string>& args);
int cmd_schema(const std::vector<std::string>& args);

}  // namespace lockstep::tools
