// SpillStore: an append-only array of 32-bit words whose older part lives in
// a temporary file and is read back with pread.
//
// The de-duplication index keeps, for every item ever seen, a MinHash
// signature and fact lists (about 220 bytes) that are read only when the item
// is judged as a candidate, a few dozen times per new item at most. Held in
// the process they made a 1 GB input need ~250 MB more; in a file they sit in
// the page cache, which the kernel may drop and which is not the process's
// memory. The newest words stay in a buffer until it is full.
//
// The file is created in the temporary folder (TMPDIR) and unlinked at once,
// so it disappears with the process however it ends. If no file can be
// created the words stay in memory (the store is then as large as the data).
//
//   SpillStore store;
//   uint64_t at = store.Append(words.data(), words.size());
//   store.Read(at, words.size(), out);  // the same words
#ifndef NEWSEVENTS_SPILL_STORE_H_
#define NEWSEVENTS_SPILL_STORE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace newsevents {

class SpillStore {
 public:
  // `buffer_words`: how many words are kept in memory before they are
  // written out (and the largest run Append takes).
  explicit SpillStore(size_t buffer_words = 1 << 18);
  ~SpillStore();
  SpillStore(const SpillStore&) = delete;
  SpillStore& operator=(const SpillStore&) = delete;

  // Appends n words and returns the offset of the first (in words).
  // Throws std::length_error for a run longer than the buffer,
  // std::runtime_error if the file cannot be written.
  uint64_t Append(const uint32_t* words, size_t n);
  // Copies n words starting at offset `at` (a run given to Append) to out.
  // Throws std::runtime_error if the file cannot be read.
  void Read(uint64_t at, size_t n, uint32_t* out) const;

  uint64_t size() const { return written_ + buffer_.size(); }  // words
  uint64_t spilled_words() const { return fd_ >= 0 ? written_ : 0; }
  size_t MemoryBytes() const { return buffer_.capacity() * sizeof(uint32_t); }

 private:
  void Flush();

  size_t buffer_words_;
  std::vector<uint32_t> buffer_;  // words from written_ on
  uint64_t written_ = 0;          // words in the file
  int fd_ = -1;
  bool tried_file_ = false;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_SPILL_STORE_H_
