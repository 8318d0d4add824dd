// `lockstep docs check|render`: claims tie to scenarios and runs over the stated seeds;
// generated tables cannot go stale or lose their markers unnoticed; Guarantees and Constraints
// rows hold no bare numbers; and the project's own pattern docs pass. Each deliberate edit of
// issue 15's "Done when" is one test below, on fixture pages in a temporary folder.
#include <gtest/gtest.h>
#include <unistd.h>

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

// The 1-based line of the first occurrence of `what` in `p`.
int line_of(const fs::path& p, const std::string& what) {
  std::stringstream ss(read(p));
  std::string line;
  for (int n = 1; std::getline(ss, line); ++n) {
    if (line.find(what) != std::string::npos) return n;
  }
  ADD_FAILURE() << "no line with " << what;
  return 0;
}

constexpr const char* kPage = R"(# Example pattern

## Guarantees

| property | holds under | breaks under | scenario |
|---|---|---|---|
| mutual exclusion (believed) | no pauses | a pause longer than the lease | [pause](../../scenarios/pause.yaml): `mutual_exclusion: violated` |
| resource safety | — | no fencing | [pause](../../scenarios/pause.yaml): `fenced_writes: violated` |
| beliefs never overlap | slow clocks, `safety_margin = 3s` on a `lease = 20s` lease | — | [drift](../../scenarios/drift.yaml): `mutual_exclusion: holds on 5/5 seeds` |
| waits stay short | no pauses | — | [drift](../../scenarios/drift.yaml): `p99(lock.wait_time.max) <= 60s over 5 seeds` |

## 5. Timing parameters and their constraints

The default lease is `lease_lock.lease = 10s`.

<!-- lockstep:params protocol=lease_lock only=lease,renew_every -->
<!-- /lockstep:params -->

1. **Renew well inside the lease**: [drift](../../scenarios/drift.yaml) (`renew_every = 3s`): `liveness: holds`

## 7. Observability

<!-- lockstep:metrics scenario=scenarios/metrics.yaml seeds=5 metrics=lock.acquisitions,resource.stale_writes -->
<!-- /lockstep:metrics -->
)";

class Docs : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("lockstep-docs-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    page_ = root_ / "docs/patterns/example.md";
    write(root_ / "scenarios/pause.yaml", read("scenarios/lease-lock/pause-without-fencing.yaml"));
    write(root_ / "scenarios/metrics.yaml",
          read("scenarios/lease-lock/pause-without-fencing.yaml"));
    write(root_ / "scenarios/drift.yaml",
          read("scenarios/lease-lock/clock-drift-within-margin.yaml"));
    write(root_ / "scenarios/election.yaml", read("scenarios/bully/clean.yaml"));
    write(page_, kPage);
    render_docs(root_.string(), catalog_);
  }
  void TearDown() override { fs::remove_all(root_); }

  DocsReport check() { return check_docs(root_.string(), catalog_); }

  // Exactly one problem, on `line`, saying `what`.
  void expect_one(const DocsReport& r, int line, const std::string& what) {
    std::string all;
    for (const DocProblem& p : r.problems) all += std::to_string(p.line) + ": " + p.what + "\n";
    ASSERT_EQ(r.problems.size(), 1u) << all;
    EXPECT_EQ(r.problems[0].page, "docs/patterns/example.md");
    EXPECT_EQ(r.problems[0].line, line) << r.problems[0].what;
    EXPECT_NE(r.problems[0].what.find(what), std::string::npos) << r.problems[0].what;
  }

  sim::Catalog catalog_ = make_catalog();
  fs::path root_;
  fs::path page_;
};

