// The `artifact:` section that explore and shrink write into failure artifacts: where the run
// came from, the checker it violated and the trace it must reproduce (docs/scenario-format.md).
#include <string>
#include <string_view>

#include "sim/io/loader.hpp"
#include "sim/io/scenario_keys.hpp"
#include "sim/io/yaml_util.hpp"

namespace lockstep::sim::loader {

void read_artifact(const Value& v, Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kArtifact);
  const Mapping m(v, "a mapping written by lockstep explore or shrink");
  m.allow_only(kKeys, "artifact key");
  ArtifactInfo& a = l.out.artifact;
  a.present = true;
  a.pos = v.pos();
  if (auto x = m.get("source")) a.source = yaml_util::read_string(*x);
  if (auto x = m.get("violated")) {
    a.violated = yaml_util::read_string(*x, "a checker name");
    if (l.catalog.checker(a.violated) == nullptr) x->fail("unknown checker '" + a.violated + "'");
  }
  const auto hex16 = [](const Value& x) {
    const std::string h = yaml_util::read_string(x, "16 hex digits");
    const bool ok = h.size() == 16 && h.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!ok) x.fail("expected a trace hash of 16 lowercase hex digits, got " + x.describe());
    return h;
  };
  if (auto x = m.get("trace_hash")) a.trace_hash = hex16(*x);
  if (auto x = m.get("hash_version")) {
    const int64_t version = yaml_util::read_integer(*x);
    if (version <= 0 || version > 1000) x->fail("hash_version must be a positive version number");
    a.hash_version = static_cast<int>(version);
  }
  if (auto x = m.get("swarm")) a.swarm = yaml_util::read_string(*x);
  if (auto x = m.get("checkpoint_every")) {
    const int64_t every = yaml_util::read_integer(*x);
    if (every <= 0) x->fail("checkpoint_every must be positive");
    a.checkpoint_every = static_cast<uint64_t>(every);
  }
  if (auto x = m.get("section_hashes")) {
    static constexpr auto kSectionKeys = keys::names_of(keys::kSectionHashes);
    const Mapping hashes(*x, "a mapping of section names to hashes");
    hashes.allow_only(kSectionKeys, "section");
    for (std::string_view name : kSectionKeys) {
      if (auto h = hashes.get(name)) a.section_hashes.emplace_back(std::string(name), hex16(*h));
    }
  }
  if (auto x = m.get("checkpoints")) {
    for (const Value& item : x->list("a list of trace hashes", 1'000'000)) {
      a.checkpoints.push_back(hex16(item));
    }
  }
}

}  // namespace lockstep::sim::loader
