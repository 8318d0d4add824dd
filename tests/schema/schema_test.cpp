// docs/scenario.schema.json is `lockstep schema`'s output: regenerated here from the loader's key
// tables and the catalog and compared byte for byte, so the committed schema cannot drift.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "sim/io/scenario_keys.hpp"
#include "tools/engine/runner.hpp"
#include "tools/render/scenario_schema.hpp"

namespace lockstep {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Schema, Schema_Committed_MatchesTheLoadersTables) {
  const sim::Catalog catalog = tools::make_catalog();
  const std::string committed = read_file("docs/scenario.schema.json");
  ASSERT_FALSE(committed.empty()) << "docs/scenario.schema.json is missing";
  const std::string generated = tools::scenario_schema(catalog);
  if (generated == committed) return;
  // Name the first line that differs rather than print both files.
  std::istringstream a(generated), b(committed);
  std::string la, lb;
  int line = 1;
  while (std::getline(a, la) && std::getline(b, lb) && la == lb) ++line;
  ADD_FAILURE() << "docs/scenario.schema.json is stale at line " << line << ": generated '" << la
                << "', committed '" << lb
                << "'; run build/tools/lockstep schema --out docs/scenario.schema.json";
}

// Every key of every section table is a property of that section in the schema, and nothing else.
TEST(Schema, Schema_EverySection_HasExactlyTheTablesKeys) {
  const sim::Catalog catalog = tools::make_catalog();
  const auto schema = nlohmann::json::parse(tools::scenario_schema(catalog));
  for (const sim::keys::Section& s : sim::keys::kSections) {
    const nlohmann::json& def =
        s.name == "scenario" ? schema : schema["$defs"][std::string(s.name)];
    ASSERT_TRUE(def.contains("properties")) << s.name;
    EXPECT_EQ(def["properties"].size(), s.keys.size()) << s.name;
    for (const sim::keys::Key& k : s.keys) {
      EXPECT_TRUE(def["properties"].contains(std::string(k.name))) << s.name << "." << k.name;
    }
    EXPECT_EQ(def["additionalProperties"], false) << s.name;
  }
}

TEST(Schema, Schema_ProtocolNames_AreTheCatalogs) {
  const sim::Catalog catalog = tools::make_catalog();
  const auto schema = nlohmann::json::parse(tools::scenario_schema(catalog));
  const nlohmann::json& names = schema["$defs"]["protocol"]["properties"]["name"]["enum"];
  ASSERT_EQ(names.size(), catalog.protocols().size());
  for (size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], catalog.protocols()[i].name);
}

}  // namespace
}  // namespace lockstep