TEST_F(Docs, RenderedPagesPassCheck) {
  const DocsReport r = check();
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().page << ":" << r.problems.front().line
                                  << ": " << r.problems.front().what;
  EXPECT_EQ(r.claims, 9u);
  EXPECT_EQ(r.tables, 2u);
  const std::string page = read(page_);
  EXPECT_NE(page.find("| `resource.stale_writes` | count | 1 |"), std::string::npos) << page;
  EXPECT_NE(page.find("| `lease` | 10s |"), std::string::npos) << page;
  EXPECT_NE(page.find("<!-- lockstep:tables\nparams only=lease,renew_every "
                      "protocol=lease_lock\nmetrics metrics="),
            std::string::npos)
      << page;
  EXPECT_TRUE(render_docs(root_.string(), catalog_).rendered.empty()) << "rendering is stable";
}

TEST_F(Docs, AFlippedExpectationFailsNamingPageAndRow) {
  replace(root_ / "scenarios/pause.yaml", "mutual_exclusion: violated", "mutual_exclusion: holds");
  expect_one(check(), 7, "its expect: says holds");
}

TEST_F(Docs, AClaimTheRunContradictsFails) {
  replace(page_, "`fenced_writes: violated`", "`fenced_writes: holds`");
  expect_one(check(), 8, "gives violated");
}

// Done when: a prose number in a Guarantees row.
TEST_F(Docs, AProseNumberInAGuaranteeRowFails) {
  replace(page_, "| waits stay short |", "| a waiting client gets the lock within 15s |");
  expect_one(check(), 10, "bare number(s) 15s in a Guarantees row");
}

// A number stated as a claim is measured over its seeds: a tighter bound than the runs give fails.
TEST_F(Docs, AMetricClaimTheSeedsContradictFails) {
  replace(page_, "<= 60s over 5 seeds", "<= 1ms over 5 seeds");
  expect_one(check(), 10, "claims `p99(lock.wait_time.max) <= 1ms over 5 seeds` for");
}

// Done when: the default changed in text and table.
TEST_F(Docs, ADefaultChangedInTextAndTableFails) {
  replace(page_, "`lease_lock.lease = 10s`", "`lease_lock.lease = 30s`");
  replace(page_, "| `lease` | 10s |", "| `lease` | 30s |");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].line, 14);
  EXPECT_NE(r.problems[0].what.find("the default is 10s"), std::string::npos) << r.problems[0].what;
  EXPECT_EQ(r.problems[1].line, 16);
  EXPECT_NE(r.problems[1].what.find("stale or was edited by hand"), std::string::npos);
}

// Done when: a scenario param changed under a page.
TEST_F(Docs, AScenarioParamChangedUnderThePageFails) {
  replace(root_ / "scenarios/drift.yaml", "safety_margin: 3s", "safety_margin: 2300ms");
  expect_one(check(), 9, "claims `safety_margin = 3s` for scenarios/drift.yaml, but it is 2300ms");
}

// Done when: a misspelled checker.
TEST_F(Docs, AMisspelledCheckerFails) {
  replace(page_, "`mutual_exclusion: violated`", "`mutual_exclusoin: violated`");
  expect_one(check(), 7, "unknown checker 'mutual_exclusoin'");
}

// Done when: a scenario named in plain text.
TEST_F(Docs, APlainTextScenarioNameFails) {
  replace(page_, "[drift](../../scenarios/drift.yaml): `p99", "`drift.yaml`: `p99");
  const DocsReport r = check();
  ASSERT_GE(r.problems.size(), 1u);
  bool named = false;
  for (const DocProblem& p : r.problems) {
    EXPECT_EQ(p.line, 10) << p.what;
    named = named || p.what.find("names drift.yaml in plain text") != std::string::npos;
  }
  EXPECT_TRUE(named);
}

// Done when: a re-pointed row. To a scenario that does not configure the claimed checker...
TEST_F(Docs, ARowRepointedToAScenarioWithoutTheCheckerFails) {
  replace(page_, "[pause](../../scenarios/pause.yaml): `fenced",
          "[pause](../../scenarios/election.yaml): `fenced");
  expect_one(check(), 8, "does not configure checker fenced_writes");
}

