#include "pipeline/offset_map.h"

#include <algorithm>
#include <cstdint>

namespace newsevents {

void OffsetMap::Add(size_t dst, size_t dst_len, size_t src, size_t src_len) {
  // An aligned run whose delta equals the current one adds nothing.
  if (dst_len == src_len) {
    if (anchors_.empty() ? dst == src
                         : (dst - anchors_.back().dst_end ==
                            src - anchors_.back().src_end)) {
      return;
    }
  }
  anchors_.push_back({dst, src, dst + dst_len, src + src_len});
}

size_t OffsetMap::ToSource(size_t dst) const {
  if (anchors_.empty()) return dst;
  // Last anchor whose run starts at or before dst.
  auto it = std::upper_bound(
      anchors_.begin(), anchors_.end(), dst,
      [](size_t d, const Anchor& a) { return d < a.dst; });
  if (it == anchors_.begin()) return dst;  // before any edit: identity
  const Anchor& a = *(it - 1);
  if (dst < a.dst_end) {
    // Inside an edited run: aligned runs map byte for byte, others to start.
    if (a.dst_end - a.dst == a.src_end - a.src) return a.src + (dst - a.dst);
    return a.src;
  }
  return a.src_end + (dst - a.dst_end);
}

size_t OffsetMap::FirstAtOrAfter(size_t src, size_t size) const {
  // Before the first edit (or without any) the map is the identity.
  if (anchors_.empty() || src <= anchors_.front().src) {
    const size_t identity = anchors_.empty() ? src : std::min<size_t>(src, anchors_.front().dst);
    return std::min(identity, size);
  }
  // The last edit whose run starts (in the original) before src: the answer
  // lies after its start and at or before the next edit's start, where
  // ToSource reaches that edit's src, which is at least src.
  auto it = std::lower_bound(anchors_.begin(), anchors_.end(), src,
                             [](const Anchor& a, size_t s) { return a.src < s; });
  const Anchor& a = *(it - 1);
  const size_t next = it == anchors_.end() ? SIZE_MAX : static_cast<size_t>(it->dst);
  size_t d;
  if (a.dst_end - a.dst == a.src_end - a.src && src < a.src_end) {
    d = a.dst + (src - a.src);  // inside an aligned run: byte for byte
  } else if (src <= a.src_end) {
    d = a.dst_end;  // an edited run maps to its start: the first byte after it
  } else {
    d = a.dst_end + (src - a.src_end);
  }
  return std::min({d, next, size});
}

}  // namespace newsevents
