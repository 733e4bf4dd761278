#include "pipeline/eval_text.h"

#include <array>
#include <cstdint>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace newsevents {
namespace {

// A byte that is not valid UTF-8 is read as Windows-1252, the usual origin
// of such bytes in news archives (its 0x80-0x9F range holds curly quotes and
// dashes, which plain Latin-1 would turn into control characters).
UChar32 Windows1252(uint8_t byte) {
  static const std::array<UChar32, 256> table = [] {
    std::array<UChar32, 256> t{};
    for (int b = 0; b < 256; ++b) t[b] = b;  // Latin-1 if ICU lacks the codec
    UErrorCode status = U_ZERO_ERROR;
    UConverter* conv = ucnv_open("windows-1252", &status);
    if (U_SUCCESS(status)) {
      for (int b = 0x80; b < 0x100; ++b) {
        char in = static_cast<char>(b);
        UChar out[4];
        UErrorCode s = U_ZERO_ERROR;
        int32_t n = ucnv_toUChars(conv, out, 4, &in, 1, &s);
        if (U_SUCCESS(s) && n == 1) t[b] = out[0];
      }
      ucnv_close(conv);
    }
    return t;
  }();
  return table[byte];
}

bool IsSingleQuote(UChar32 c) {
  return c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B ||
         c == 0x2039 || c == 0x203A || c == 0x2032 || c == 0x02BC ||
         c == 0x00B4 || c == 0x0060 || c == '\'';
}

// What a code point becomes in the light copy: 0 = dropped, ' ' = space
// (collapsed by the caller), else the replacement or the code point itself.
UChar32 LightChar(UChar32 c) {
  if (c < 0x80) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return ' ';
    return c;
  }
  if (u_hasBinaryProperty(c, UCHAR_WHITE_SPACE)) return ' ';
  if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return 0;
  if (IsSingleQuote(c)) return '\'';
  if (u_hasBinaryProperty(c, UCHAR_QUOTATION_MARK)) return '"';
  if (u_charType(c) == U_DASH_PUNCTUATION || c == 0x2212) return '-';
  return c;
}

void AppendUtf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(buf, len, 4, c, error);
  if (!error) out.append(buf, len);
}

// The light copy of `text` (see MentionKey), without NFC and without the
// final trim, so that offsets stay meaningful; `map` (if given) leads back
// to `text`. Invalid UTF-8 is decoded as Windows-1252.
std::string LightCopy(std::string_view text, OffsetMap* map) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t i = 0;
  bool in_space = false;
  size_t space_dst = 0, space_src = 0;
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    bool invalid = false;
    if (s[i] < 0x80) {
      c = s[i++];
    } else {
      U8_NEXT(s, i, n, c);
      if (c < 0) {
        i = start + 1;
        c = Windows1252(s[start]);
        invalid = true;
      }
    }
    UChar32 r = LightChar(c);
    if (r == ' ') {
      if (!in_space) {
        in_space = true;
        space_dst = out.size();
        space_src = start;
        out.push_back(' ');
      }
      continue;
    }
    if (in_space) {
      // The whole run of spaces is one space in the copy.
      if (map) map->Add(space_dst, 1, space_src, start - space_src);
      in_space = false;
    }
    const size_t dst = out.size();
    if (r != 0) AppendUtf8(out, r);
    if (map && (r != c || invalid || static_cast<int32_t>(out.size() - dst) != i - start)) {
      map->Add(dst, out.size() - dst, start, i - start);
    }
  }
  if (in_space && map) map->Add(space_dst, 1, space_src, n - space_src);
  return out;
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

std::string Nfc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (nfc->isNormalized(u, status) && U_SUCCESS(status)) return std::string(text);
  status = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc->normalize(u, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

// Leading articles of en/fr/es names, written the way NameKey sees them
// (folded, after MentionKey). Part of the metric's definition (see header).
bool StripLeadingArticle(std::string& key) {
  static constexpr std::string_view kArticles[] = {
      "the ", "le ", "la ", "les ", "l'", "el ", "los ", "las "};
  for (std::string_view a : kArticles) {
    if (key.size() > a.size() && key.compare(0, a.size(), a) == 0) {
      key.erase(0, a.size());
      return true;
    }
  }
  return false;
}

}  // namespace

std::string MentionKey(std::string_view text) {
  return Trim(LightCopy(Nfc(text), nullptr));
}

std::string NameKey(std::string_view text) {
  std::string folded = FoldText(MentionKey(text));
  StripLeadingArticle(folded);
  std::string out;
  out.reserve(folded.size());
  const auto* s = reinterpret_cast<const uint8_t*>(folded.data());
  const int32_t n = static_cast<int32_t>(folded.size());
  int32_t i = 0;
  auto space = [&out] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c == '.' || c == '\'') continue;
    if (c == ' ' || (c != '&' && c >= 0 && u_ispunct(c))) {
      space();
      continue;
    }
    out.append(folded, start, i - start);
  }
  return Trim(std::move(out));
}

AnchorFinder::AnchorFinder(std::string file_bytes) : bytes_(std::move(file_bytes)) {}

void AnchorFinder::BuildLooseCopy() {
  std::string light = LightCopy(bytes_, &light_to_file_);
  loose_ = FoldText(light, &loose_to_light_);
  loose_built_ = true;
}

size_t AnchorFinder::Find(std::string_view anchor, size_t from, size_t* end) {
  if (anchor.empty()) return std::string::npos;
  if (from <= bytes_.size()) {
    size_t pos = bytes_.find(anchor, from);
    if (pos != std::string::npos) {
      if (end) *end = pos + anchor.size();
      return pos;
    }
  }
  std::string needle = FoldText(MentionKey(anchor));
  if (needle.empty()) return std::string::npos;
  if (!loose_built_) BuildLooseCopy();
  for (size_t pos = loose_.find(needle); pos != std::string::npos;
       pos = loose_.find(needle, pos + 1)) {
    size_t file_pos = loose_to_light_.ToSource(pos, light_to_file_);
    if (file_pos < from) continue;
    if (end) *end = loose_to_light_.ToSource(pos + needle.size(), light_to_file_);
    return file_pos;
  }
  return std::string::npos;
}

}  // namespace newsevents
