#include "tools/docs/rows.hpp"

#include <cctype>
#include <regex>

namespace lockstep::tools {
namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `line` with code spans and link targets blanked (link texts too: they are names).
std::string prose_only(const std::string& line) {
  std::string out = line;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '`') {
      const size_t end = out.find('`', i + 1);
      const size_t stop = end == std::string::npos ? out.size() : end + 1;
      for (size_t k = i; k < stop; ++k) out[k] = ' ';
      i = stop - 1;
    } else if (out[i] == '[') {
      const size_t close = out.find("](", i);
      const size_t paren = close == std::string::npos ? close : out.find(')', close);
      if (paren == std::string::npos) continue;
      for (size_t k = i; k <= paren; ++k) out[k] = ' ';
      i = paren;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> bare_numbers(const std::string& line) {
  std::string text = prose_only(line);
  static const std::regex list_number(R"(^\s*\d+\.\s)");
  std::smatch m;
  if (std::regex_search(text, m, list_number)) {
    for (long k = 0; k < m.length(0); ++k) text[static_cast<size_t>(k)] = ' ';
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    const char prev = i > 0 ? text[i - 1] : ' ';
    const char prev2 = i > 1 ? text[i - 2] : ' ';
    const bool inside_word = word_char(prev) || prev == '.' || (prev == '-' && word_char(prev2));
    size_t end = i;
    while (end < text.size() && (word_char(text[end]) || text[end] == '.' || text[end] == '%')) {
      ++end;
    }
    while (end > i && text[end - 1] == '.') --end;  // a full stop after the number
    if (!inside_word) out.push_back(text.substr(i, end - i));
    i = end;
  }
  return out;
}

std::vector<std::string> unlinked_scenarios(const std::string& line) {
  static const std::regex name(R"([A-Za-z0-9_./-]+\.ya?ml\b)");
  std::string text = line;
  // Blank link targets only: `[clean.yaml](x.yaml)` still names one in its text, which is fine.
  static const std::regex target(R"(\]\([^)]*\))");
  text = std::regex_replace(text, target, "]");
  static const std::regex link_text(R"(\[[^\]]*\])");
  text = std::regex_replace(text, link_text, "");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[0]);
  }
  return out;
}

}  // namespace lockstep::tools
