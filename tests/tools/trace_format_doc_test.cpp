// docs/trace-format.md documents the whole vocabulary: the kernel's kinds and fields, and one
// section per protocol with every kind and field that protocol declares. A kind or field added
// without a row in the doc fails here, naming it and where the row belongs.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "protocols/registry.hpp"
#include "sim/core/vocabulary.hpp"

namespace lockstep::sim {
namespace {

std::string doc() {
  std::ifstream in("docs/trace-format.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* type_word(FieldType type) {
  switch (type) {
    case FieldType::integer:
      return "integer";
    case FieldType::node:
      return "node id";
    case FieldType::duration_ns:
      return "nanoseconds";
    case FieldType::boolean:
      return "boolean";
    case FieldType::message_type:
      return "message name";
  }
  return "?";
}

// The text from `heading` to the next heading of the same or a higher level ("" if absent).
std::string section(const std::string& text, const std::string& heading) {
  const size_t start = text.find("\n" + heading + "\n");
  if (start == std::string::npos) return "";
  const size_t level = heading.find(' ');
  size_t end = start + heading.size() + 2;
  for (;;) {
    end = text.find("\n#", end);
    if (end == std::string::npos) return text.substr(start);
    const size_t hashes = text.find_first_not_of('#', end + 1) - (end + 1);
    if (hashes <= level) return text.substr(start, end - start);
    ++end;
  }
}

// The table row whose first cell is `name` in `text`, or "".
std::string row(const std::string& text, std::string_view name) {
  const size_t at = text.find("\n| `" + std::string(name) + "` |");
  if (at == std::string::npos) return "";
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

TEST(TraceFormatDoc, DocumentsEveryKernelKindAndField) {
  const std::string text = doc();
  ASSERT_FALSE(text.empty()) << "docs/trace-format.md is missing (run from the repository root)";
  const std::string kernel = section(text, "## The kernel's kinds");
  ASSERT_FALSE(kernel.empty()) << "no section '## The kernel's kinds'";
  const Vocabulary v;
  for (size_t i = 0; i < kKernelKinds; ++i) {
    const std::string_view name = v.name(static_cast<Kind>(i));
    EXPECT_FALSE(row(kernel, name).empty()) << "kernel kind " << name << " has no row";
  }
  const std::string fields = section(text, "### Fields");
  for (size_t i = 0; i < kKernelKeys; ++i) {
    const Key key = static_cast<Key>(i);
    const std::string line = row(fields, v.name(key));
    ASSERT_FALSE(line.empty()) << "kernel field " << v.name(key) << " has no row in ### Fields";
    EXPECT_NE(line.find(type_word(v.type(key))), std::string::npos)
        << "the row of " << v.name(key) << " should say " << type_word(v.type(key));
  }
}

TEST(TraceFormatDoc, DocumentsEveryProtocolsKindsAndFieldsInItsOwnSection) {
  const std::string text = doc();
  ASSERT_FALSE(text.empty());
  const std::vector<ProtocolSpec> specs = protocols::protocol_specs();
  ASSERT_GE(specs.size(), 5u);
  for (const ProtocolSpec& p : specs) {
    const std::string heading = "### `" + std::string(p.name) + "`";
    const std::string part = section(text, heading);
    ASSERT_FALSE(part.empty()) << "protocol " << p.name << " has no section '" << heading << "'";
    for (const ObservationSpec& o : p.observations) {
      EXPECT_FALSE(row(part, o.kind).empty())
          << o.kind << " (declared by " << p.name << ") has no row in its section";
    }
    for (const FieldSpec& f : p.fields) {
      const std::string line = row(part, f.name);
      EXPECT_FALSE(line.empty()) << "field " << f.name << " of " << p.name << " has no row";
      EXPECT_NE(line.find(type_word(f.type)), std::string::npos)
          << "the row of " << f.name << " in " << p.name << " should say " << type_word(f.type);
    }
  }
}

TEST(TraceFormatDoc, AMissingRowIsFound) {
  // The section and row finders must see through the doc's shape, or the tests above pass idly.
  const std::string fake =
      "x\n## The kernel's kinds\n| `net.send` | a | `to` |\n## Next\n| `lock.x` |\n";
  EXPECT_FALSE(row(section(fake, "## The kernel's kinds"), "net.send").empty());
  EXPECT_TRUE(row(section(fake, "## The kernel's kinds"), "lock.x").empty());
  EXPECT_TRUE(row(section(fake, "## The kernel's kinds"), "to").empty());  // not a first cell
}

TEST(TraceFormatDoc, StatesTheSchemaVersion) {
  EXPECT_NE(doc().find("\"schema_version\":1"), std::string::npos);
}

}  // namespace
}  // namespace lockstep::sim
