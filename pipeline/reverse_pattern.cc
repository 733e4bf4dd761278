#include "pipeline/reverse_pattern.h"

#include "pipeline/pattern_tree.h"

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

// Prints n read backwards into *out: each sequence's elements in the other
// order, what does not change copied from the pattern; false for what it
// does not take.
class Reverser {
 public:
  explicit Reverser(std::string_view p) : p_(p) {}

  bool Print(const PatternNode& n, std::string* out) const {
    const std::string_view text = p_.substr(n.begin, n.end - n.begin);
    switch (n.kind) {
      case PatternNode::kChar:
        // A character, a class or an escape is one character: copied as
        // written. Not \C (one byte of a character), not a quoted character
        // (its span holds no escaping), not a '{' read as a literal.
        if (n.quoted || text == "\\C" || text == "{") return false;
        out->append(text);
        return true;
      case PatternNode::kAssert:
        // \b and \B read the same either way; the text's ends trade places.
        if (text == "^") *out += '$';
        else if (text == "$") *out += '^';
        else if (text == "\\A") *out += "\\z";
        else if (text == "\\z") *out += "\\A";
        else out->append(text);
        return true;
      case PatternNode::kRepeat:
        // The quantifier stays after its (reversed) atom: "e?" reads the same
        // either way.
        if (!Print(n.kids[0], out)) return false;
        out->append(p_.substr(n.kids[0].end, n.end - n.kids[0].end));
        return true;
      case PatternNode::kConcat:
      case PatternNode::kAlt:
        break;
    }
    if (n.group) *out += Opening(n);
    if (n.kind == PatternNode::kConcat) {
      for (auto kid = n.kids.rbegin(); kid != n.kids.rend(); ++kid)
        if (!Print(*kid, out)) return false;
    } else {
      for (size_t k = 0; k < n.kids.size(); ++k) {
        if (k > 0) *out += '|';
        if (!Print(n.kids[k], out)) return false;
      }
    }
    if (n.group) *out += ')';
    return true;
  }

 private:
  // A group's opening, made non-capturing (a set does not read groups):
  // "(?:" or the flags' own "(?i:".
  std::string Opening(const PatternNode& n) const {
    const std::string_view open = p_.substr(n.begin, n.body_begin - n.begin);
    if (open.size() >= 3 && open[1] == '?' && open.back() == ':') return std::string(open);
    return "(?:";
  }

  std::string_view p_;
};

}  // namespace

std::optional<std::string> ReversePattern(std::string_view pattern) {
  const std::optional<PatternTree> tree = ReadPattern(pattern);
  // A flag group without a body would change what follows it once moved;
  // multi-line mode would have ^ and $ read line ends.
  if (!tree || tree->bare_flags || tree->multi_line) return std::nullopt;
  std::string out;
  if (!Reverser(pattern).Print(tree->root, &out)) return std::nullopt;
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
