// ThreadMemo: the answers a rule set gave about short texts, remembered per
// thread and per owner, for answers that depend on nothing but the text.
//
// Matching a phrase against a rule set costs RE2 a thousand instructions or
// more before it reads a byte; the phrases a stage asks about recur ("2023",
// "March 7", "webinar", "round table"), and a hash look-up of a few bytes
// costs a tenth of that. Per thread, so the hot path takes no lock; keyed by
// an owner id (NewMemoOwner(), one per rule set built). Bounded: an owner's
// memo that reaches kMaxEntries starts over (a few hundred KB at most), and
// so do a thread's memos when it has met more than kMaxOwners owners.
#ifndef NEWSEVENTS_THREAD_MEMO_H_
#define NEWSEVENTS_THREAD_MEMO_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace newsevents {

// A new owner id for a per-thread memo: one per model or rule set built.
// Memos are keyed by these rather than by addresses, which are reused when
// one owner dies and another is built; ids are not.
inline uint64_t NewMemoOwner() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

template <typename Value>
class ThreadMemo {
 public:
  static constexpr size_t kMaxEntries = 4096;
  static constexpr size_t kMaxOwners = 64;

  // The value remembered for `key` of `owner`, or null. Valid until the
  // next Put on this thread.
  static const Value* Find(uint64_t owner, const std::string& key) {
    Map& map = MapOf(owner);
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
  }

  static void Put(uint64_t owner, std::string key, Value value) {
    Map& map = MapOf(owner);
    if (map.size() >= kMaxEntries) map.clear();
    map.emplace(std::move(key), std::move(value));
  }

 private:
  using Map = std::unordered_map<std::string, Value>;

  static Map& MapOf(uint64_t owner) {
    thread_local std::unordered_map<uint64_t, Map> maps;
    if (maps.size() >= kMaxOwners && !maps.count(owner)) maps.clear();
    return maps[owner];
  }
};

}  // namespace newsevents

#endif  // NEWSEVENTS_THREAD_MEMO_H_
