#include "pipeline/json_writer.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <nlohmann/json.hpp>

namespace newsevents {

namespace {

// Length of the well-formed UTF-8 sequence that starts with the non-ASCII
// byte p[i], or 0. Well-formed is RFC 3629, as nlohmann's decoder reads it:
// no overlong forms, no surrogates, nothing above U+10FFFF.
size_t Utf8Length(const unsigned char* p, size_t i, size_t n) {
  auto tail = [&](size_t k, unsigned char lo, unsigned char hi) {
    return i + k < n && p[i + k] >= lo && p[i + k] <= hi;
  };
  const unsigned char c = p[i];
  if (c >= 0xC2 && c <= 0xDF) return tail(1, 0x80, 0xBF) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;  // overlong
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;  // surrogates
    return tail(1, lo, hi) && tail(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;  // overlong
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;  // above U+10FFFF
    return tail(1, lo, hi) && tail(2, 0x80, 0xBF) && tail(3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// Bytes a JSON string copies as they are: printable ASCII but the quote and
// the backslash. (Non-ASCII bytes are copied too, once their sequence is
// known to be well-formed UTF-8.)
bool IsPlain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// The first byte at or after `i` that is not plain, or n.
size_t SkipPlain(const unsigned char* p, size_t i, size_t n) {
#if defined(__SSE2__)
  // Signed, bytes >= 0x80 are below 0x20 too: one compare for both ends.
  const __m128i control = _mm_set1_epi8(0x20);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i special = _mm_or_si128(_mm_cmplt_epi8(v, control),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (const int m = _mm_movemask_epi8(special); m != 0) return i + static_cast<size_t>(std::countr_zero(static_cast<unsigned>(m)));
  }
#endif
  while (i < n && IsPlain(p[i])) ++i;
  return i;
}

// Copies the plain bytes at the start of p[0, n) to out (n bytes writable
// there), by blocks: returns n when all are plain, else how many are copied,
// all plain (those before the block that holds the first byte that is not,
// or none). Most strings of a record are short and plain: for them this is
// two loads, a compare or three and two stores, not a loop and a memcpy.
size_t PlainCopied(const unsigned char* p, size_t n, char* out) {
#if defined(__SSE2__)
  const __m128i control = _mm_set1_epi8(0x20);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  auto special = [&](__m128i v) {
    return _mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(v, control),
                                          _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
  };
  if (n >= 16) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      if (special(v)) return i;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), v);
    }
    if (i == n) return n;
    // The last bytes as the block that ends the string (it overlaps the
    // ones copied, which are plain).
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
    if (special(v)) return i;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n - 16), v);
    return n;
  }
  if (n >= 8) {  // two overlapping halves
    uint64_t a, b;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
    if (special(_mm_set_epi64x(static_cast<int64_t>(b), static_cast<int64_t>(a)))) return 0;
    std::memcpy(out, &a, 8);
    std::memcpy(out + n - 8, &b, 8);
    return n;
  }
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    if (special(_mm_set_epi32(static_cast<int32_t>(b), static_cast<int32_t>(a), static_cast<int32_t>(b),
                              static_cast<int32_t>(a)))) return 0;
    std::memcpy(out, &a, 4);
    std::memcpy(out + n - 4, &b, 4);
    return n;
  }
#endif
  size_t i = 0;
  while (i < n && IsPlain(p[i])) {
    out[i] = static_cast<char>(p[i]);
    ++i;
  }
  return i;
}

// The decimal digits of v written at p (20 bytes writable there); returns
// the end. Two digits at a time from a table, from the last; what
// std::to_chars gives.
char* WriteDecimal(char* p, uint64_t v) {
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  char buf[40];  // digits end at buf + 20; 20 bytes are copied from their start
  char* b = buf + 20;
  while (v >= 100) {
    const uint64_t r = v % 100;
    v /= 100;
    b -= 2;
    std::memcpy(b, &kPairs[2 * r], 2);
  }
  if (v >= 10) {
    b -= 2;
    std::memcpy(b, &kPairs[2 * v], 2);
  } else {
    *--b = static_cast<char>('0' + v);
  }
  std::memcpy(p, b, 20);
  return p + (buf + 20 - b);
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  JsonWriter w(out);
  w.String(s);
}

