// RuleMatcher: a rule pattern's matches in a text, with their groups, exactly
// as RE2::Match with groups gives them, for less.
//
// RE2 finds a match with its DFAs, then works out the groups over the match
// with its NFA, whose cost grows with the program's size. A rule's \p{L},
// \p{Lu} and (?i:...) word lists compile in UTF-8 to thousands of
// instructions (PersonStage's role_after: 12,000); the same pattern compiled
// for Latin-1 is a few hundred, small enough for RE2's BitState. On a match
// made only of ASCII bytes the two programs give the same groups: they parse
// into the same regexp and differ only in the non-ASCII characters they
// accept; RE2's \b and ^ $ look at bytes, ASCII in both. So the match is found
// with the UTF-8 program and its groups are read with the Latin-1 one when
// the match is ASCII (most English matches), or over a Latin-1 copy of the
// match when its characters all fit Latin-1 (accented French and Spanish
// matches; RE2's NFA, which a UTF-8 program that size gets, cost these ten
// times more), with the UTF-8 one otherwise. A pattern holding a character
// beyond Latin-1 keeps the UTF-8 program only.
#ifndef NEWSEVENTS_RULE_MATCHER_H_
#define NEWSEVENTS_RULE_MATCHER_H_

#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>

namespace newsevents {

class RuleMatcher {
 public:
  // `pattern` (expanded, UTF-8) from file:line; throws ConfigError when RE2
  // rejects it.
  RuleMatcher(const std::string& pattern, const std::string& file, int line);

  // The pattern as compiled for the text (UTF-8): its groups, PartialMatch...
  const RE2& re() const { return *re_; }

  // RE2::Match(text, pos, endpos, RE2::UNANCHORED, groups, n): the leftmost
  // match at or after `pos` that ends by `endpos` (text.size() when npos),
  // groups[0] the whole match. RE2 still reads the text around as context
  // (\b at endpos sees the character after it).
  bool Match(std::string_view text, size_t pos, re2::StringPiece* groups, int n,
             size_t endpos = std::string_view::npos) const;
  // The same anchored at `at`: the match starting there, if any.
  bool MatchAt(std::string_view text, size_t at, re2::StringPiece* groups, int n) const;
  // The groups of text[begin, end) matched whole, as RE2 reads a match's
  // groups (an anchored full match, the text around as context); false when
  // the pattern does not match all of it.
  bool GroupsOf(std::string_view text, size_t begin, size_t end, re2::StringPiece* groups,
                int n) const;

 private:
  bool Find(std::string_view text, size_t pos, size_t endpos, RE2::Anchor anchor,
            re2::StringPiece* groups, int n) const;
  bool Latin1Groups(std::string_view text, size_t begin, size_t end, re2::StringPiece* groups,
                    int n) const;

  std::unique_ptr<RE2> re_;
  std::unique_ptr<RE2> latin1_;  // null when the pattern does not fit Latin-1
};

}  // namespace newsevents

#endif  // NEWSEVENTS_RULE_MATCHER_H_
