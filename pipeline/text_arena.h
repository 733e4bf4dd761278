// TextArena: strings that live as long as one piece of work (the candidate
// names of one document), copied into a few large blocks instead of a heap
// allocation each.
//
// A name finder makes many short strings (names cleaned of white space,
// lexicon keys) of which it keeps few: views into an arena cost a copy and
// no malloc/free. The views stay valid until Clear(); the blocks are kept
// for the next piece of work, so a warm arena allocates nothing.
#ifndef NEWSEVENTS_TEXT_ARENA_H_
#define NEWSEVENTS_TEXT_ARENA_H_

#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace newsevents {

class TextArena {
 public:
  // A copy of s that lives until Clear().
  std::string_view Copy(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > kBlock) {  // a text longer than a block gets one of its own
      large_.push_back(std::make_unique<char[]>(s.size()));
      std::memcpy(large_.back().get(), s.data(), s.size());
      return {large_.back().get(), s.size()};
    }
    if (blocks_.empty() || used_ + s.size() > kBlock) {
      if (blocks_.empty() || ++block_ == blocks_.size()) {
        blocks_.push_back(std::make_unique<char[]>(kBlock));
        block_ = blocks_.size() - 1;
      }
      used_ = 0;
    }
    char* out = blocks_[block_].get() + used_;
    std::memcpy(out, s.data(), s.size());
    used_ += s.size();
    return {out, s.size()};
  }

  // Forgets every copy; the blocks are kept for the next ones.
  void Clear() {
    block_ = 0;
    used_ = 0;
    large_.clear();
  }

 private:
  static constexpr size_t kBlock = 16384;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_ = 0;  // the block being filled
  size_t used_ = 0;   // bytes used in it
  std::vector<std::unique_ptr<char[]>> large_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_TEXT_ARENA_H_
