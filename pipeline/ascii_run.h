// AppendAsciiRun: a run of ASCII bytes appended to a string, each byte
// through a mapping, with one resize for the whole run. Normalizing and
// folding both copy most of a text this way (most text is ASCII) and send
// only the other characters through ICU.
#ifndef NEWSEVENTS_ASCII_RUN_H_
#define NEWSEVENTS_ASCII_RUN_H_

#include <cstdint>
#include <string>

namespace newsevents {

// Appends map(b) for each byte b of [from, to) to `out`; map gives a char.
template <typename Map>
void AppendAsciiRun(std::string& out, const uint8_t* from, const uint8_t* to, Map map) {
  const size_t at = out.size();
  out.resize(at + static_cast<size_t>(to - from));
  char* d = out.data() + at;
  for (const uint8_t* p = from; p < to; ++p) *d++ = map(*p);
}

}  // namespace newsevents

#endif  // NEWSEVENTS_ASCII_RUN_H_
