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

}  // namespace

std::string NormalizeText(std::string_view original, OffsetMap* map) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  std::string out;
  out.reserve(original.size());
  const auto* s = reinterpret_cast<const uint8_t*>(original.data());
  const int32_t n = static_cast<int32_t>(original.size());
  int32_t i = 0;
  auto edit = [&](size_t dst, int32_t from, int32_t to) {
    if (map) map->Add(dst, out.size() - dst, from, to - from);
  };
  while (i < n) {
    const uint8_t b = s[i];
    if (b == '\r') {
      const size_t dst = out.size();
      out.push_back('\n');
      const int32_t from = i;
      i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
      edit(dst, from, i);
      continue;
    }
    if (b < 0x80) {
      // A run of ASCII: only control characters change (to a space), and
      // its last character goes the general way when a combining mark
      // follows it ("e" + U+0301).
      int32_t j = i + 1;
      while (j < n && s[j] < 0x80 && s[j] != '\r') ++j;
      int32_t copy_end = j;
      if (j < n && s[j] >= 0x80) {
        UChar32 next;
        int32_t k = j;
        U8_NEXT(s, k, n, next);
        if (next >= 0 && !nfc->hasBoundaryBefore(next)) copy_end = j - 1;
      }
      AppendAsciiRun(out, s + i, s + copy_end, [](uint8_t c) {
        return (c < 0x20 && c != '\n') ? ' ' : static_cast<char>(c);
      });
      i = copy_end;
      if (i == j) continue;
    }
    const int32_t from = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) c = 0xFFFD;  // the reader already replaced bad bytes
    if (const char* u = Unified(c)) {
      const size_t dst = out.size();
      out.append(u);
      edit(dst, from, i);
      continue;
    }
    // The normalization segment: this code point and the ones that may
    // combine with it.
    int32_t end = i;
    while (end < n) {
      int32_t j = end;
      UChar32 next;
      U8_NEXT(s, j, n, next);
      if (next < 0 || nfc->hasBoundaryBefore(next)) break;
      end = j;
    }
    if (end == i && u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES) {
      out.append(reinterpret_cast<const char*>(s + from), i - from);
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
  }
  return out;
}

void NormalizeDocument(Document& doc) {
  doc.text_to_original = OffsetMap();
  doc.text = NormalizeText(doc.original, &doc.text_to_original);
  doc.folded_to_text = OffsetMap();
  doc.folded = FoldText(doc.text, &doc.folded_to_text);
}

}  // namespace newsevents
