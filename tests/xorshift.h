// Xorshift64: a tiny seeded generator for the tests that build random texts
// from pieces, so that a seed gives the same texts on every machine and
// standard library (std::uniform_int_distribution does not promise that).
//
//   Xorshift64 next(0x9E3779B97F4A7C15ull);
//   const std::string& piece = pieces[next() % pieces.size()];
#ifndef NEWSEVENTS_TESTS_XORSHIFT_H_
#define NEWSEVENTS_TESTS_XORSHIFT_H_

#include <cstdint>

namespace newsevents {

class Xorshift64 {
 public:
  explicit Xorshift64(uint64_t seed) : state_(seed) {}
  uint64_t operator()() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }

 private:
  uint64_t state_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_TESTS_XORSHIFT_H_
