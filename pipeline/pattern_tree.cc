#include "pipeline/pattern_tree.h"

#include <cstdint>
#include <string_view>

namespace newsevents {
namespace {

constexpr bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
constexpr int HexDigit(char c) {
  return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}
constexpr bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The code point of the character of `p` at i (its lead byte), moving i past
// it; the pattern is UTF-8, as RE2 reads it.
uint32_t NextCodePoint(std::string_view p, size_t* i) {
  const auto lead = static_cast<unsigned char>(p[(*i)++]);
  if (lead < 0x80) return lead;
  uint32_t code = lead >= 0xF0 ? lead & 0x07u : lead >= 0xE0 ? lead & 0x0Fu : lead & 0x1Fu;
  while (*i < p.size() && IsContinuation(p[*i]))
    code = code << 6 | (static_cast<unsigned char>(p[(*i)++]) & 0x3Fu);
  return code;
}

void SetRange(PatternNode* n, uint32_t lo, uint32_t hi) {
  for (uint32_t k = lo; k <= hi && k < 128; ++k) n->ascii.set(k);
  if (hi >= 0x80) n->non_ascii = true;
}

// A recursive-descent reader of RE2 syntax; false on anything it does not
// know.
class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  bool Parse(PatternTree* out) {
    if (!Alternation(&out->root) || i_ != p_.size()) return false;
    out->multi_line = multi_line_;
    out->bare_flags = bare_flags_;
    return true;
  }

 private:
  using Node = PatternNode;

  bool Alternation(Node* out) {
    Node alt;
    alt.kind = Node::kAlt;
    do {
      Node seq;
      if (!Sequence(&seq)) return false;
      alt.kids.push_back(std::move(seq));
    } while (i_ < p_.size() && p_[i_] == '|' && ++i_);
    *out = alt.kids.size() == 1 ? std::move(alt.kids[0]) : std::move(alt);
    return true;
  }

  bool Sequence(Node* out) {
    out->kind = Node::kConcat;
    out->begin = i_;
    while (i_ < p_.size() && (quoting_ || (p_[i_] != '|' && p_[i_] != ')'))) {
      Node atom;
      const size_t begin = i_;
      bool skip = false;  // a flag group "(?i)", an empty \Q\E: nothing to match
      if (!Atom(&atom, &skip)) return false;
      if (skip) continue;
      atom.begin = begin;
      atom.end = i_;
      if (!Repeat(&atom)) return false;
      out->kids.push_back(std::move(atom));
    }
    out->end = i_;
    return true;
  }

