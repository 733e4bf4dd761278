// RuleCue: a word every match of a rule pattern holds, read from the pattern
// itself, so that a text without that word need not be searched at all, and
// a rule whose match starts with the word need only be tried where the word
// is.
//
// Most entity rules are built around a word from a vocabulary: a title
// before a name (\b%person_titles\.?\s+...), a role after it
// (...,\s+(?i:%person_roles)\b), an introducing phrase (\b(?:in partnership
// with|...)). The cue is such an element of the pattern's top-level sequence:
// one that cannot match empty, whose every match begins with one of a few
// strings (compared in lower case: ASCII letters, digits and '_', then also
// the spaces, apostrophes, hyphens, periods and '&' the pattern spells out,
// "the company", "l'organisation"), and before which the match holds \b or a
// character that is not a word character (or starts, after \b). The string
// then starts at the start of a run of RE2 word characters ([0-9A-Za-z_]) of
// the text: the cue's prefixes are looked for there only.
//
// A caller may ask for more (CueReading): a top-level alternation's cue as
// its branches' together, a class of digits as a cue. The analysis is
// conservative: a pattern it does not read (a syntax it does not know, no
// element fitting) has no cue, and its rule runs over the whole text as
// before. The pattern is read into the tree of pattern_tree.h. Case is ignored in the look-up;
// under (?i), RE2 also matches 'k' to U+212A and 's' to U+017F, so a text
// holding either is searched whole (RuleSearch).
#ifndef NEWSEVENTS_RULE_CUE_H_
#define NEWSEVENTS_RULE_CUE_H_

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newsevents {

struct RuleCue {
  // Lower-case prefixes, one of which starts where a word-character run of
  // the text starts, inside every match.
  std::vector<std::string> prefixes;
  // By prefix: a character that is not a word character follows it in every
  // match ("in" of "\bin[- ]person": "information" is no place to try).
  std::vector<bool> ends_word;
  // The match starts where the prefix does (the cue opens the pattern, after
  // \b): the rule can be matched anchored there instead of searched for.
  bool at_start = false;
  // A cue inside the match (not at_start) after which every match ends
  // within this many bytes (from where the prefix starts), when the pattern
  // says so: the elements from the cue's on are all bounded and none
  // asserts the text's end ("...,\s+(?i:director|rector)\b": 8). A search
  // for the rule then need not read past the last cue's start plus this.
  std::optional<size_t> tail_bytes;
  // A cue inside the match that is an element of the pattern's own top-level
  // sequence (not inside a group; nothing in the pattern asserts the text's
  // end): the pattern's first head_bytes bytes are the elements before it, a
  // pattern for the part of a match before where the cue starts. A caller
  // that knows where that is can read the groups lying there over that part
  // alone (RuleSearch).
  std::optional<size_t> head_bytes;
  // At most this many word starts (an ASCII word character after a byte
  // that is not one, the match's first character counting as one) lie in a
  // match before where the cue starts, when the pattern bounds them (0 for
  // an opening cue): "\b(?:(?:a|de|ont)\s+){0,2}organise" holds at most 2
  // before "organise". A scanner trying the pattern at an opening word need
  // not try it when the nearest rarest cue word is further on (RuleScanner).
  std::optional<size_t> head_words;
  // An opening cue whose prefixes are the pattern's matches: every match is
  // one of them, each one is a match wherever it stands between word
  // boundaries (\b at both ends; no upper-case letter the folded text
  // lacks). "\bmeetings?\b", "\b(?:round ?tables?|panels?)\b". A scanner
  // finds such a pattern's longest match at a cue word by its prefixes.
  bool whole_words = false;
  // With head_bytes: every byte those elements may match (more when the
  // analysis is unsure). A match whose cue starts at c holds only these
  // before c, so it starts after the last other byte before c.
  std::bitset<256> head_chars;
};

// What the analysis reads beyond its basic cues (none by default). The rule
// scanners (RuleScanner) ask for both: their patterns are many short
// alternations, some opening with a number. The dates and entity stages keep
// the basic cues: the extra ones made their searches cost more than they
// saved (bench/README, session 5).
struct CueReading {
  // A top-level alternation ("\bvisits?\b|\bvisited\b"): its branches' cues
  // together, when every branch has one (else none).
  bool alternation = false;
  // A class of digits ([0-9], \d) as the cue of its digits: a number.
  bool digits = false;
  // The rarest cue inside the match (not the opening one) whenever the
  // pattern has one: a caller trying the pattern at its opening cue checks
  // that one too (RuleScanner), so the opening one as the rarest adds
  // nothing.
  bool inner = false;
};

// The cue of `pattern` (expanded, as RE2 reads it), if one is found: the
// one that opens it (at_start) if any, else the rarest.
std::optional<RuleCue> FindRuleCue(std::string_view pattern);

// Both cues a caller may want: the one that opens the pattern (to match
// anchored where it starts) and the one that likely picks out the fewest
// places (longer prefixes, then fewer of them), to tell which texts to try at
// all; the same cue when the opening one is the rarest.
struct RuleCues {
  std::optional<RuleCue> opening;
  std::optional<RuleCue> rarest;
};
RuleCues FindRuleCues(std::string_view pattern, const CueReading& reading = {});

// The byte that ends the pattern's opening group: a pattern that opens with
// a capturing group followed by one character the group cannot hold
// ("(?P<name>\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){1,3}),\s+..."), the
// comma. In every match the group starts where the match does and ends at
// the first such byte: a caller that has the match has the group by reading
// for the byte, where RE2 runs its BitState or NFA over the match. nullopt
// for any other pattern (or one this reader does not read).
std::optional<char> OpeningGroupEnd(std::string_view pattern);

// Whether every match of `pattern` starts at the start of the text: each
// top-level alternative opens with ^ or \A (rule patterns are not
// multi-line; one that turns (?m) on is not taken). False for a pattern this
// reader does not read. An RE2::Set of such patterns can be anchored at the
// start, so that its DFA stops as soon as no pattern can go on instead of
// reading the whole text (SegmentStage's cue patterns).
bool AnchoredAtStart(std::string_view pattern);

// The bytes a match of `pattern` may hold at each of its first offsets, as
// read from the pattern: bytes[i] holds every byte any match has at offset i
// (ASCII letters in both cases; where a character beyond ASCII may stand,
// any lead byte, then continuation bytes). Only the offsets every match
// reaches are given (at most `max`): a text whose byte at + i lies outside
// bytes[i], or that ends before at + bytes.size(), holds no match starting
// at `at`. A rule matched anchored at each of its cue words checks these
// first: RE2 costs ~700 instructions a call, most of them before it reads a
// byte, and most places fail a few bytes after the cue ("2016 in" for a
// rule reading "2016-03"). Empty when the pattern is not read or may match
// the empty string.
struct StartBytes {
  std::vector<std::array<uint64_t, 4>> bytes;
  // Bit o: a match may end at offset o only because the text ends there
  // ($, \z): the text's length lets it through.
  uint32_t at_text_end = 0;

  bool MayStart(std::string_view text, size_t at, size_t end) const {
    if (end - at < 32 && (at_text_end >> (end - at) & 1)) return true;
    if (at + bytes.size() > end) return false;
    for (size_t i = 0; i < bytes.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[at + i]);
      if (!(bytes[i][c >> 6] >> (c & 63) & 1)) return false;
    }
    return true;
  }
  // What a match of either may start with (several patterns of one set).
  void Unite(const StartBytes& other);
};
StartBytes FindStartBytes(std::string_view pattern, size_t max = 8);

}  // namespace newsevents

#endif  // NEWSEVENTS_RULE_CUE_H_
