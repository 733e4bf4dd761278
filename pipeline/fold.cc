#include "pipeline/fold.h"

#include <array>
#include <string>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "pipeline/ascii_run.h"

namespace newsevents {
namespace {

constexpr UChar32 kTableSize = kFoldTableSize;

// Folded UTF-8 for each code point below kTableSize, computed with ICU.
struct FoldTable {
  std::array<std::string, kTableSize> folded;
  FoldTable() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    for (UChar32 c = 0; c < kTableSize; ++c) {
      icu::UnicodeString s(c);
      s.foldCase();
      icu::UnicodeString d;
      if (U_SUCCESS(status)) d = nfd->normalize(s, status);
      icu::UnicodeString out;
      for (int32_t i = 0; i < d.length();) {
        UChar32 ch = d.char32At(i);
        if (u_getCombiningClass(ch) == 0 && !u_hasBinaryProperty(ch, UCHAR_DIACRITIC)) {
          out.append(ch);
        } else if (u_getCombiningClass(ch) == 0) {
          out.append(ch);  // spacing diacritics (´, ¨) stay as they are
        }
        i += U16_LENGTH(ch);
      }
      // Ligatures that case folding leaves whole.
      if (c == 0x153 || c == 0x152) out = "oe";
      if (c == 0xE6 || c == 0xC6) out = "ae";
      out.toUTF8String(folded[c]);
    }
  }
};

const FoldTable& Table() {
  static const FoldTable table;
  return table;
}

// FoldText into *out_ptr; `map` (when not null) is only right when *out_ptr
// starts empty: the ASCII runs are not recorded in it.
void FoldInto(std::string_view text, std::string* out_ptr, OffsetMap* map) {
  const FoldTable& table = Table();
  std::string& out = *out_ptr;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < n) {
    if (s[i] < 0x80) {  // ASCII fast path: a whole run at once
      const int32_t j = i + 1 + static_cast<int32_t>(AsciiPrefix(s + i + 1, static_cast<size_t>(n - i - 1)));
      AppendAsciiRun(out, s + i, s + j, [](uint8_t c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      });
      i = j;
      continue;
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    const size_t dst = out.size();
    if (c < 0) {
      out.append("\xEF\xBF\xBD");
    } else if (c < kTableSize) {
      out.append(table.folded[c]);
    } else if (u_getCombiningClass(c) != 0) {
      // a lone combining mark (text not in NFC): dropped
    } else {
      UChar32 f = u_foldCase(c, U_FOLD_CASE_DEFAULT);
      char buf[4];
      int32_t len = 0;
      UBool err = false;
      U8_APPEND(buf, len, 4, f, err);
      (void)err;
      out.append(buf, len);
    }
    if (map) map->Add(dst, out.size() - dst, start, i - start);
  }
}

}  // namespace

std::string FoldText(std::string_view text, OffsetMap* map) {
  std::string out;
  out.reserve(text.size());
  FoldInto(text, &out, map);
  return out;
}

void AppendFoldedText(std::string_view text, std::string* out) { FoldInto(text, out, nullptr); }

std::string_view FoldedCodePoint(int32_t c) { return Table().folded[static_cast<size_t>(c)]; }

}  // namespace newsevents
