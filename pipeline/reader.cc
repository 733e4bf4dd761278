#include "pipeline/reader.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "pipeline/ascii_run.h"

namespace newsevents {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";

// Appends code point `c` as UTF-8.
void AppendUtf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(buf, len, 4, c, error);
  if (error) {
    out.append(kReplacement);
  } else {
    out.append(buf, len);
  }
}

enum class Encoding { kUtf8, kUtf16LE, kUtf16BE };

// UTF-16 without a BOM still shows itself: ASCII text has a NUL in every
// other byte. Looks at the first 4 KiB.
Encoding SniffUtf16(const std::string& bytes) {
  size_t n = std::min<size_t>(bytes.size(), 4096) & ~size_t{1};
  if (n < 8) return Encoding::kUtf8;
  size_t even_nul = 0, odd_nul = 0;
  for (size_t i = 0; i < n; i += 2) {
    even_nul += bytes[i] == 0;
    odd_nul += bytes[i + 1] == 0;
  }
  const size_t pairs = n / 2;
  if (odd_nul * 10 > pairs * 7 && even_nul * 10 < pairs) return Encoding::kUtf16LE;
  if (even_nul * 10 > pairs * 7 && odd_nul * 10 < pairs) return Encoding::kUtf16BE;
  return Encoding::kUtf8;
}

// A file with NUL bytes or many control characters is not text we can read.
bool LooksBinary(const std::string& bytes) {
  const size_t n = std::min<size_t>(bytes.size(), 8192);
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t control = 0;
  // Text has few controls: runs of the bytes a text keeps are skipped 16 at
  // a time (PlainAsciiPrefix), and the bytes that stop them looked at alone.
  for (size_t i = 0; i < n; ++i) {
    i += PlainAsciiPrefix(s + i, n - i);
    if (i == n) break;
    const uint8_t c = s[i];
    if (c == 0) return true;
    if (c < 0x20 && c != '\r' && c != '\t' && c != '\f') ++control;
  }
  return control * 20 > n;  // more than 5%
}

ReadResult DecodeUtf16(const std::string& bytes, size_t start, bool little_endian) {
  ReadResult r;
  r.text.reserve(bytes.size());
  const size_t n = bytes.size();
  size_t bad = 0, first_bad = 0;
  auto unit = [&](size_t i) -> uint16_t {
    auto b0 = static_cast<uint8_t>(bytes[i]), b1 = static_cast<uint8_t>(bytes[i + 1]);
    return little_endian ? static_cast<uint16_t>(b0 | (b1 << 8))
                         : static_cast<uint16_t>((b0 << 8) | b1);
  };
  size_t i = start;
  while (i + 1 < n) {
    const size_t from = i;
    UChar32 c = unit(i);
    i += 2;
    if (U16_IS_LEAD(c) && i + 1 < n && U16_IS_TRAIL(unit(i))) {
      c = U16_GET_SUPPLEMENTARY(c, unit(i));
      i += 2;
    } else if (U16_IS_SURROGATE(c)) {
      if (bad++ == 0) first_bad = from;
      c = 0xFFFD;
    }
    const size_t dst = r.text.size();
    AppendUtf8(r.text, c);
    r.to_file.Add(dst, r.text.size() - dst, from, i - from);
  }
  if (i < n) {  // a dangling odd byte
    if (bad++ == 0) first_bad = i;
    const size_t dst = r.text.size();
    r.text.append(kReplacement);
    r.to_file.Add(dst, 3, i, 1);
  }
  r.warnings.push_back({"utf16", std::string("decoded from UTF-16") +
                                     (little_endian ? "LE" : "BE"), std::nullopt});
  if (bad) {
    r.warnings.push_back({"invalid-utf16",
                          std::to_string(bad) + " unpaired surrogate(s) replaced by U+FFFD",
                          first_bad});
  }
  return r;
}

