// Small helpers the test suites share: reading a file whole, listing scenario files, running
// the `lockstep` binary the way a user does, and turning a path into a gtest parameter name.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lockstep::testing {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every .yaml under `dir` (recursively), sorted; empty when `dir` does not exist.
inline std::vector<std::string> yaml_files_under(const std::string& dir) {
  std::vector<std::string> files;
  if (!std::filesystem::exists(dir)) return files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") {
      files.push_back(e.path().generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "scenarios/lease-lock/clean.yaml" -> "scenarios_lease_lock_clean_yaml".
inline std::string param_name(const std::string& path) {
  std::string name = path;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

struct CliResult {
  int exit_code;
  std::string out;  // stdout and stderr together
};

// Runs the binary meson names in LOCKSTEP_BIN with `args`.
inline CliResult run_lockstep(const std::string& args) {
  const char* bin = std::getenv("LOCKSTEP_BIN");
  EXPECT_NE(bin, nullptr) << "LOCKSTEP_BIN is set by meson";
  const std::string cmd = std::string(bin ? bin : "lockstep") + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace lockstep::testing
