#include "pipeline/offset_map.h"

#include <algorithm>

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

size_t OffsetMap::Walker::ToSource(size_t dst) {
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

}  // namespace newsevents
