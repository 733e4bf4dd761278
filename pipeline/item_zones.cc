#include "pipeline/item_zones.h"

#include <algorithm>
#include <cctype>

#include "pipeline/fold.h"

namespace newsevents {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Span Trimmed(const std::string& text, Span s) {
  s.end = std::min(s.end, text.size());
  s.begin = std::min(s.begin, s.end);
  while (s.begin < s.end && IsSpace(text[s.begin])) ++s.begin;
  while (s.end > s.begin && IsSpace(text[s.end - 1])) --s.end;
  return s;
}

// A full stop after "Ms", "Dr", "Mme", "St" or an initial does not end a
// sentence: a short capitalized word before it is taken as an abbreviation.
bool EndsWithAbbreviation(const std::string& text, size_t begin, size_t dot) {
  size_t w = dot;
  while (w > begin && std::isalpha(static_cast<unsigned char>(text[w - 1]))) --w;
  const size_t len = dot - w;
  return len >= 1 && len <= 3 && std::isupper(static_cast<unsigned char>(text[w]));
}

}  // namespace

std::string_view ZoneName(Zone zone) {
  switch (zone) {
    case Zone::kTitle: return "title";
    case Zone::kFirstSentence: return "first_sentence";
    case Zone::kBody: return "body";
  }
  return "";
}

std::optional<Zone> ParseZone(std::string_view name) {
  for (int z = 0; z < kZoneCount; ++z)
    if (ZoneName(static_cast<Zone>(z)) == name) return static_cast<Zone>(z);
  return std::nullopt;
}

size_t FirstSentenceEnd(const Document& doc, const Item& item, Span body) {
  for (const Span& s : item.sentences) {
    if (s.end <= body.begin || s.begin >= body.end) continue;
    if (s.end > s.begin) return std::min(s.end, body.end);
  }
  const std::string& text = doc.text;
  for (size_t i = body.begin; i < body.end; ++i) {
    const char c = text[i];
    if (c == '\n') return i;
    if (c != '.' && c != '!' && c != '?') continue;
    if (i + 1 >= body.end) return body.end;
    if (!IsSpace(text[i + 1])) continue;  // "2.2", "e.g.x", URLs
    size_t next = i + 1;
    while (next < body.end && (text[next] == ' ' || text[next] == '\t')) ++next;
    if (next >= body.end || text[next] == '\n') return i + 1;
    const unsigned char n = static_cast<unsigned char>(text[next]);
    const bool starts_sentence = std::isupper(n) || std::isdigit(n) || n >= 0x80 ||
                                 n == '"' || n == '\'' || n == '(';
    if (!starts_sentence) continue;
    if (c == '.' && EndsWithAbbreviation(text, body.begin, i)) continue;
    return i + 1;
  }
  return body.end;
}

ItemZones::ItemZones(const Document& doc, const Item& item) {
  const std::string& text = doc.text;
  Span title = item.title.empty() ? Span{} : Trimmed(text, item.title);
  Span body = item.body;
  if (body.empty() && !item.span.empty()) {
    body = item.span;
    if (!item.title.empty() && item.title.end > body.begin)
      body.begin = std::min(item.title.end, body.end);
  }
  body = Trimmed(text, body);
  const size_t first_end = body.empty() ? body.begin : FirstSentenceEnd(doc, item, body);
  const Span first{body.begin, first_end};
  const Span rest = Trimmed(text, Span{first_end, body.end});

  if (!doc.folded.empty() || text.empty()) {
    folded_ = doc.folded;
    map_ = &doc.folded_to_text;
  } else {
    // No folded copy of the document (a document built by hand): fold the item.
    const Span whole{title.empty() ? body.begin : std::min(title.begin, body.begin),
                     std::max(title.end, body.end)};
    own_ = FoldText(doc.Slice(whole), &own_map_);
    folded_ = own_;
    map_ = &own_map_;
    text_offset_ = whole.begin;
  }
  auto to_folded = [&](Span s) { return s.empty() ? Span{} : Span{ToFolded(s.begin), ToFolded(s.end)}; };
  zones_[0] = to_folded(title);
  zones_[1] = to_folded(first);
  zones_[2] = to_folded(rest);
  size_t lo = folded_.size(), hi = 0;
  for (const Span& z : zones_)
    if (!z.empty()) lo = std::min(lo, z.begin), hi = std::max(hi, z.end);
  if (lo < hi) {
    words_ = FindWordStarts(folded_.substr(lo, hi - lo));
    for (uint32_t& at : words_.at) at += static_cast<uint32_t>(lo);
  }
}

size_t ItemZones::ToFolded(size_t t) const {
  // The first folded offset whose text offset is at least t.
  if (t <= text_offset_) return 0;
  return map_->FirstAtOrAfter(t - text_offset_, folded_.size());
}

}  // namespace newsevents
