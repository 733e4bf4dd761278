#include "pipeline/pattern_bytes.h"

#include <cctype>
#include <optional>

namespace newsevents {

namespace {

using Bytes = std::bitset<128>;

Bytes Range(int lo, int hi) {
  Bytes b;
  for (int c = lo; c <= hi && c < 128; ++c) b.set(static_cast<size_t>(c));
  return b;
}

Bytes Digits() { return Range('0', '9'); }
Bytes Spaces() {  // RE2's \s: [\t\n\f\r ]
  Bytes b;
  for (char c : {'\t', '\n', '\f', '\r', ' '}) b.set(static_cast<size_t>(c));
  return b;
}
Bytes WordChars() { return Digits() | Range('A', 'Z') | Range('a', 'z') | Range('_', '_'); }

// Reads the pattern; `unknown` is set on any syntax it does not read.
class Reader {
 public:
  explicit Reader(std::string_view p) : p_(p) {}

  Bytes Read() {
    Bytes out;
    while (i_ < p_.size() && !unknown_) {
      const char c = p_[i_];
      switch (c) {
        case '\\':
          out |= Escape(/*in_class=*/false);
          break;
        case '[':
          out |= Class();
          break;
        case '(':
          Group();
          break;
        case '{':
          if (!Repetition()) out.set('{'), ++i_;
          break;
        case '.':  // any character but \n, or any at all under (?s)
          unknown_ = true;
          break;
        case '|': case ')': case '*': case '+': case '?': case '^': case '$':
          ++i_;
          break;
        default:
          if (static_cast<unsigned char>(c) < 128) out.set(static_cast<unsigned char>(c));
          ++i_;
      }
    }
    if (unknown_) return Bytes().set();
    // Letters always count: (?i) may be on, and case folding reaches ASCII
    // letters from other characters too (U+212A is K).
    out |= Range('A', 'Z') | Range('a', 'z');
    return out;
  }

 private:
  // The characters of the escape at i_ (a backslash); moves past it. Inside
  // a class, `single` receives the one character it stands for, if it is
  // one (a range's end).
  Bytes Escape(bool in_class, std::optional<int>* single = nullptr) {
    ++i_;
    if (i_ >= p_.size()) return Unknown();
    const char e = p_[i_++];
    auto one = [&](int c) {
      if (single) *single = c;
      Bytes b;
      if (c < 128) b.set(static_cast<size_t>(c));
      return b;
    };
    switch (e) {
      case 'd': return Digits();
      case 'D': return ~Digits();
      case 's': return Spaces();
      case 'S': return ~Spaces();
      case 'w': return WordChars();
      case 'W': return ~WordChars();
      case 'b': case 'B': case 'A': case 'z':
        if (in_class) return Unknown();
        return Bytes();  // empty-width assertions
      case 'a': return one(7);
      case 'f': return one('\f');
      case 't': return one('\t');
      case 'n': return one('\n');
      case 'r': return one('\r');
      case 'v': return one('\v');
      case 'x': {
        int value = 0;
        if (i_ < p_.size() && p_[i_] == '{') {
          const size_t close = p_.find('}', i_);
          if (close == std::string_view::npos || close == i_ + 1) return Unknown();
          for (size_t k = i_ + 1; k < close; ++k) {
            if (!std::isxdigit(static_cast<unsigned char>(p_[k])) || value > 0x10FFFF)
              return Unknown();
            value = value * 16 + HexValue(p_[k]);
          }
          i_ = close + 1;
        } else {
          if (i_ + 2 > p_.size() || !std::isxdigit(static_cast<unsigned char>(p_[i_])) ||
              !std::isxdigit(static_cast<unsigned char>(p_[i_ + 1])))
            return Unknown();
          value = HexValue(p_[i_]) * 16 + HexValue(p_[i_ + 1]);
          i_ += 2;
        }
        return one(value);
      }
      case 'Q': {
        if (in_class) return Unknown();
        const size_t end = p_.find("\\E", i_);
        const size_t stop = end == std::string_view::npos ? p_.size() : end;
        Bytes b;
        for (size_t k = i_; k < stop; ++k)
          if (static_cast<unsigned char>(p_[k]) < 128) b.set(static_cast<unsigned char>(p_[k]));
        i_ = end == std::string_view::npos ? p_.size() : end + 2;
        return b;
      }
      default:
        // An escaped ASCII character that is no letter or digit is itself
        // ("\ ", "\-", "\."); any other escape (\p, \C, octal, ...) is not
        // read.
        if (static_cast<unsigned char>(e) < 128 && !std::isalnum(static_cast<unsigned char>(e)))
          return one(e);
        return Unknown();
    }
  }

