#include "pipeline/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "pipeline/ascii_run.h"
#include "pipeline/fold.h"

namespace newsevents {
namespace {

// The replacement for a code point that is unified, or nullptr to keep it.
const char* Unified(UChar32 c) {
  switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
      return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
    case 0x00AB: case 0x00BB:
      return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
      return "-";
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
      return " ";
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD:
      return "";
    case 0x2028: case 0x2029:
      return "\n";
    default:
      if (c >= 0x2000 && c <= 0x200A) return " ";
      return nullptr;
  }
}

// What NormalizeText asks ICU of a code point, for the two-byte ones
// (U+0080..U+07FF: the accented letters of the Latin scripts and the
// combining accents), asked once: whether a normalization segment may start
// at it, and whether it is copied as it is when one does.
class TwoByteCodePoints {
 public:
  explicit TwoByteCodePoints(const icu::Normalizer2* nfc) {
    for (UChar32 c = 0x80; c < 0x800; ++c) {
      uint8_t f = 0;
      if (nfc->hasBoundaryBefore(c)) f |= kBoundaryBefore;
      if (Unified(c) == nullptr && u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES)
        f |= kKept;
      flags_[c - 0x80] = f;
    }
  }
  bool BoundaryBefore(UChar32 c) const { return flags_[c - 0x80] & kBoundaryBefore; }
  bool Kept(UChar32 c) const { return flags_[c - 0x80] & kKept; }

 private:
  static constexpr uint8_t kBoundaryBefore = 1;  // nfc->hasBoundaryBefore(c)
  static constexpr uint8_t kKept = 2;            // not Unified, NFC quick check yes
  uint8_t flags_[0x800 - 0x80];
};

// nfc->hasBoundaryBefore of the code point at s[i] (i < n, s[i] >= 0x80);
// true at a byte that does not start one (nothing combines with it).
bool BoundaryBeforeAt(const uint8_t* s, int32_t i, int32_t n, const icu::Normalizer2* nfc,
                      const TwoByteCodePoints& two) {
  UChar32 c;
  U8_NEXT(s, i, n, c);
  if (c < 0) return true;
  return c < 0x800 ? two.BoundaryBefore(c) : nfc->hasBoundaryBefore(c);
}

}  // namespace

std::string NormalizeText(std::string_view original, OffsetMap* map) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  static const TwoByteCodePoints two(nfc);
  std::string out;
  out.reserve(original.size());
  const auto* s = reinterpret_cast<const uint8_t*>(original.data());
  const int32_t n = static_cast<int32_t>(original.size());
  auto edit = [&](size_t dst, int32_t from, int32_t to) {
    if (map) map->Add(dst, out.size() - dst, from, to - from);
  };
  // A segment may start at s[k]: the end of the text, ASCII, or a code
  // point with a normalization boundary before it.
  auto boundary_at = [&](int32_t k) {
    return k >= n || s[k] < 0x80 || BoundaryBeforeAt(s, k, n, nfc, two);
  };
  // Bytes kept as they are, [kept, i), are appended at once when something
  // else comes (the offset map needs no anchor for them).
  int32_t kept = 0;
  int32_t i = 0;
  while (i < n) {
    i += static_cast<int32_t>(PlainAsciiPrefix(s + i, static_cast<size_t>(n - i)));
    if (i == n) break;
    const uint8_t b = s[i];
    if (b < 0x80) {  // a control character
      // The one before a combining mark goes the general way ("\t" + U+0301
      // stays as it is).
      if (b != '\r' && boundary_at(i + 1)) {
        out.append(reinterpret_cast<const char*>(s + kept), i - kept);
        out.push_back(' ');
        kept = ++i;
        continue;
      }
    } else if (b < 0xE0 && i + 1 < n) {  // a two-byte code point
      int32_t k = i;
      UChar32 c;
      U8_NEXT(s, k, n, c);
      if (c >= 0) {
        if (!two.BoundaryBefore(c)) {
          // A combining mark after an ASCII character kept: that character
          // starts the segment. (After anything else, the mark starts one.)
          if (i > kept && s[i - 1] < 0x80) --i;
        } else if (two.Kept(c) && boundary_at(k)) {
          i = k;
          continue;
        }
      }
    } else if (b >= 0xE0 && i > kept && s[i - 1] < 0x80 &&
               !BoundaryBeforeAt(s, i, n, nfc, two)) {
      --i;  // as above, for a mark of three or four bytes
    }
    out.append(reinterpret_cast<const char*>(s + kept), i - kept);
    // The general way: one code point, a line end, or a normalization
    // segment.
    if (s[i] == '\r') {
      const size_t dst = out.size();
      out.push_back('\n');
      const int32_t from = i;
      i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
      edit(dst, from, i);
      kept = i;
      continue;
    }
    const int32_t from = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) c = 0xFFFD;  // the reader already replaced bad bytes
    if (const char* u = Unified(c)) {
      const size_t dst = out.size();
      out.append(u);
      edit(dst, from, i);
      kept = i;
      continue;
    }
    // The normalization segment: this code point and the ones that may
    // combine with it.
    int32_t end = i;
    while (end < n && !boundary_at(end)) U8_FWD_1(s, end, n);
    if (end == i && u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES) {
      kept = from;  // kept as it is: appended with the run that follows
      continue;
    }
    icu::UnicodeString segment = icu::UnicodeString::fromUTF8(
        icu::StringPiece(reinterpret_cast<const char*>(s + from), end - from));
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString composed = nfc->normalize(segment, st);
    const size_t dst = out.size();
    if (U_SUCCESS(st)) {
      composed.toUTF8String(out);
    } else {
      out.append(reinterpret_cast<const char*>(s + from), end - from);
    }
    i = end;
    edit(dst, from, i);
    kept = i;
  }
  out.append(reinterpret_cast<const char*>(s + kept), n - kept);
  return out;
}

void NormalizeDocument(Document& doc) {
  doc.text_to_original = OffsetMap();
  doc.text = NormalizeText(doc.original, &doc.text_to_original);
  doc.folded_to_text = OffsetMap();
  doc.folded = FoldText(doc.text, &doc.folded_to_text);
}

}  // namespace newsevents
