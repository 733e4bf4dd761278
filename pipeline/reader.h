// Reader: turns a file of a drop into UTF-8 text, whatever it was written in.
//
// Plain UTF-8 passes through untouched (the common case costs one validation
// scan). A UTF-8 BOM is dropped; UTF-16 (with a BOM, or recognized by its NUL
// bytes) is decoded with ICU; invalid UTF-8 bytes become U+FFFD and a warning
// names the first bad offset. Binary files and empty files are reported, not
// read as text. Every decoded byte maps back to a file byte.
#ifndef NEWSEVENTS_READER_H_
#define NEWSEVENTS_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/document.h"

namespace newsevents {

struct ReadOptions {
  uint64_t max_file_bytes = uint64_t{1} << 30;  // larger files are refused
};

enum class ReadStatus {
  kOk,        // text (maybe with warnings)
  kEmpty,     // nothing to read: no items, not an error
  kSkipped,   // not text (binary) or too large: reported, no items
  kError,     // could not be read at all (missing, permission, I/O)
};

struct ReadResult {
  ReadStatus status = ReadStatus::kOk;
  std::string message;  // why, for kSkipped and kError
  std::string text;     // UTF-8
  OffsetMap to_file;    // text byte -> file byte
  uint64_t file_size = 0;
  std::vector<Warning> warnings;
};

// Reads and decodes the file at `path`.
ReadResult ReadSourceFile(const std::string& path, const ReadOptions& options);

// Decodes bytes already in memory (the part of ReadSourceFile tests use).
ReadResult DecodeBytes(std::string bytes);

}  // namespace newsevents

#endif  // NEWSEVENTS_READER_H_