JsonWriter::JsonWriter(std::string* out) : out_(out) {
  at_ = end_ = out->data() + out->size();
}

void JsonWriter::Grow(size_t n) {
  const size_t used = static_cast<size_t>(at_ - out_->data());
  const size_t need = used + n;
  // The string's whole capacity when it is enough, else twice as much.
  out_->resize(need <= out_->capacity() ? out_->capacity() : std::max(need, 2 * out_->capacity()));
  at_ = out_->data() + used;
  end_ = out_->data() + out_->size();
}

void JsonWriter::Finish() {
  out_->resize(static_cast<size_t>(at_ - out_->data()));
  end_ = at_;
}

void JsonWriter::String(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  Room(n + 3);  // comma, quotes, and the bytes unescaped; escapes ask for more
  if (comma_) *at_++ = ',';
  const size_t start = static_cast<size_t>(at_ - out_->data());
  *at_++ = '"';
  size_t copied = PlainCopied(p, n, at_);  // bytes of s before this are written
  if (copied == n) {
    at_ += n;
    *at_++ = '"';
    return Ended();
  }
  at_ += copied;
  for (size_t i = SkipPlain(p, copied, n); i < n; i = SkipPlain(p, i, n)) {
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const size_t len = Utf8Length(p, i, n);
      if (len == 0) {
        // Where the replacement characters go and how many bytes each eats
        // is nlohmann's business: let it write the whole string.
        const std::string dumped = nlohmann::json(std::string(s)).dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace);
        at_ = out_->data() + start;
        Room(dumped.size());
        std::memcpy(at_, dumped.data(), dumped.size());
        at_ += dumped.size();
        return Ended();
      }
      i += len;
      continue;
    }
    std::memcpy(at_, s.data() + copied, i - copied);
    at_ += i - copied;
    Room(6 + (n - i) + 1);  // this escape, the rest unescaped, the closing quote
    switch (c) {
      case '"': std::memcpy(at_, "\\\"", 2); at_ += 2; break;
      case '\\': std::memcpy(at_, "\\\\", 2); at_ += 2; break;
      case '\b': std::memcpy(at_, "\\b", 2); at_ += 2; break;
      case '\t': std::memcpy(at_, "\\t", 2); at_ += 2; break;
      case '\n': std::memcpy(at_, "\\n", 2); at_ += 2; break;
      case '\f': std::memcpy(at_, "\\f", 2); at_ += 2; break;
      case '\r': std::memcpy(at_, "\\r", 2); at_ += 2; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        std::memcpy(at_, u, 6);
        at_ += 6;
      }
    }
    copied = ++i;
  }
  std::memcpy(at_, s.data() + copied, n - copied);
  at_ += n - copied;
  *at_++ = '"';
  Ended();
}

void JsonWriter::Int(int64_t v) {
  Room(21);  // a comma, a sign and 19 digits
  if (comma_) *at_++ = ',';
  at_ = std::to_chars(at_, at_ + 20, v).ptr;
  Ended();
}

void JsonWriter::UInt(uint64_t v) {
  Room(21);  // a comma and 20 digits
  if (comma_) *at_++ = ',';
  at_ = WriteDecimal(at_, v);
  Ended();
}

void JsonWriter::UIntPair(uint64_t a, uint64_t b) {
  Room(1 + 1 + 20 + 1 + 20 + 1);
  if (comma_) *at_++ = ',';
  *at_++ = '[';
  at_ = WriteDecimal(at_, a);
  *at_++ = ',';
  at_ = WriteDecimal(at_, b);
  *at_++ = ']';
  Ended();
}

void JsonWriter::Double(double v) {
  Room(65);
  if (comma_) *at_++ = ',';
  if (!std::isfinite(v)) {
    std::memcpy(at_, "null", 4);
    at_ += 4;
  } else {
    // nlohmann's Grisu2: the shortest text that reads back as v, with ".0"
    // added to whole numbers.
    at_ = nlohmann::detail::to_chars(at_, at_ + 64, v);
  }
  Ended();
}

}  // namespace newsevents
