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

  pieces_[0].text = title;
  pieces_[1].text = first;
  pieces_[2].text = rest.empty() ? Span{body.end, body.end} : rest;
  folded_.reserve(item.span.size() + 2);
  for (int z = 0; z < kZoneCount; ++z) {
    Piece& p = pieces_[z];
    if (z > 0) folded_.push_back('\n');
    p.folded.begin = folded_.size();
    if (!p.text.empty()) folded_ += FoldText(doc.Slice(p.text), &p.map);
    p.folded.end = folded_.size();
  }
}

Zone ItemZones::ZoneAt(size_t pos) const {
  for (int z = 0; z < kZoneCount; ++z)
    if (pos <= pieces_[z].folded.end) return static_cast<Zone>(z);
  return Zone::kBody;
}

Span ItemZones::ToText(Span folded_span) const {
  const Piece& p = pieces_[static_cast<int>(ZoneAt(folded_span.begin))];
  const size_t b = std::clamp(folded_span.begin, p.folded.begin, p.folded.end);
  const size_t e = std::clamp(folded_span.end, b, p.folded.end);
  return {p.text.begin + p.map.ToSource(b - p.folded.begin),
          p.text.begin + p.map.ToSource(e - p.folded.begin)};
}

}  // namespace newsevents
