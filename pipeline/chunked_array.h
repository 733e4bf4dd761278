// ChunkedArray: an append-only array kept in chunks of a fixed number of
// elements.
//
// The de-duplication index appends a few hundred bytes per item for as long
// as a run lasts. A std::vector doubles its capacity as it grows: up to half
// of it is unused, and while it grows the old and the new buffer are both
// alive, so a vector of 150 MB briefly needs 450. Chunks grow the array a
// chunk at a time and never move what is stored.
//
// Elements are appended in runs that never straddle two chunks, so a run
// (an item's signature, its fact lists) is contiguous: when the last chunk
// has too little room left for a run, its tail stays unused.
#ifndef NEWSEVENTS_CHUNKED_ARRAY_H_
#define NEWSEVENTS_CHUNKED_ARRAY_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace newsevents {

template <typename T>
class ChunkedArray {
 public:
  explicit ChunkedArray(size_t chunk) : chunk_(chunk) {
    if (chunk_ == 0) throw std::invalid_argument("ChunkedArray: empty chunks");
    // Chunks of a power of two are indexed by shifts, not divisions (the
    // packed multimaps' binary searches and merges index element by element).
    if ((chunk_ & (chunk_ - 1)) == 0)
      while ((size_t{1} << shift_) < chunk_) ++shift_;
    else
      shift_ = -1;
  }

  // Appends `n` value-initialized elements, contiguous, and returns the index
  // of the first (for n == 0, the index the next run would start at, which
  // must not be read).
  size_t AppendRun(size_t n) {
    if (n > chunk_) throw std::length_error("ChunkedArray: run longer than a chunk");
    if (n == 0) return end_;
    if (end_ % chunk_ + n > chunk_ && end_ % chunk_ != 0) end_ += chunk_ - end_ % chunk_;
    if (end_ + n > chunks_.size() * chunk_) chunks_.push_back(std::make_unique<T[]>(chunk_));
    const size_t at = end_;
    end_ += n;
    return at;
  }

  void push_back(const T& v) { (*this)[AppendRun(1)] = v; }

  T& operator[](size_t i) {
    return shift_ >= 0 ? chunks_[i >> shift_][i & (chunk_ - 1)] : chunks_[i / chunk_][i % chunk_];
  }
  const T& operator[](size_t i) const {
    return shift_ >= 0 ? chunks_[i >> shift_][i & (chunk_ - 1)] : chunks_[i / chunk_][i % chunk_];
  }

  // Moves elements [from, to) up to [dest, dest + to - from) (dest >= from),
  // as memmove would, across chunks: the packed multimaps make room for new
  // pairs by moving the old ones up in runs.
  void MoveUp(size_t from, size_t to, size_t dest) {
    static_assert(std::is_trivially_copyable_v<T>);
    size_t n = to - from, src_end = to, dst_end = dest + n;
    while (n > 0) {  // from the top: what is left to read lies below what was written
      const size_t step = std::min({n, (src_end - 1) % chunk_ + 1, (dst_end - 1) % chunk_ + 1});
      std::memmove(&(*this)[dst_end - step], &(*this)[src_end - step], step * sizeof(T));
      src_end -= step;
      dst_end -= step;
      n -= step;
    }
  }

  // One past the last element appended (unused chunk tails included).
  size_t end() const { return end_; }
  size_t MemoryBytes() const {
    return chunks_.size() * chunk_ * sizeof(T) + chunks_.capacity() * sizeof(chunks_[0]);
  }

 private:
  size_t chunk_;
  int shift_ = 0;  // log2(chunk_), or -1 if chunk_ is no power of two
  size_t end_ = 0;
  std::vector<std::unique_ptr<T[]>> chunks_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_CHUNKED_ARRAY_H_
