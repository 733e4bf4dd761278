#include "pipeline/json_writer.h"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

namespace newsevents {

namespace {

// Length of the well-formed UTF-8 sequence that starts with the non-ASCII
// byte p[i], or 0. Well-formed is RFC 3629, as nlohmann's decoder reads it:
// no overlong forms, no surrogates, nothing above U+10FFFF.
size_t Utf8Length(const unsigned char* p, size_t i, size_t n) {
  auto tail = [&](size_t k, unsigned char lo, unsigned char hi) {
    return i + k < n && p[i + k] >= lo && p[i + k] <= hi;
  };
  const unsigned char c = p[i];
  if (c >= 0xC2 && c <= 0xDF) return tail(1, 0x80, 0xBF) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;  // overlong
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;  // surrogates
    return tail(1, lo, hi) && tail(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;  // overlong
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;  // above U+10FFFF
    return tail(1, lo, hi) && tail(2, 0x80, 0xBF) && tail(3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

template <typename Integer>
void AppendDecimal(std::string* out, Integer v) {
  char buf[24];  // 20 digits and a sign at most
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, static_cast<size_t>(r.ptr - buf));
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  const size_t start = out->size();
  out->push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t copied = 0;  // bytes of s before this are in out
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const size_t len = Utf8Length(p, i, n);
      if (len == 0) {
        // Where the replacement characters go and how many bytes each eats
        // is nlohmann's business: let it write the whole string.
        out->resize(start);
        out->append(nlohmann::json(std::string(s)).dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace));
        return;
      }
      i += len;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out->append(s.data() + copied, i - copied);
    switch (c) {
      case '"': out->append("\\\"", 2); break;
      case '\\': out->append("\\\\", 2); break;
      case '\b': out->append("\\b", 2); break;
      case '\t': out->append("\\t", 2); break;
      case '\n': out->append("\\n", 2); break;
      case '\f': out->append("\\f", 2); break;
      case '\r': out->append("\\r", 2); break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(u, 6);
      }
    }
    copied = ++i;
  }
  out->append(s.data() + copied, n - copied);
  out->push_back('"');
}

void JsonWriter::String(std::string_view s) {
  Separate();
  AppendJsonString(out_, s);
  comma_ = true;
}

void JsonWriter::Int(int64_t v) {
  Separate();
  AppendDecimal(out_, v);
  comma_ = true;
}

void JsonWriter::UInt(uint64_t v) {
  Separate();
  AppendDecimal(out_, v);
  comma_ = true;
}

void JsonWriter::Double(double v) {
  Separate();
  if (!std::isfinite(v)) {
    out_->append("null", 4);
  } else {
    // nlohmann's Grisu2: the shortest text that reads back as v, with ".0"
    // added to whole numbers.
    char buf[64];
    const char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
    out_->append(buf, static_cast<size_t>(end - buf));
  }
  comma_ = true;
}

}  // namespace newsevents
