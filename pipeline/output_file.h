// OutputFile: where records go, written so that a failure never leaves a
// torn line and never loses a line already written.
//
// Lines go to a temporary file beside the target; Finish() flushes, syncs and
// renames it into place. If a write fails (disk full, I/O error), the file is
// cut back to its last whole line and still renamed into place, so every
// record written before the failure survives and none is half there. "-"
// writes to standard output; a device or a pipe (/dev/null) is written to
// directly.
#ifndef NEWSEVENTS_OUTPUT_FILE_H_
#define NEWSEVENTS_OUTPUT_FILE_H_

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace newsevents {

class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OutputFile {
 public:
  // Creates the temporary file; throws OutputError if it cannot.
  explicit OutputFile(const std::string& path);
  ~OutputFile();  // without Finish(): the temporary file is removed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Appends whole lines (each ending in '\n'). Throws OutputError on failure,
  // after cutting the file back to the last whole line.
  void Write(std::string_view lines);

  // Makes the file visible under its final name. Safe to call after a failed
  // Write: what was completely written is kept.
  void Finish();

  const std::string& path() const { return path_; }
  uint64_t bytes_written() const { return committed_; }

 private:
  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool direct_ = false;   // stdout, a device or a pipe: no temporary file
  bool owns_fd_ = false;
  bool finished_ = false;
  uint64_t committed_ = 0;  // bytes of whole lines on disk
  uint64_t write_limit_;    // for tests: a simulated full disk
};

}  // namespace newsevents

#endif  // NEWSEVENTS_OUTPUT_FILE_H_