// Validates UTF-8 from `start`; invalid sequences become U+FFFD. Valid input
// is moved through without a copy.
ReadResult DecodeUtf8(std::string bytes, size_t start) {
  ReadResult r;
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t n = static_cast<int32_t>(bytes.size());
  // Find the first invalid sequence; most files have none.
  int32_t i = static_cast<int32_t>(start);
  int32_t first_bad = -1;
  while (i < n) {
    i += static_cast<int32_t>(AsciiPrefix(s + i, static_cast<size_t>(n - i)));
    if (i == n) break;
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      first_bad = at;
      break;
    }
  }
  if (first_bad < 0) {
    if (start > 0) {
      r.text = bytes.substr(start);
      r.to_file.Add(0, 0, start, 0);  // shift everything by the BOM
    } else {
      r.text = std::move(bytes);
    }
    return r;
  }
  r.text.reserve(bytes.size());
  if (start > 0) r.to_file.Add(0, 0, start, 0);
  r.text.append(bytes, start, first_bad - start);
  size_t bad = 0;
  i = first_bad;
  while (i < n) {
    const int32_t at = i;
    if (s[i] < 0x80) {
      r.text.push_back(static_cast<char>(s[i++]));
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      ++bad;
      const size_t dst = r.text.size();
      r.text.append(kReplacement);
      r.to_file.Add(dst, 3, at, i - at);
    } else {
      r.text.append(reinterpret_cast<const char*>(s + at), i - at);
    }
  }
  r.warnings.push_back({"invalid-utf8",
                        std::to_string(bad) +
                            " invalid UTF-8 sequence(s) replaced by U+FFFD",
                        static_cast<size_t>(first_bad)});
  return r;
}

}  // namespace

ReadResult DecodeBytes(std::string bytes) {
  const uint64_t size = bytes.size();
  ReadResult r;
  if (bytes.empty()) {
    r.status = ReadStatus::kEmpty;
    r.message = "empty file";
  } else if (bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == 0xFF &&
             static_cast<uint8_t>(bytes[1]) == 0xFE) {
    r = DecodeUtf16(bytes, 2, true);
  } else if (bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == 0xFE &&
             static_cast<uint8_t>(bytes[1]) == 0xFF) {
    r = DecodeUtf16(bytes, 2, false);
  } else if (Encoding e = SniffUtf16(bytes); e != Encoding::kUtf8) {
    r = DecodeUtf16(bytes, 0, e == Encoding::kUtf16LE);
  } else if (LooksBinary(bytes)) {
    r.status = ReadStatus::kSkipped;
    r.message = "binary file (NUL or control bytes), not text";
  } else {
    const bool bom = bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0;
    r = DecodeUtf8(std::move(bytes), bom ? 3 : 0);
    if (bom) r.warnings.push_back({"bom", "UTF-8 byte order mark dropped", 0});
  }
  r.file_size = size;
  if (r.status == ReadStatus::kOk && r.text.find_first_not_of(" \t\r\n\f") == std::string::npos) {
    r.status = ReadStatus::kEmpty;
    r.message = "no text (only white space)";
  }
  return r;
}

ReadResult ReadSourceFile(const std::string& path, const ReadOptions& options) {
  ReadResult r;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.status = ReadStatus::kError;
    r.message = std::string("cannot open: ") + std::strerror(errno);
    return r;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    r.status = ReadStatus::kError;
    r.message = "not a regular file";
    ::close(fd);
    return r;
  }
  if (static_cast<uint64_t>(st.st_size) > options.max_file_bytes) {
    r.status = ReadStatus::kSkipped;
    r.file_size = st.st_size;
    r.message = "file of " + std::to_string(st.st_size) + " bytes is over the limit of " +
                std::to_string(options.max_file_bytes) + " (--max-file-mb)";
    ::close(fd);
    return r;
  }
  std::string bytes;
  bytes.resize(st.st_size);
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t k = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      r.status = ReadStatus::kError;
      r.message = std::string("read error: ") + std::strerror(errno);
      ::close(fd);
      return r;
    }
    if (k == 0) break;  // the file shrank while we read it
    got += k;
  }
  ::close(fd);
  bytes.resize(got);
  return DecodeBytes(std::move(bytes));
}

}  // namespace newsevents
