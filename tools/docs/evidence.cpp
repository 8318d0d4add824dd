#include "tools/docs/evidence.hpp"

#include <xxhash.h>

#include <cassert>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/trace.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/scenario/scenario.hpp"
#include "tools/results/explore_json.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string hex_hash(const std::string& bytes) {
  return sim::hash_hex(XXH3_64bits(bytes.data(), bytes.size()));
}

}  // namespace

Evidence::Evidence(std::string root, const sim::Catalog& catalog, std::string cache_dir)
    : root_(std::move(root)), catalog_(catalog), cache_dir_(std::move(cache_dir)) {}

bool Evidence::exists(const std::string& rel) const {
  return fs::is_regular_file(fs::path(root_) / rel);
}

const sim::Scenario& Evidence::scenario(const std::string& rel) {
  auto it = scenarios_.find(rel);
  if (it == scenarios_.end()) {
    it = scenarios_.emplace(rel, sim::load_scenario((fs::path(root_) / rel).string(), catalog_))
             .first;
    it->second.file = rel;
  }
  return it->second;
}

const RunReport& Evidence::run(const std::string& rel) {
  auto it = runs_.find(rel);
  if (it == runs_.end()) it = runs_.emplace(rel, run_scenario(scenario(rel), {})).first;
  return it->second;
}

// The key names every input of an exploration: a different binary (new simulator code, even
// with the same trace hash version) or a different scenario byte is a different file, so a hit
// can only return what a fresh exploration would.
std::string Evidence::cache_path(const std::string& rel, uint64_t seeds, bool swarm) {
  if (binary_hash_.empty()) {
    const std::string binary = read_bytes("/proc/self/exe");
    // Without the binary's bytes a key could not tell two builds apart: no cache then.
    if (binary.empty()) return "";
    binary_hash_ = hex_hash(binary);
  }
  const std::string scenario_hash = hex_hash(read_bytes((fs::path(root_) / rel).string()));
  const std::string name = scenario_hash + "-v" + std::to_string(sim::kTraceHashVersion) + "-" +
                           binary_hash_ + "-" + std::to_string(seeds) + (swarm ? "s" : "") +
                           ".json";
  return (fs::path(cache_dir_) / name).string();
}

const ExploreResult& Evidence::explored(const std::string& rel, uint64_t seeds, bool swarm) {
  const std::string key = rel + "#" + std::to_string(seeds) + (swarm ? "s" : "");
  auto it = explorations_.find(key);
  if (it != explorations_.end()) return it->second;
  const sim::Scenario& s = scenario(rel);
  const std::string path = cache_dir_.empty() ? "" : cache_path(rel, seeds, swarm);
  if (!path.empty() && fs::exists(path)) {
    try {
      ExploreResult r = explore_from_json(nlohmann::json::parse(read_bytes(path)), path);
      // A damaged or foreign entry is ignored, never trusted.
      if (r.runs.size() == seeds && r.from == 1 && r.swarm == swarm && !r.interrupted) {
        ++cache_hits_;
        r.file = rel;
        return explorations_.emplace(key, std::move(r)).first->second;
      }
    } catch (const std::exception&) {
    }
  }
  ExploreOptions o;
  o.seeds = seeds;
  o.jobs = 2;
  o.swarm = swarm;
  ExploreResult r = explore(s, o);
  assert(r.runs.size() == seeds);
  if (!path.empty()) {
    std::error_code ec;
    fs::create_directories(cache_dir_, ec);
    std::string text;
    write_explore_json(r, [&](std::string_view part) { text.append(part); });
    sim::write_file_atomically(path, text);  // a failed write only costs the next check time
  }
  return explorations_.emplace(key, std::move(r)).first->second;
}

}  // namespace lockstep::tools
