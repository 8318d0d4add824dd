#include "tools/docs/sections.hpp"

#include <cstddef>

namespace lockstep::tools {
namespace {

constexpr const char* kOutlineStart = "# NAME OF THE PATTERN";

bool is_fence(const std::string& line) {
  const size_t start = line.find_first_not_of(' ');
  return start != std::string::npos && (line.compare(start, 3, "```") == 0 ||
                                        line.compare(start, 3, "~~~") == 0);
}

std::string without_trailing_space(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

std::vector<Heading> page_headings(const std::vector<std::string>& lines, bool outline_only) {
  std::vector<Heading> out;
  bool in_fence = false;
  bool in_outline = !outline_only;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (is_fence(line)) {
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) continue;
    if (!in_outline) {
      in_outline = without_trailing_space(line) == kOutlineStart;
      continue;
    }
    if (line.rfind("## ", 0) == 0 || line.rfind("### ", 0) == 0) {
      out.push_back({without_trailing_space(line), static_cast<int>(i + 1)});
    }
  }
  return out;
}

void check_sections(const std::string& rel, const std::vector<std::string>& lines,
                    const std::vector<Heading>& skeleton, DocsReport& report) {
  const std::vector<Heading> page = page_headings(lines, false);
  size_t next = 0;         // the first page heading a later template heading may match
  int after_line = 1;      // where a missing heading belongs: after the last one matched
  std::string after_text;  // that heading
  for (const Heading& want : skeleton) {
    size_t found = next;
    while (found < page.size() && page[found].text != want.text) ++found;
    if (found < page.size()) {
      // Never left empty: some text before the next heading (a section that does not apply
      // says so in a sentence).
      const size_t from = static_cast<size_t>(page[found].line);  // the line after, 0-based
      const size_t to = found + 1 < page.size() ? static_cast<size_t>(page[found + 1].line) - 1
                                                : lines.size();
      bool text = false;
      for (size_t k = from; k < to && !text; ++k) {
        text = lines[k].find_first_not_of(" \t\r") != std::string::npos;
      }
      if (!text) {
        report.problems.push_back({rel, page[found].line,
                                   "the template section '" + want.text +
                                       "' is empty: say what applies, or in one sentence why "
                                       "nothing does"});
      }
      next = found + 1;
      after_line = page[found].line;
      after_text = page[found].text;
      continue;
    }
    std::string where = after_text.empty() ? "at the start" : "after '" + after_text + "'";
    bool elsewhere = false;
    for (size_t k = 0; k < next; ++k) elsewhere = elsewhere || page[k].text == want.text;
    report.problems.push_back(
        {rel, after_line,
         (elsewhere ? "the template section '" + want.text + "' is out of order: it belongs "
                    : "missing the template section '" + want.text + "', which belongs ") +
             where + " (docs/patterns/TEMPLATE.md:" + std::to_string(want.line) + ")"});
  }
}

}  // namespace lockstep::tools
