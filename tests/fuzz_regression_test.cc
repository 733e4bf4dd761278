// Replays, in the normal build, every input the fuzzers once crashed on
// (fuzz/regressions/<target>/*) and every seed (fuzz/corpus/<folder>/*)
// through the entry points the fuzz targets use (fuzz/fuzz_entry.h), with
// their checks. One test per file, so a failure names the input; a broken
// check aborts the test binary, which ctest reports as that test failing.
// Under the asan preset the sanitizers watch the replay too.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fuzz/fuzz_entry.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

struct Replay {
  std::string target;  // fuzz target the input goes through
  fs::path path;
};

// gtest names a failing parameter with this instead of its bytes.
void PrintTo(const Replay& r, std::ostream* os) { *os << r.target << " <- " << r.path.string(); }

fs::path FuzzDir() { return fs::path(NEWSEVENTS_SOURCE_DIR) / "fuzz"; }

// Seeds of text go through the whole chain, which runs every stage.
std::string TargetOfSeedFolder(const std::string& folder) {
  return folder == "text" ? "chain" : folder;
}

std::vector<Replay> ListReplays() {
  std::vector<Replay> out;
  for (const char* kind : {"regressions", "corpus"}) {
    const fs::path root = FuzzDir() / kind;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    for (const auto& folder : fs::directory_iterator(root)) {
      if (!folder.is_directory()) continue;
      const std::string name = folder.path().filename().string();
      const std::string target = kind == std::string("corpus") ? TargetOfSeedFolder(name) : name;
      for (const auto& file : fs::directory_iterator(folder.path())) {
        if (file.is_regular_file()) out.push_back({target, file.path()});
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Replay& a, const Replay& b) { return a.path < b.path; });
  return out;
}

std::string ReadBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FuzzReplayTest : public ::testing::TestWithParam<Replay> {};

TEST_P(FuzzReplayTest, PassesItsTargetsChecks) {
  const Replay& r = GetParam();
  ASSERT_TRUE(fs::is_regular_file(r.path)) << r.path;
  // Printed first: a broken check aborts before gtest could name the input.
  std::fprintf(stderr, "replaying %s through '%s'\n", r.path.c_str(), r.target.c_str());
  fuzz::Run(r.target, ReadBytes(r.path));
}

std::string ReplayName(const ::testing::TestParamInfo<Replay>& info) {
  const fs::path& p = info.param.path;
  std::string name = p.parent_path().parent_path().filename().string() + "_" +
                     p.parent_path().filename().string() + "_" + p.filename().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fuzz, FuzzReplayTest, ::testing::ValuesIn(ListReplays()), ReplayName);

TEST(FuzzEntryTest, EverySeedAndRegressionFolderIsATarget) {
  // A folder named after no target would abort the replay: catch typos here.
  const std::vector<std::string> known = {"reader", "normalize", "rules", "chain"};
  for (const Replay& r : ListReplays()) {
    if (r.target.rfind("stage_", 0) == 0) {
      EXPECT_GT(fuzz::StagePrefix(r.target.substr(6)), 0u) << r.path;
    } else {
      EXPECT_NE(std::find(known.begin(), known.end(), r.target), known.end()) << r.path;
    }
  }
}

TEST(FuzzEntryTest, StagePrefixCountsUpToTheNamedStage) {
  const auto& stages = fuzz::StandardPipeline().stages();
  ASSERT_FALSE(stages.empty());
  EXPECT_EQ(fuzz::StagePrefix(stages.front()->name()), 1u);
  EXPECT_EQ(fuzz::StagePrefix("event_type"), stages.size());
}

TEST(FuzzEntryTest, OffsetMapCheckAcceptsAnEditedMap) {
  // "a\r\nb" -> "a\nb": the CRLF run shrinks by one byte.
  OffsetMap map;
  map.Add(1, 1, 1, 2);
  fuzz::CheckOffsetMap(map, 3, 4, "crlf");
  EXPECT_EQ(map.ToSource(2), 3u);
}

TEST(FuzzEntryTest, SpanChecksCatchASpanCuttingACodePoint) {
  // The checks must be able to fail: a span ending inside "é" dies.
  Document doc = fuzz::DocumentFrom("Montréal\n");
  ASSERT_EQ(doc.text, "Montréal\n");
  Span inside{0, 6};  // "Montr" + the first byte of "é"
  EXPECT_DEATH(fuzz::CheckSpan(doc, inside, "cut"), "fuzz check failed: cut");
  fuzz::CheckSpan(doc, Span{0, 4}, "whole");
}

}  // namespace
}  // namespace newsevents
