// OffsetMap: maps byte offsets in a derived text back to byte offsets in the
// text it was derived from (normalized text -> file bytes, folded -> normalized).
//
// Stored as sparse anchors rather than one entry per byte: most of a text maps
// one-to-one, so memory stays proportional to the number of edits, not to the
// size of the text (a 50 MB line must not cost 200 MB of map).
#ifndef NEWSEVENTS_OFFSET_MAP_H_
#define NEWSEVENTS_OFFSET_MAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace newsevents {

class OffsetMap {
 public:
  // An identity map (derived text == original text).
  OffsetMap() = default;

  // Declares that derived bytes [dst, dst + dst_len) came from original bytes
  // [src, src + src_len). Calls must come in increasing dst order; runs where
  // dst_len == src_len and offsets stay aligned need no call at all, but
  // calling for them is harmless.
  void Add(size_t dst, size_t dst_len, size_t src, size_t src_len);

  // The original offset of derived offset `dst`. Inside an edited run, every
  // byte maps to the run's start, and the run's end maps to the original end,
  // so a span [b, e) maps to the smallest original span that covers it.
  size_t ToSource(size_t dst) const;

  // The other direction: the first derived offset in [0, size] whose
  // original offset is at least `src` (size when none is). ToSource is
  // monotonic; this answers with one binary search over the edits instead of
  // a binary search calling ToSource.
  size_t FirstAtOrAfter(size_t src, size_t size) const;

  // Composes: this map (derived -> middle) then `inner` (middle -> original).
  size_t ToSource(size_t dst, const OffsetMap& inner) const {
    return inner.ToSource(ToSource(dst));
  }

  size_t anchor_count() const { return anchors_.size(); }

  // ToSource for offsets asked in increasing order (a text's words, first to
  // last): each call walks on over the anchors instead of searching them all.
  class Walker {
   public:
    explicit Walker(const OffsetMap& map) : map_(&map) {}
    // Same as map.ToSource(dst); dst must not be smaller than the last one.
    // (Inline: a document's every word asks.)
    size_t ToSource(size_t dst) {
      const std::vector<Anchor>& anchors = map_->anchors_;
      while (next_ < anchors.size() && anchors[next_].dst <= dst) ++next_;
      if (next_ == 0) return dst;  // before any edit: identity
      const Anchor& a = anchors[next_ - 1];
      if (dst < a.dst_end) {
        if (a.dst_end - a.dst == a.src_end - a.src) return a.src + (dst - a.dst);
        return a.src;
      }
      return a.src_end + (dst - a.dst_end);
    }

   private:
    const OffsetMap* map_;
    size_t next_ = 0;  // first anchor whose run starts after the last dst
  };

 private:
  struct Anchor {
    uint64_t dst;      // first derived byte of a run
    uint64_t src;      // its original byte
    uint64_t dst_end;  // derived end of an edited run (== dst for aligned runs)
    uint64_t src_end;  // original end of an edited run
  };
  std::vector<Anchor> anchors_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_OFFSET_MAP_H_
