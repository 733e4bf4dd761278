#include "pipeline/folded_pattern.h"

#include "pipeline/fold.h"

namespace newsevents {

std::string FoldPattern(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  size_t run_begin = 0;  // start of the literal run not yet folded
  auto flush = [&](size_t end) {
    if (end > run_begin) out += FoldText(pattern.substr(run_begin, end - run_begin));
  };
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '(' && i + 1 < pattern.size() && pattern[i + 1] == '?') {
      // Group syntax, "(?P<name>", "(?i)", "(?U:": copied as written.
      flush(i);
      const size_t close = pattern.find_first_of(":)>", i + 2);
      const size_t end = close == std::string_view::npos ? pattern.size() : close + 1;
      out.append(pattern.substr(i, end - i));
      i = end;
      run_begin = end;
      continue;
    }
    if (pattern[i] != '\\' || i + 1 >= pattern.size()) {
      ++i;
      continue;
    }
    flush(i);
    size_t end = i + 2;
    const char kind = pattern[i + 1];
    if ((kind == 'p' || kind == 'P') && end < pattern.size() && pattern[end] == '{') {
      const size_t close = pattern.find('}', end);
      end = close == std::string_view::npos ? pattern.size() : close + 1;
    } else if (static_cast<unsigned char>(kind) >= 0x80) {
      // An escaped non-ASCII character is just that character: drop the
      // backslash and let it fold with the literal run that follows.
      run_begin = ++i;
      continue;
    }
    out.append(pattern.substr(i, end - i));
    i = end;
    run_begin = end;
  }
  flush(pattern.size());
  return out;
}

}  // namespace newsevents
