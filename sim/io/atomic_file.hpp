// The one way lockstep writes an output file: through a temporary next to it, renamed into place
// by commit(), so a reader never sees half a file; dropped without commit() (an error, an
// exception) it leaves nothing behind, and a fatal signal (Ctrl-C, kill, an assertion's abort)
// removes every uncommitted temporary before the process dies. An existing output path that is
// not a regular file (a device, a FIFO, a directory) is refused, never replaced.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace lockstep::sim {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // False once the temporary could not be created or a write failed.
  bool ok() const { return !failed_; }
  void write(std::string_view bytes);
  // Flushes, closes and renames; false (temporary removed) when any write failed.
  bool commit();
  const std::string& path() const { return path_; }
  // Why the file could not be written ("" while ok()).
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
  std::string error_;
  char* tracked_ = nullptr;  // this temporary's entry in the signal-cleanup list
};

// Writes `content` to `path` atomically; false on failure.
bool write_file_atomically(const std::string& path, std::string_view content);

}  // namespace lockstep::sim
