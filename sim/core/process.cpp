#include "sim/core/process.hpp"

namespace lockstep::sim {

Directory::Directory(std::vector<NodeInfo> nodes) : nodes_(std::move(nodes)) {
  for (NodeIndex i = 0; i < nodes_.size(); ++i) by_role_[nodes_[i].role].push_back(i);
}

std::span<const NodeIndex> Directory::with_role(std::string_view role) const {
  auto it = by_role_.find(role);
  if (it == by_role_.end()) return {};
  return it->second;
}

}  // namespace lockstep::sim