// ... and to one that configures it and reaches the same verdict, but not under the row's
// conditions.
TEST_F(Docs, ARowRepointedToAScenarioWithOtherParamsFails) {
  replace(page_, "[drift](../../scenarios/drift.yaml): `mutual_exclusion: holds on 5/5",
          "[drift](../../scenarios/metrics.yaml): `mutual_exclusion: violated on 5/5");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].line, 9);
  EXPECT_NE(
      r.problems[0].what.find("`safety_margin = 3s` for scenarios/metrics.yaml, but it is 0s"),
      std::string::npos)
      << r.problems[0].what;
  EXPECT_NE(r.problems[1].what.find("`lease = 20s`"), std::string::npos) << r.problems[1].what;
}

// Done when: an unmarked table (its markers removed, the numbers left as if typed by hand).
TEST_F(Docs, ATableWhoseMarkersWereRemovedFails) {
  const int record_line = line_of(page_, "metrics metrics=lock.acquisitions");
  const int footer_line = line_of(page_, "seeds of `scenarios/metrics.yaml`");
  replace(page_,
          "<!-- lockstep:metrics scenario=scenarios/metrics.yaml seeds=5 "
          "metrics=lock.acquisitions,resource.stale_writes -->\n",
          "");
  replace(page_, "<!-- /lockstep:metrics -->\n", "");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].line, footer_line - 1);
  EXPECT_NE(r.problems[0].what.find("outside its markers"), std::string::npos);
  EXPECT_EQ(r.problems[1].line, record_line - 2);
  EXPECT_NE(r.problems[1].what.find("has no markers on the page"), std::string::npos);
}

// Done when: a deleted scenario named in a marker; the rest of the page is still checked.
TEST_F(Docs, ADeletedScenarioInAMarkerFailsAndCheckingGoesOn) {
  fs::remove(root_ / "scenarios/metrics.yaml");
  replace(page_, "`fenced_writes: violated`", "`fenced_writes: holds`");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].line, 8);
  EXPECT_EQ(r.problems[1].line, line_of(page_, "<!-- lockstep:metrics"));
  EXPECT_NE(r.problems[1].what.find("names scenarios/metrics.yaml, which does not exist"),
            std::string::npos);
  EXPECT_EQ(r.claims, 9u);
}

TEST_F(Docs, AMissingScenarioInAClaimFailsAndCheckingGoesOn) {
  replace(page_, "[pause](../../scenarios/pause.yaml): `fenced",
          "[pause](../../scenarios/gone.yaml): `fenced");
  replace(page_, "| resource safety |",
          "| liveness | always | never | trust us |\n| resource safety |");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].line, 8);
  EXPECT_NE(r.problems[0].what.find("without a linked scenario"), std::string::npos);
  EXPECT_EQ(r.problems[1].line, 9);
  EXPECT_NE(r.problems[1].what.find("does not exist"), std::string::npos);
}

// No silent holes: a claim naming something this build or the scenario does not have is a
// problem at its line, never a claim quietly skipped.
TEST_F(Docs, AnUnknownMetricFails) {
  replace(page_, "p99(lock.wait_time.max)", "p99(lock.wait_tim.max)");
  expect_one(check(), 10, "reports no metric 'lock.wait_tim.max'");
}

TEST_F(Docs, AnUnknownParamFails) {
  replace(page_, "`safety_margin = 3s`", "`safety_margn = 3s`");
  expect_one(check(), 9, "has no 'safety_margn'");
}

TEST_F(Docs, AMalformedClaimFails) {
  replace(page_, "`mutual_exclusion: holds on 5/5 seeds`",
          "`mutual_exclusion: holds on most seeds`");
  expect_one(check(), 9, "malformed claim");
}

TEST_F(Docs, AClaimWithoutALinkFails) {
  replace(page_, "The default lease is",
          "The drift scenario keeps `liveness: holds`; the default lease is");
  expect_one(check(), 14, "links no scenario on its line");
}

