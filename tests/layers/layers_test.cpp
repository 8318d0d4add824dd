// The folders are the dependency graph (docs/architecture.md): every `#include "..."` of a
// project file must point into a folder its own folder may use. Meson's dependency lists keep
// the link graph honest; this test keeps the include graph honest, since every library sees
// the whole source tree on its include path.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/support.hpp"

namespace lockstep::testing {
namespace {

namespace fs = std::filesystem;

struct Layer {
  std::string folder;               // a path prefix; the longest match decides
  std::vector<std::string> allows;  // folders it may include from (itself always)
};

// The layer rule. "protocols/*" is any single protocol folder; a protocol folder may include
// only itself among the protocols (and protocols/common).
const std::vector<Layer>& layers() {
  static const std::vector<Layer> kLayers = {
      {"sim/core/", {}},
      {"sim/scenario/", {"sim/core/"}},
      {"sim/io/", {"sim/core/", "sim/scenario/"}},
      {"protocols/common/", {"sim/core/"}},
      // The one edge between protocols: the lock service embeds Raft's node as its replication
      // (issue 11). Listed before protocols/*/, which matches it equally long.
      {"protocols/consensus_lock/", {"sim/core/", "protocols/common/", "protocols/raft/"}},
      {"protocols/*/", {"sim/core/", "protocols/common/"}},
      {"protocols/", {"sim/core/", "protocols/"}},  // the registry: every protocol
      {"checkers/", {"sim/core/", "sim/scenario/"}},
      {"tools/engine/", {"sim/", "protocols/registry.hpp", "checkers/"}},
      {"tools/results/", {"sim/", "checkers/", "tools/engine/"}},
      {"tools/trace/", {"sim/", "checkers/"}},
      {"tools/render/", {"sim/", "checkers/", "tools/engine/", "tools/results/", "tools/trace/"}},
      // docs renders dashboards from the families the OpenMetrics exporter writes.
      {"tools/docs/", {"sim/", "checkers/", "tools/engine/", "tools/results/", "tools/render/"}},
      {"tools/live/",
       {"sim/", "protocols/", "checkers/", "tools/engine/", "tools/results/", "tools/trace/",
        "tools/render/"}},
      {"tools/cli/", {"sim/", "protocols/", "checkers/", "tools/"}},
      {"tools/bench/", {"sim/", "protocols/", "checkers/", "tools/"}},
  };
  return kLayers;
}

// "protocols/raft/node.cpp" -> "protocols/raft/"; other paths are matched as given.
std::optional<std::string> protocol_folder(const std::string& path) {
  if (!path.starts_with("protocols/")) return std::nullopt;
  const size_t slash = path.find('/', std::string("protocols/").size());
  if (slash == std::string::npos) return std::nullopt;
  const std::string folder = path.substr(0, slash + 1);
  if (folder == "protocols/common/") return std::nullopt;
  return folder;
}

// How much of `path` the layer's folder covers (0: none).
size_t match_length(const Layer& l, const std::string& path) {
  if (l.folder == "protocols/*/") {
    const std::optional<std::string> folder = protocol_folder(path);
    return folder ? folder->size() : 0;
  }
  return path.starts_with(l.folder) ? l.folder.size() : 0;
}

// The layer of a project file (the longest match), or nullptr for files no rule covers.
const Layer* layer_of(const std::string& path) {
  const Layer* best = nullptr;
  for (const Layer& l : layers()) {
    if (match_length(l, path) > (best == nullptr ? 0 : match_length(*best, path))) best = &l;
  }
  return best;
}

bool allowed(const std::string& from, const std::string& to) {
  const Layer* layer = layer_of(from);
  if (layer == nullptr) return true;
  const std::string own = layer->folder == "protocols/*/" ? *protocol_folder(from) : layer->folder;
  if (to.starts_with(own)) return true;
  return std::any_of(layer->allows.begin(), layer->allows.end(),
                     [&](const std::string& prefix) { return to.starts_with(prefix); });
}

// Every `#include "X"` in `text` that `path` may not include, as "path:line: X".
std::vector<std::string> violations_in(const std::string& path, const std::string& text) {
  std::vector<std::string> out;
  size_t line_number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string line = text.substr(start, end - start);
    ++line_number;
    start = end + 1;
    const std::string prefix = "#include \"";
    if (!line.starts_with(prefix)) continue;
    const size_t close = line.find('"', prefix.size());
    if (close == std::string::npos) continue;
    const std::string target = line.substr(prefix.size(), close - prefix.size());
    if (!allowed(path, target)) {
      out.push_back(path + ":" + std::to_string(line_number) + ": " + target);
    }
  }
  return out;
}

std::vector<std::string> project_sources() {
  std::vector<std::string> out;
  for (const char* top : {"sim", "protocols", "checkers", "tools"}) {
    for (const auto& entry : fs::recursive_directory_iterator(top)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".cpp" || ext == ".hpp")) {
        out.push_back(entry.path().generic_string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Layers, EveryIncludeFollowsTheFolderRule) {
  const std::vector<std::string> files = project_sources();
  // Run from the source root (meson's workdir): an empty list would make this pass vacuously.
  ASSERT_GT(files.size(), 50u) << "run from the repository root";
  std::vector<std::string> bad;
  for (const std::string& f : files) {
    for (std::string& v : violations_in(f, read_file(f))) bad.push_back(std::move(v));
  }
  EXPECT_TRUE(bad.empty()) << ::testing::PrintToString(bad);
}

TEST(Layers, KernelIncludingTheScenarioLayerIsForbidden) {
  EXPECT_EQ(violations_in("sim/core/world.cpp", "#include \"sim/scenario/scenario.hpp\"\n"),
            std::vector<std::string>{"sim/core/world.cpp:1: sim/scenario/scenario.hpp"});
  EXPECT_TRUE(violations_in("sim/core/world.cpp", "#include \"sim/core/clock.hpp\"\n").empty());
}

TEST(Layers, AProtocolMaySeeOnlyItselfTheCommonFolderAndTheKernel) {
  EXPECT_TRUE(violations_in("protocols/raft/node.cpp",
                            "#include \"protocols/raft/node.hpp\"\n"
                            "#include \"protocols/common/wire.hpp\"\n"
                            "#include \"sim/core/process.hpp\"\n")
                  .empty());
  EXPECT_EQ(violations_in("protocols/raft/node.cpp",
                          "#include \"protocols/bully/node.hpp\"\n#include \"checkers/x.hpp\"\n"
                          "#include \"sim/scenario/plan.hpp\"\n")
                .size(),
            3u);
  EXPECT_TRUE(
      violations_in("protocols/registry.cpp", "#include \"protocols/raft/raft.hpp\"\n").empty());
}

TEST(Layers, CheckersSeeOnlyTheTraceAndVerdictTypes) {
  EXPECT_EQ(violations_in("checkers/x.cpp",
                          "#include \"protocols/raft/node.hpp\"\n"
                          "#include \"tools/engine/runner.hpp\"\n"
                          "#include \"sim/io/jsonl.hpp\"\n")
                .size(),
            3u);
}

// The live runtime is real (sockets, signals, the machine's clock): nothing in the simulator,
// the protocols or the checkers may reach it, and it may not reach the command line.
TEST(Layers, TheLiveRuntimeNeverLeaksIntoTheSimulator) {
  for (const char* from : {"sim/core/world.cpp", "sim/scenario/plan.cpp", "sim/io/jsonl.cpp",
                           "protocols/raft/node.cpp", "protocols/registry.cpp", "checkers/x.cpp",
                           "tools/engine/runner.cpp"}) {
    EXPECT_EQ(violations_in(from, "#include \"tools/live/node.hpp\"\n").size(), 1u) << from;
  }
  EXPECT_EQ(violations_in("tools/live/node.cpp", "#include \"tools/cli/commands.hpp\"\n").size(),
            1u);
  EXPECT_TRUE(violations_in("tools/live/node.cpp",
                            "#include \"protocols/raft/messages.hpp\"\n"
                            "#include \"tools/engine/runner.hpp\"\n"
                            "#include \"sim/core/clock.hpp\"\n")
                  .empty());
  EXPECT_TRUE(
      violations_in("tools/cli/cmd_live.cpp", "#include \"tools/live/node.hpp\"\n").empty());
  // And no file outside tools/live and tools/cli names Asio, the live runtime's transport.
  std::vector<std::string> hits;
  for (const std::string& f : project_sources()) {
    if (f.starts_with("tools/live/") || f.starts_with("tools/cli/")) continue;
    if (read_file(f).find("boost/asio") != std::string::npos) hits.push_back(f);
  }
  EXPECT_TRUE(hits.empty()) << ::testing::PrintToString(hits);
}

TEST(Layers, TheKernelNamesNoProtocolVocabulary) {
  // The grep of the issue that asked for this rule: no protocol-owned kind in the kernel.
  std::vector<std::string> hits;
  for (const std::string& f : project_sources()) {
    if (!f.starts_with("sim/core/")) continue;
    const std::string text = read_file(f);
    for (const char* word :
         {"\"lock.", "\"leader.", "\"vote.", "\"resource.", "\"term.", "\"election."}) {
      if (text.find(word) != std::string::npos) hits.push_back(f + ": " + word);
    }
  }
  EXPECT_TRUE(hits.empty()) << ::testing::PrintToString(hits);
}

}  // namespace
}  // namespace lockstep::testing
