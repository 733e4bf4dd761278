#include "pipeline/data_version.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <xxhash.h>

namespace newsevents {

namespace fs = std::filesystem;

std::string DataVersion(const std::string& root) {
  std::vector<std::string> files;  // relative to root, '/'-separated
  for (const char* top : {"rules", "models"}) {
    const fs::path dir = fs::path(root) / top;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (it->is_regular_file()) files.push_back(fs::relative(it->path(), root).generic_string());
    }
    if (ec) throw std::runtime_error(dir.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());

  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  std::vector<char> buf(1 << 16);
  for (const std::string& rel : files) {
    std::ifstream in(fs::path(root) / rel, std::ios::binary);
    if (!in) {
      XXH3_freeState(state);
      throw std::runtime_error("cannot read " + (fs::path(root) / rel).string());
    }
    XXH3_64bits_update(state, rel.data(), rel.size() + 1);  // with its NUL
    // The size as 8 little-endian bytes: the same digest on every machine.
    const uint64_t size = fs::file_size(fs::path(root) / rel);
    unsigned char le[8];
    for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(size >> (8 * i));
    XXH3_64bits_update(state, le, sizeof le);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
      XXH3_64bits_update(state, buf.data(), static_cast<size_t>(in.gcount()));
    }
  }
  const uint64_t h = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("xxh3-") + hex;
}

}  // namespace newsevents