  // A quantifier after `atom`, if any (none inside \Q...\E).
  bool Repeat(Node* atom) {
    while (i_ < p_.size() && !quoting_) {
      const char c = p_[i_];
      int min = -1, max = -1;
      if (c == '?' || c == '*') {
        min = 0;
        max = c == '?' ? 1 : -1;
        ++i_;
      } else if (c == '+') {
        min = 1;
        ++i_;
      } else if (c == '{') {
        size_t j = i_ + 1;
        int n = 0;
        bool digits = false;
        while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') n = n * 10 + (p_[j++] - '0'), digits = true;
        if (!digits) return true;  // a literal '{', read as the next atom
        max = n;
        if (j < p_.size() && p_[j] == ',') {
          ++j;
          max = -1;
          if (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') max = 0;
          while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') max = max * 10 + (p_[j++] - '0');
        }
        if (j >= p_.size() || p_[j] != '}') return true;
        min = n;
        i_ = j + 1;
      } else {
        return true;
      }
      if (i_ < p_.size() && p_[i_] == '?') ++i_;  // lazy: the same strings
      Node r;
      r.kind = Node::kRepeat;
      r.min = min;
      r.max = max;
      r.begin = atom->begin;
      r.end = i_;
      r.kids.push_back(std::move(*atom));
      *atom = std::move(r);
    }
    return true;
  }

  // Past "\E" if it is at i_, which ends a quotation.
  void EndQuote() {
    if (p_.compare(i_, 2, "\\E") == 0) {
      i_ += 2;
      quoting_ = false;
    }
  }

  bool Atom(Node* out, bool* skip) {
    if (quoting_) {  // a character of \Q...\E, itself
      const size_t begin = i_;
      if (NextCodePoint(p_, &i_) < 0x80)
        out->ascii.set(static_cast<unsigned char>(p_[begin]));
      else
        out->non_ascii = true;
      out->quoted = true;
      // A "\E" right after it ends the quotation and the character's span,
      // so that a quantifier after it applies to the character ("\Qab\E+"
      // is "ab+").
      EndQuote();
      return true;
    }
    const char c = p_[i_];
    if (c == '(') return Group(out, skip);
    if (c == '[') return Class(out);
    if (c == '\\') {
      if (p_.compare(i_, 2, "\\Q") == 0) {  // literal text up to \E or the end
        i_ += 2;
        quoting_ = true;
        EndQuote();
        *skip = true;
        return true;
      }
      ++i_;
      return Escape(out, /*in_class=*/false, nullptr);
    }
    ++i_;
    if (c == '^' || c == '$') {
      out->kind = Node::kAssert;
      out->boundary = out->text_start = c == '^';
      out->text_end = c == '$';
      return true;
    }
    if (c == '.') {
      out->ascii.set();
      out->non_ascii = true;
      return true;
    }
    if (c == '*' || c == '+' || c == '?') return false;
    if (static_cast<unsigned char>(c) >= 0x80) {
      while (i_ < p_.size() && IsContinuation(p_[i_])) ++i_;
      out->non_ascii = true;
      return true;
    }
    out->ascii.set(static_cast<unsigned char>(c));
    return true;
  }

  bool Group(Node* out, bool* skip) {
    const size_t begin = i_;
    ++i_;  // '('
    if (i_ < p_.size() && p_[i_] == '?') {
      ++i_;
      if (i_ < p_.size() && (p_[i_] == 'P' || p_[i_] == '<')) {  // (?P<name>...) (?<name>...)
        const size_t close = p_.find('>', i_);
        if (close == std::string_view::npos) return false;
        i_ = close + 1;
      } else {  // flags: (?i:...) or (?i)
        while (i_ < p_.size() && std::string_view("imsU-").find(p_[i_]) != std::string_view::npos)
          multi_line_ |= p_[i_++] == 'm';
        if (i_ < p_.size() && p_[i_] == ')') {
          ++i_;
          bare_flags_ = true;
          *skip = true;
          return true;
        }
        if (i_ >= p_.size() || p_[i_] != ':') return false;
        ++i_;
      }
    }
    const size_t body_begin = i_;
    if (!Alternation(out)) return false;
    if (i_ >= p_.size() || p_[i_] != ')') return false;
    ++i_;
    out->group = true;
    out->begin = begin;
    out->body_begin = body_begin;
    return true;
  }

  // After a backslash: an assertion, a class or a literal character. In a
  // class, `single` receives the code point of an escape that stands for one
  // character (a range's end).
  bool Escape(Node* out, bool in_class, std::optional<uint32_t>* single) {
    if (i_ >= p_.size()) return false;
    const char c = p_[i_++];
    auto one = [&](uint32_t code) {
      if (single) *single = code;
      SetRange(out, code, code);
      return true;
    };
    auto set_range = [&](char lo, char hi) {
      for (int k = lo; k <= hi; ++k) out->ascii.set(static_cast<size_t>(k));
    };
    switch (c) {
      case 'b':
      case 'A':
      case 'B':
      case 'z':
        if (in_class) return false;
        out->kind = Node::kAssert;
        out->boundary = c == 'b' || c == 'A';
        out->text_start = c == 'A';
        out->text_end = c == 'z';
        return true;
      case 'd':
      case 'D':
        set_range('0', '9');
        break;
      case 's':
      case 'S':
        for (char s : {'\t', '\n', '\f', '\r', ' '}) out->ascii.set(static_cast<size_t>(s));
        break;
      case 'w':
      case 'W':
        set_range('0', '9');
        set_range('a', 'z');
        set_range('A', 'Z');
        out->ascii.set('_');
        break;
      case 'C':  // any byte
        out->ascii.set();
        out->non_ascii = true;
        return true;
      case 'p':
      case 'P': {
        std::string_view name;
        if (i_ < p_.size() && p_[i_] == '{') {
          const size_t close = p_.find('}', i_);
          if (close == std::string_view::npos) return false;
          name = p_.substr(i_ + 1, close - i_ - 1);
          i_ = close + 1;
        } else {
          if (i_ >= p_.size()) return false;
          name = p_.substr(i_, 1);
          ++i_;
        }
        out->opaque = true;
        out->opaque_any = !(c == 'p' && (name == "L" || name == "Lu" || name == "Ll" || name == "Lt" ||
                                         name == "Lm" || name == "Lo"));
        out->non_ascii = true;
        return true;
      }
      case 'a':
        return one(7);
      case 'n':
        return one('\n');
      case 't':
        return one('\t');
      case 'r':
        return one('\r');
      case 'f':
        return one('\f');
      case 'v':
        return one('\v');
      case 'x': {  // \xHH or \x{H...}: the space-like characters of date rules
        uint32_t code = 0;
        if (i_ < p_.size() && p_[i_] == '{') {
          const size_t close = p_.find('}', i_);
          if (close == std::string_view::npos || close == i_ + 1 || close - i_ > 9) return false;
          for (size_t k = i_ + 1; k < close; ++k) {
            const int d = HexDigit(p_[k]);
            if (d < 0) return false;
            code = code * 16 + static_cast<uint32_t>(d);
          }
          i_ = close + 1;
        } else {
          if (i_ + 2 > p_.size() || HexDigit(p_[i_]) < 0 || HexDigit(p_[i_ + 1]) < 0) return false;
          code = static_cast<uint32_t>(HexDigit(p_[i_]) * 16 + HexDigit(p_[i_ + 1]));
          i_ += 2;
        }
        return one(code);
      }
      default:
        // An escaped punctuation character stands for itself; letters and
        // digits not handled above (octal, back-references...) are not read.
        if (IsWordByte(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) return false;
        return one(static_cast<unsigned char>(c));
    }
    // \D, \S, \W: the complement of the class read, which holds every
    // character beyond ASCII (RE2's \d, \s, \w are ASCII only).
    if (c == 'D' || c == 'S' || c == 'W') {
      out->ascii.flip();
      out->non_ascii = true;
    }
    return true;
  }

  // One member of a class at i_ (not a POSIX class): its characters into
  // *item; `single`: the code point, when it is one character.
  bool ClassChar(Node* item, std::optional<uint32_t>* single) {
    if (p_[i_] == '\\') {
      ++i_;
      return Escape(item, /*in_class=*/true, single);
    }
    const uint32_t code = NextCodePoint(p_, &i_);
    *single = code;
    SetRange(item, code, code);
    return true;
  }

  bool Class(Node* out) {
    ++i_;  // '['
    bool negated = false;
    if (i_ < p_.size() && p_[i_] == '^') {
      negated = true;
      ++i_;
    }
    bool first = true;
    while (i_ < p_.size() && (p_[i_] != ']' || first)) {
      first = false;
      if (p_.compare(i_, 2, "[:") == 0) {  // [:alpha:]
        const size_t close = p_.find(":]", i_ + 2);
        if (close == std::string_view::npos) return false;
        i_ = close + 2;
        out->opaque = true;
        out->opaque_any = true;
        continue;
      }
      Node item;
      std::optional<uint32_t> lo;
      if (!ClassChar(&item, &lo)) return false;
      // A range "a-z", "\x{2010}-\x{2015}": a character, '-', a character.
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        if (!lo) return false;  // "\d-x"
        ++i_;
        Node end;
        std::optional<uint32_t> hi;
        if (!ClassChar(&end, &hi) || !hi || *hi < *lo) return false;
        SetRange(&item, *lo, *hi);
      }
      out->ascii |= item.ascii;
      out->non_ascii |= item.non_ascii;
      out->opaque |= item.opaque;
      out->opaque_any |= item.opaque_any;
    }
    if (i_ >= p_.size()) return false;
    ++i_;  // ']'
    if (negated) {  // (the complement of an opaque set stays opaque)
      out->ascii.flip();
      out->non_ascii = true;
    }
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
  bool quoting_ = false;
  bool multi_line_ = false;
  bool bare_flags_ = false;
};

}  // namespace

std::optional<PatternTree> ReadPattern(std::string_view pattern) {
  PatternTree tree;
  if (!Parser(pattern).Parse(&tree)) return std::nullopt;
  return tree;
}

void BytesOf(const PatternNode& n, std::bitset<256>* out) {
  if (n.kind == PatternNode::kChar) {
    for (unsigned c = 0; c < 128; ++c) {
      const bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
      if (n.ascii.test(c) || (n.opaque && (n.opaque_any || letter)) ||
          (letter && n.ascii.test(c ^ 0x20)))
        out->set(c);
    }
    if (n.non_ascii)
      for (unsigned c = 128; c < 256; ++c) out->set(c);
    return;
  }
  for (const PatternNode& kid : n.kids) BytesOf(kid, out);
}

}  // namespace newsevents
