// `lockstep docs check|render`: claims tie to scenarios and runs; generated tables cannot go
// stale; and the project's own pattern docs pass.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tools/docs/docs.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

void replace(const fs::path& p, const std::string& from, const std::string& to) {
  std::string text = read(p);
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  write(p, text);
}

constexpr const char* kPage = R"(# Example pattern

## Guarantees

| property | holds under | breaks under | scenario |
|---|---|---|---|
| mutual exclusion (believed) | no pauses | a pause longer than the lease | [pause](../../scenarios/pause.yaml): `mutual_exclusion: violated` |
| resource safety | — | no fencing | [pause](../../scenarios/pause.yaml): `fenced_writes: violated` |

## Observability

<!-- lockstep:metrics scenario=scenarios/pause.yaml seeds=5 metrics=lock.acquisitions,resource.stale_writes -->
<!-- /lockstep:metrics -->
)";

class Docs : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("lockstep-docs-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    write(root_ / "scenarios/pause.yaml", read("scenarios/lease-lock/pause-without-fencing.yaml"));
    write(root_ / "docs/patterns/example.md", kPage);
    render_docs(root_.string(), catalog_);
  }
  void TearDown() override { fs::remove_all(root_); }

  DocsReport check() { return check_docs(root_.string(), catalog_); }

  sim::Catalog catalog_ = make_catalog();
  fs::path root_;
};

TEST_F(Docs, RenderedPagesPassCheck) {
  const DocsReport r = check();
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().what;
  EXPECT_EQ(r.claims, 2u);
  EXPECT_EQ(r.tables, 1u);
  const std::string page = read(root_ / "docs/patterns/example.md");
  EXPECT_NE(page.find("| `resource.stale_writes` | count | 1 |"), std::string::npos) << page;
  EXPECT_TRUE(render_docs(root_.string(), catalog_).rendered.empty()) << "rendering is stable";
}

TEST_F(Docs, AFlippedExpectationFailsNamingPageAndRow) {
  replace(root_ / "scenarios/pause.yaml", "mutual_exclusion: violated", "mutual_exclusion: holds");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].page, "docs/patterns/example.md");
  EXPECT_EQ(r.problems[0].line, 7);
  EXPECT_NE(r.problems[0].what.find("its expect: says holds"), std::string::npos)
      << r.problems[0].what;
}

TEST_F(Docs, AClaimTheRunContradictsFails) {
  replace(root_ / "docs/patterns/example.md", "`fenced_writes: violated`",
          "`fenced_writes: holds`");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].line, 8);
  EXPECT_NE(r.problems[0].what.find("gives violated"), std::string::npos) << r.problems[0].what;
}

TEST_F(Docs, AHandEditedTableIsStale) {
  replace(root_ / "docs/patterns/example.md", "| `lock.acquisitions` | count | 3 |",
          "| `lock.acquisitions` | count | 4 |");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].what.find("stale or was edited by hand"), std::string::npos);
}

TEST_F(Docs, AGuaranteeRowWithoutAScenarioAndAMissingScenarioAreProblems) {
  replace(root_ / "docs/patterns/example.md", "| resource safety |",
          "| liveness | always | never | trust us |\n| resource safety |");
  replace(root_ / "docs/patterns/example.md", "[pause](../../scenarios/pause.yaml): `fenced",
          "[pause](../../scenarios/gone.yaml): `fenced");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_NE(r.problems[0].what.find("without a linked scenario"), std::string::npos);
  EXPECT_NE(r.problems[1].what.find("does not exist"), std::string::npos);
}

TEST_F(Docs, AMalformedMarkerIsAnInputError) {
  replace(root_ / "docs/patterns/example.md", "seeds=5 metrics", "seeds=5 colour=red metrics");
  EXPECT_THROW(check(), sim::InputError);
}

// The project's own pages: every claim true, every generated table fresh.
TEST(ProjectDocs, EveryClaimAndGeneratedTableIsCurrent) {
  const sim::Catalog catalog = make_catalog();
  const DocsReport r = check_docs(".", catalog);
  // Run from the repository root (meson's workdir); finding no pages must fail, not pass idly.
  ASSERT_GE(r.pages.size(), 5u) << "no docs/patterns pages found: run from the repository root";
  EXPECT_GT(r.claims, 100u);
  EXPECT_GT(r.tables, 10u);
  for (const DocProblem& p : r.problems) {
    ADD_FAILURE() << p.page << ":" << p.line << ": " << p.what;
  }
}

}  // namespace
}  // namespace lockstep::tools
