// One libFuzzer binary per target: the target's name comes from the build
// (NEWSEVENTS_FUZZ_TARGET, see fuzz/CMakeLists.txt), what it does from
// fuzz/fuzz_entry.h, which the regression test shares.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_entry.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  newsevents::fuzz::Prepare(NEWSEVENTS_FUZZ_TARGET);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  newsevents::fuzz::Run(NEWSEVENTS_FUZZ_TARGET,
                        std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
