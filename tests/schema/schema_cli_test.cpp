// `lockstep schema`: prints the committed schema, writes it with --out, answers --help, and
// refuses other arguments with exit 2.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/support.hpp"

namespace {

using lockstep::testing::run_lockstep;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SchemaCli, Schema_NoArguments_PrintsTheCommittedSchema) {
  const auto r = run_lockstep("schema");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out == read_file("docs/scenario.schema.json"))
      << "run build/tools/lockstep schema --out docs/scenario.schema.json";
}

TEST(SchemaCli, Schema_Out_WritesTheSameBytes) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("lockstep-schema-" + std::to_string(::getpid()) + ".json"))
                               .string();
  const auto r = run_lockstep("schema --out " + path);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(read_file(path) == read_file("docs/scenario.schema.json"));
  std::filesystem::remove(path);
}

TEST(SchemaCli, Schema_Help_PrintsTheSynopsis) {
  const auto r = run_lockstep("schema --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("usage: lockstep schema [--out FILE]"), std::string::npos) << r.out;
}

TEST(SchemaCli, Schema_UnknownArgument_ExitsTwo) {
  const auto r = run_lockstep("schema --bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("lockstep schema: takes no arguments but --out FILE"), std::string::npos)
      << r.out;
  EXPECT_EQ(run_lockstep("schema --out /proc/nope/schema.json").exit_code, 2);
}

}  // namespace
