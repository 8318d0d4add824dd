// docs/trace-format.md documents the whole vocabulary of sim/event.hpp: a kind or field added
// there without a line in the doc fails here, naming it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/core/event.hpp"

namespace lockstep::sim {
namespace {

std::string doc() {
  std::ifstream in("docs/trace-format.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(TraceFormatDoc, DocumentsEveryKind) {
  const std::string text = doc();
  ASSERT_FALSE(text.empty()) << "docs/trace-format.md is missing";
  for (size_t i = 0; i < kKindCount; ++i) {
    const std::string name(kind_name(static_cast<Kind>(i)));
    EXPECT_NE(text.find("| `" + name + "` |"), std::string::npos)
        << "kind " << name << " (sim/event.hpp) has no row in docs/trace-format.md";
  }
}

TEST(TraceFormatDoc, DocumentsEveryFieldWithItsType) {
  const std::string text = doc();
  for (size_t i = 0; i < kKeyCount; ++i) {
    const Key key = static_cast<Key>(i);
    const std::string name(key_name(key));
    const size_t row = text.find("| `" + name + "` |");
    ASSERT_NE(row, std::string::npos)
        << "field " << name << " (sim/event.hpp) has no row in docs/trace-format.md";
    const std::string line = text.substr(row, text.find('\n', row) - row);
    const char* type = "";
    switch (key_type(key)) {
      case FieldType::integer:
        type = "integer";
        break;
      case FieldType::node:
        type = "node id";
        break;
      case FieldType::duration_ns:
        type = "nanoseconds";
        break;
      case FieldType::boolean:
        type = "boolean";
        break;
      case FieldType::message_type:
        type = "message name";
        break;
    }
    EXPECT_NE(line.find(type), std::string::npos)
        << "the row of " << name << " should say " << type << ": " << line;
  }
}

TEST(TraceFormatDoc, StatesTheSchemaVersion) {
  EXPECT_NE(doc().find("\"schema_version\":1"), std::string::npos);
}

}  // namespace
}  // namespace lockstep::sim
