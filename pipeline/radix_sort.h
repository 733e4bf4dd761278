// RadixSort: a stable sort of 64-bit numbers by a field of their bits, 11
// bits at a time (least significant first).
//
// The packed multimaps of the de-duplication index sort their new pairs, a
// sixty-fourth of all pairs, every time they merge them in: hundreds of
// thousands of pairs of random hash keys at a time, over and over as the
// index grows. std::sort on (key, value) pairs took about 450 instructions a
// pair there; a pair packed as key << 32 | value and sorted on its 32 key
// bits takes three passes that read and write each number once.
#ifndef NEWSEVENTS_RADIX_SORT_H_
#define NEWSEVENTS_RADIX_SORT_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace newsevents {

// Sorts *numbers by their bits [first_bit, first_bit + bits) read as an
// unsigned number (first_bit + bits <= 64); numbers equal there keep their
// order. `scratch` is working room, resized as needed: callers that sort
// again and again keep it to spare the allocation.
inline void RadixSort(std::vector<uint64_t>* numbers, int first_bit, int bits,
                      std::vector<uint64_t>* scratch) {
  constexpr int kDigitBits = 11;
  constexpr size_t kDigits = size_t{1} << kDigitBits;
  const int passes = (bits + kDigitBits - 1) / kDigitBits;
  if (numbers->size() < 2 || passes == 0) return;
  constexpr int kMaxPasses = (64 + kDigitBits - 1) / kDigitBits;
  std::array<int, kMaxPasses> shift{};
  std::array<uint64_t, kMaxPasses> mask{};
  for (int p = 0; p < passes; ++p) {
    shift[p] = first_bit + p * kDigitBits;
    mask[p] = (uint64_t{1} << std::min(kDigitBits, bits - p * kDigitBits)) - 1;
  }
  // Every pass's counts from one read of the numbers.
  std::vector<std::array<uint32_t, kDigits>> counts(passes);
  for (auto& c : counts) c.fill(0);
  for (const uint64_t n : *numbers)
    for (int p = 0; p < passes; ++p) ++counts[p][(n >> shift[p]) & mask[p]];
  scratch->resize(numbers->size());
  std::vector<uint64_t>* from = numbers;
  std::vector<uint64_t>* to = scratch;
  for (int p = 0; p < passes; ++p) {
    std::array<uint32_t, kDigits>& at = counts[p];
    const int sh = shift[p];
    const uint64_t m = mask[p];
    // A digit every number shares moves nothing: skip the pass.
    if (at[((*from)[0] >> sh) & m] == from->size()) continue;
    uint32_t start = 0;
    for (uint32_t& c : at) start += std::exchange(c, start);
    uint64_t* out = to->data();
    for (const uint64_t n : *from) out[at[(n >> sh) & m]++] = n;
    std::swap(from, to);
  }
  if (from != numbers) numbers->swap(*scratch);
}

}  // namespace newsevents

#endif  // NEWSEVENTS_RADIX_SORT_H_
