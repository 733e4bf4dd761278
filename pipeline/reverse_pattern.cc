#include "pipeline/reverse_pattern.h"

#include <vector>

namespace newsevents {
namespace {

// Bytes of the UTF-8 sequence a lead byte opens, 0 for a byte that opens none.
int SequenceLength(unsigned char c) {
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return 2;
  if (c >= 0xE0 && c <= 0xEF) return 3;
  if (c >= 0xF0 && c <= 0xF4) return 4;
  return 0;
}

// A recursive-descent reader of RE2 syntax that prints each sequence's
// elements in the other order; false on anything it does not take.
class Reverser {
 public:
  explicit Reverser(std::string_view p) : p_(p) {}

  bool Run(std::string* out) { return Alternation(out) && i_ == p_.size(); }

 private:
  bool Alternation(std::string* out) {
    std::string branch;
    if (!Sequence(&branch)) return false;
    *out += branch;
    while (i_ < p_.size() && p_[i_] == '|') {
      ++i_;
      branch.clear();
      if (!Sequence(&branch)) return false;
      *out += '|';
      *out += branch;
    }
    return true;
  }

  bool Sequence(std::string* out) {
    std::vector<std::string> elements;
    while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      std::string element;
      if (!Atom(&element) || !Repeat(&element)) return false;
      elements.push_back(std::move(element));
    }
    for (auto it = elements.rbegin(); it != elements.rend(); ++it) *out += *it;
    return true;
  }

  // Quantifiers stay after their (reversed) atom: "e?" reads the same either way.
  bool Repeat(std::string* out) {
    while (i_ < p_.size()) {
      const char c = p_[i_];
      if (c == '?' || c == '*' || c == '+') {
        *out += c;
        ++i_;
      } else if (c == '{') {
        size_t j = i_ + 1;
        bool digits = false;
        while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') ++j, digits = true;
        if (j < p_.size() && p_[j] == ',') {
          ++j;
          while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') ++j;
        }
        if (!digits || j >= p_.size() || p_[j] != '}') return false;  // a literal '{'
        out->append(p_.substr(i_, j + 1 - i_));
        i_ = j + 1;
      } else {
        return true;
      }
      if (i_ < p_.size() && p_[i_] == '?') *out += p_[i_++];  // lazy
    }
    return true;
  }

  bool Atom(std::string* out) {
    const char c = p_[i_];
    switch (c) {
      case '(':
        return Group(out);
      case '[':
        return Class(out);
      case '\\':
        return Escape(out);
      case '^':
        ++i_;
        *out += '$';
        return true;
      case '$':
        ++i_;
        *out += '^';
        return true;
      case '*':
      case '+':
      case '?':
      case '{':
        return false;
      default:
        break;
    }
    const int n = SequenceLength(static_cast<unsigned char>(c));
    if (n == 0 || i_ + n > p_.size()) return false;
    out->append(p_.substr(i_, n));  // a character, its bytes in order
    i_ += n;
    return true;
  }

  bool Group(std::string* out) {
    ++i_;  // '('
    std::string open = "(?:";
    if (i_ < p_.size() && p_[i_] == '?') {
      ++i_;
      if (i_ < p_.size() && (p_[i_] == 'P' || p_[i_] == '<')) {  // a named group
        const size_t close = p_.find('>', i_);
        if (close == std::string_view::npos) return false;
        i_ = close + 1;
      } else {  // flags: (?i:...); (?i) alone would change what follows it, (?m:
                // would have ^ and $ read line ends
        const size_t flags = i_;
        while (i_ < p_.size() && std::string_view("isU-").find(p_[i_]) != std::string_view::npos) ++i_;
        if (i_ >= p_.size() || p_[i_] != ':') return false;
        open = "(?" + std::string(p_.substr(flags, i_ - flags)) + ":";
        ++i_;
      }
    }
    *out += open;
    if (!Alternation(out) || i_ >= p_.size() || p_[i_] != ')') return false;
    ++i_;
    *out += ')';
    return true;
  }

  // A class matches one character: copied as written.
  bool Class(std::string* out) {
    const size_t start = i_++;
    if (i_ < p_.size() && p_[i_] == '^') ++i_;
    if (i_ < p_.size() && p_[i_] == ']') ++i_;  // a leading ']' is a member
    while (i_ < p_.size() && p_[i_] != ']') {
      if (p_[i_] == '\\') {
        if (!SkipEscape()) return false;
      } else if (p_.substr(i_, 2) == "[:") {
        const size_t close = p_.find(":]", i_ + 2);
        if (close == std::string_view::npos) return false;
        i_ = close + 2;
      } else {
        ++i_;
      }
    }
    if (i_ >= p_.size()) return false;
    ++i_;
    out->append(p_.substr(start, i_ - start));
    return true;
  }

  // Past an escape (at its backslash) that names one character or a class;
  // false for those this reader does not take.
  bool SkipEscape() {
    if (++i_ >= p_.size()) return false;
    const char c = p_[i_++];
    if (c == 'Q' || c == 'E' || c == 'C' || (c >= '1' && c <= '9')) return false;
    if ((c == 'x' || c == 'p' || c == 'P') && i_ < p_.size() && p_[i_] == '{') {
      const size_t close = p_.find('}', i_);
      if (close == std::string_view::npos) return false;
      i_ = close + 1;
    } else if (c == 'x') {
      i_ += 2;
    } else if (c == 'p' || c == 'P') {
      ++i_;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
    return i_ <= p_.size();
  }

  bool Escape(std::string* out) {
    if (i_ + 1 < p_.size() && (p_[i_ + 1] == 'A' || p_[i_ + 1] == 'z')) {
      *out += p_[i_ + 1] == 'A' ? "\\z" : "\\A";
      i_ += 2;
      return true;
    }
    const size_t start = i_;
    if (!SkipEscape()) return false;
    out->append(p_.substr(start, i_ - start));
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
};

}  // namespace

std::optional<std::string> ReversePattern(std::string_view pattern) {
  std::string out;
  if (!Reverser(pattern).Run(&out)) return std::nullopt;
  return out;
}

bool ReverseText(std::string_view text, std::string* out) {
  out->resize(text.size());
  size_t to = text.size();
  for (size_t i = 0; i < text.size();) {
    const int n = SequenceLength(static_cast<unsigned char>(text[i]));
    if (n == 0 || i + n > text.size()) return false;
    for (int k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    to -= n;
    for (int k = 0; k < n; ++k) (*out)[to + k] = text[i + k];
    i += n;
  }
  return true;
}

}  // namespace newsevents
