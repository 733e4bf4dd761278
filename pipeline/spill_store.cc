#include "pipeline/spill_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace newsevents {

namespace {

std::runtime_error IoError(const char* what) {
  return std::runtime_error(std::string("de-duplication spill file: ") + what + ": " +
                            std::strerror(errno));
}

}  // namespace

SpillStore::SpillStore(size_t buffer_words) : buffer_words_(buffer_words) {
  if (buffer_words_ == 0) throw std::invalid_argument("SpillStore: empty buffer");
}

SpillStore::~SpillStore() {
  if (fd_ >= 0) close(fd_);
}

uint64_t SpillStore::Append(const uint32_t* words, size_t n) {
  if (n > buffer_words_) throw std::length_error("SpillStore: run longer than the buffer");
  if (buffer_.size() + n > buffer_words_) Flush();
  if (buffer_.capacity() < buffer_words_ && buffer_.size() + n > buffer_.capacity())
    buffer_.reserve(std::min(buffer_words_, std::max<size_t>(1024, 2 * buffer_.capacity())));
  const uint64_t at = size();
  buffer_.insert(buffer_.end(), words, words + n);
  return at;
}

void SpillStore::Read(uint64_t at, size_t n, uint32_t* out) const {
  if (at >= written_) {  // runs never straddle the file and the buffer
    std::copy_n(buffer_.data() + (at - written_), n, out);
    return;
  }
  char* to = reinterpret_cast<char*>(out);
  size_t left = n * sizeof(uint32_t);
  off_t from = static_cast<off_t>(at * sizeof(uint32_t));
  while (left > 0) {
    const ssize_t got = pread(fd_, to, left, from);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      if (got == 0) errno = EIO;
      throw IoError("read");
    }
    to += got;
    from += got;
    left -= static_cast<size_t>(got);
  }
}

void SpillStore::Flush() {
  if (!tried_file_) {
    tried_file_ = true;
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    std::string pattern = (ec ? std::filesystem::path("/tmp") : dir) / "newsevents-dedup-XXXXXX";
    fd_ = mkstemp(pattern.data());
    if (fd_ >= 0) unlink(pattern.c_str());
  }
  if (fd_ < 0) return;  // no file: everything stays in the buffer
  const char* from = reinterpret_cast<const char*>(buffer_.data());
  size_t left = buffer_.size() * sizeof(uint32_t);
  off_t to = static_cast<off_t>(written_ * sizeof(uint32_t));
  while (left > 0) {
    const ssize_t put = pwrite(fd_, from, left, to);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) throw IoError("write");
    from += put;
    to += put;
    left -= static_cast<size_t>(put);
  }
  written_ += buffer_.size();
  buffer_.clear();
}

}  // namespace newsevents