  // A bracketed class at i_; moves past it.
  Bytes Class() {
    ++i_;
    bool negated = false;
    if (i_ < p_.size() && p_[i_] == '^') negated = true, ++i_;
    Bytes set;
    bool first = true;
    while (i_ < p_.size() && !unknown_) {
      if (p_[i_] == ']' && !first) {
        ++i_;
        return negated ? ~set : set;
      }
      first = false;
      if (p_.substr(i_, 2) == "[:") return Unknown();  // POSIX class
      std::optional<int> lo;
      Bytes item = ClassChar(&lo);
      // A range "a-z": a single character, '-', a single character.
      if (lo && i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        ++i_;
        std::optional<int> hi;
        ClassChar(&hi);
        if (!hi || *hi < *lo) return Unknown();
        item = Range(*lo, *hi);
      }
      set |= item;
    }
    return Unknown();  // unterminated
  }

  // One character or escape of a class; `single`: the character, if one.
  Bytes ClassChar(std::optional<int>* single) {
    if (p_[i_] == '\\') return Escape(/*in_class=*/true, single);
    const unsigned char c = static_cast<unsigned char>(p_[i_++]);
    if (c >= 0x80) {
      // A multi-byte character: no ASCII byte, and no range end we read.
      while (i_ < p_.size() && (static_cast<unsigned char>(p_[i_]) & 0xC0) == 0x80) ++i_;
      return Bytes();
    }
    *single = c;
    return Bytes().set(c);
  }

  // "(", "(?:", "(?i)", "(?i:", "(?P<name>": none of it is matched.
  void Group() {
    ++i_;
    if (i_ >= p_.size() || p_[i_] != '?') return;
    ++i_;
    if (i_ < p_.size() && (p_[i_] == 'P' || p_[i_] == '<')) {
      const size_t close = p_.find('>', i_);
      if (close == std::string_view::npos) {
        unknown_ = true;
        return;
      }
      i_ = close + 1;
      return;
    }
    while (i_ < p_.size() && p_[i_] != ':' && p_[i_] != ')') {
      if (!std::isalpha(static_cast<unsigned char>(p_[i_])) && p_[i_] != '-') {
        unknown_ = true;
        return;
      }
      ++i_;
    }
    if (i_ < p_.size() && p_[i_] == ':') ++i_;
    // A ")" closing "(?i)" is left for Read, which skips it.
  }

  // A counted repetition "{n}", "{n,}", "{n,m}" at i_: skips it.
  bool Repetition() {
    size_t k = i_ + 1;
    const size_t digits = k;
    while (k < p_.size() && std::isdigit(static_cast<unsigned char>(p_[k]))) ++k;
    if (k == digits) return false;
    if (k < p_.size() && p_[k] == ',') {
      ++k;
      while (k < p_.size() && std::isdigit(static_cast<unsigned char>(p_[k]))) ++k;
    }
    if (k >= p_.size() || p_[k] != '}') return false;
    i_ = k + 1;
    return true;
  }

  static int HexValue(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                                                       : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
  }

  Bytes Unknown() {
    unknown_ = true;
    return Bytes().set();
  }

  std::string_view p_;
  size_t i_ = 0;
  bool unknown_ = false;
};

}  // namespace

std::bitset<128> MatchableAscii(std::string_view pattern) { return Reader(pattern).Read(); }

}  // namespace newsevents
