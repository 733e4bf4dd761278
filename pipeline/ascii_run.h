// ASCII runs: reading, normalizing and folding pass most of a text through
// unchanged or through a per-byte mapping (most text is ASCII) and send only
// the other characters through ICU. These find where a run ends, 16 bytes at
// a time, and append it with one resize.
//
//   size_t run = AsciiPrefix(p, n);           // bytes before the first >= 0x80
//   size_t plain = PlainAsciiPrefix(p, n);    // ... or the first control but '\n'
//   AppendAsciiRun(out, p, p + run, lower);   // out += lower(b) for each byte
//
// With SSE2 (every x86-64) a block of 16 is one or two compares and a
// movemask; elsewhere, and for the last bytes, a byte at a time: the results
// never depend on the machine.
#ifndef NEWSEVENTS_ASCII_RUN_H_
#define NEWSEVENTS_ASCII_RUN_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace newsevents {

// The number of bytes at the start of [p, p + n) that are ASCII (< 0x80).
inline size_t AsciiPrefix(const uint8_t* p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    if (const int high = _mm_movemask_epi8(v)) return i + std::countr_zero(static_cast<unsigned>(high));
  }
#endif
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

// A byte a normalized text keeps as it is: ASCII, and no control character
// other than the line feed (carriage returns and the other controls change).
inline bool IsPlainAscii(uint8_t b) { return (b >= 0x20 && b < 0x80) || b == '\n'; }

// The number of bytes at the start of [p, p + n) that are IsPlainAscii.
inline size_t PlainAsciiPrefix(const uint8_t* p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  // A signed compare with 0x20 is true for the controls and for bytes >= 0x80.
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i line_feed = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i stop = _mm_andnot_si128(_mm_cmpeq_epi8(v, line_feed), _mm_cmplt_epi8(v, space));
    if (const int m = _mm_movemask_epi8(stop)) return i + std::countr_zero(static_cast<unsigned>(m));
  }
#endif
  while (i < n && IsPlainAscii(p[i])) ++i;
  return i;
}

// Appends map(b) for each byte b of [from, to) to `out`; map gives a char.
template <typename Map>
void AppendAsciiRun(std::string& out, const uint8_t* from, const uint8_t* to, Map map) {
  const size_t at = out.size();
  out.resize(at + static_cast<size_t>(to - from));
  char* d = out.data() + at;
  for (const uint8_t* p = from; p < to; ++p) *d++ = map(*p);
}

}  // namespace newsevents

#endif  // NEWSEVENTS_ASCII_RUN_H_
