// What docs check and docs render know about the scenarios a page names: each scenario loaded
// once, its default-seed run, and explorations over seeds 1..N. Explorations are kept on disk
// between checks, keyed by everything that can change a result (the scenario file's bytes, the
// trace hash version and the running binary's bytes), so a cached exploration is the same data a
// fresh one would give and a repeat check is fast.
#pragma once

#include <map>
#include <string>

#include "sim/scenario/catalog.hpp"
#include "tools/engine/explore.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {

class Evidence {
 public:
  // `cache_dir` empty: no disk cache.
  Evidence(std::string root, const sim::Catalog& catalog, std::string cache_dir);

  const std::string& root() const { return root_; }
  const sim::Catalog& catalog() const { return catalog_; }
  // `rel` is relative to the root. Throws sim::InputError when it cannot be loaded.
  bool exists(const std::string& rel) const;
  const sim::Scenario& scenario(const std::string& rel);
  const RunReport& run(const std::string& rel);
  const ExploreResult& explored(const std::string& rel, uint64_t seeds, bool swarm);

  size_t cache_hits() const { return cache_hits_; }
  size_t explorations() const { return explorations_.size(); }

 private:
  std::string cache_path(const std::string& rel, uint64_t seeds, bool swarm);

  std::string root_;
  const sim::Catalog& catalog_;
  std::string cache_dir_;
  std::string binary_hash_;  // hex, computed on first use
  size_t cache_hits_ = 0;
  std::map<std::string, sim::Scenario> scenarios_;
  std::map<std::string, RunReport> runs_;
  std::map<std::string, ExploreResult> explorations_;
};

}  // namespace lockstep::tools