TEST_F(Docs, AScenarioNamedInPlainTextInAConstraintFails) {
  replace(page_, "1. **Renew well inside the lease**:",
          "1. **Renew well inside the lease** (see drift.yaml):");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].what.find("names drift.yaml in plain text"), std::string::npos);
}

TEST_F(Docs, AVerdictCountIsJudgedOverTheStatedSeeds) {
  replace(page_, "`mutual_exclusion: holds on 5/5 seeds`",
          "`mutual_exclusion: violated on >= 1 of 5 seeds`");
  expect_one(check(), 9, "but violated on 0 of 5 seeds");
}

TEST_F(Docs, AHandEditedTableIsStale) {
  replace(page_, "| `lock.acquisitions` | count | 3 |", "| `lock.acquisitions` | count | 4 |");
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].what.find("stale or was edited by hand"), std::string::npos);
}

TEST_F(Docs, AMalformedMarkerIsAnInputError) {
  replace(page_, "seeds=5 metrics", "seeds=5 colour=red metrics");
  EXPECT_THROW(check(), sim::InputError);
}

// The cache returns what a fresh exploration gives, and a damaged entry is ignored.
TEST_F(Docs, TheCacheNeverChangesAVerdict) {
  replace(page_, "<= 60s over 5 seeds", "<= 1ms over 5 seeds");
  DocsOptions o;
  o.cache_dir = (root_ / "cache").string();
  const DocsReport first = check_docs(root_.string(), catalog_, o);
  const DocsReport second = check_docs(root_.string(), catalog_, o);
  EXPECT_EQ(second.cache_hits, second.explorations);
  EXPECT_GT(second.cache_hits, 0u);
  for (const auto& e : fs::directory_iterator(root_ / "cache")) write(e.path(), "{\"runs\": [");
  const DocsReport third = check_docs(root_.string(), catalog_, o);
  EXPECT_EQ(third.cache_hits, 0u);
  for (const DocsReport* r : {&first, &second, &third}) {
    ASSERT_EQ(r->problems.size(), 1u);
    EXPECT_EQ(r->problems[0].what, first.problems[0].what);
  }
}

// Issue 15: every page keeps the template's sections. The fixture root gets a template whose
// outline is the fixture page's headings plus one subsection; the page lacks it, then holds it
// in the wrong place, then in the right one but empty, then with a sentence.
TEST_F(Docs, APageMissingOrMisplacingATemplateSectionFails) {
  write(root_ / "docs/patterns/TEMPLATE.md",
        "# Pattern page template\n\n## How to write claims\n\n```markdown\n## Not a section\n```\n"
        "\n# NAME OF THE PATTERN\n\n## Guarantees\n\n## 5. Timing parameters and their "
        "constraints\n\n### Backoff and jitter\n\n## 7. Observability\n");
  expect_one(check(), line_of(page_, "## 5. Timing"),
             "missing the template section '### Backoff and jitter', which belongs after '## 5. "
             "Timing parameters and their constraints' (docs/patterns/TEMPLATE.md:15)");
  replace(page_, "## 5. Timing", "### Backoff and jitter\n\nNone.\n\n## 5. Timing");
  expect_one(check(), line_of(page_, "## 5. Timing"),
             "the template section '### Backoff and jitter' is out of order");
  replace(page_, "### Backoff and jitter\n\nNone.\n\n## 5. Timing", "## 5. Timing");
  replace(page_, "## 7. Observability\n", "### Backoff and jitter\n\n## 7. Observability\n");
  expect_one(check(), line_of(page_, "### Backoff and jitter"),
             "the template section '### Backoff and jitter' is empty");
  replace(page_, "### Backoff and jitter\n", "### Backoff and jitter\n\nNothing retries.\n");
  const DocsReport r = check();
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().line << ": " << r.problems.front().what;
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
