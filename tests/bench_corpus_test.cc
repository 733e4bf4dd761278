// The benchmark corpus generator (bench/generate_corpus.py): deterministic,
// a smaller size is a prefix of a larger one, and `newsevents extract` reads
// what it writes: items in all three languages, repeats linked. Nothing here
// is timed.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

class BenchCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("newsevents-bench-corpus-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the generator into dir_/name; returns its exit status.
  int Generate(const std::string& name, double size_mb, int seed) {
    std::string command = "python3 bench/generate_corpus.py --quiet --size-mb " +
                          std::to_string(size_mb) + " --seed " + std::to_string(seed) +
                          " --out '" + (dir_ / name).string() + "'";
    return std::system(command.c_str());
  }

  // File name -> content of the .txt files of a generated folder.
  std::map<std::string, std::string> Files(const std::string& name) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::directory_iterator(dir_ / name)) {
      if (entry.path().extension() != ".txt") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream content;
      content << in.rdbuf();
      files[entry.path().filename().string()] = content.str();
    }
    return files;
  }

  fs::path dir_;
};

TEST_F(BenchCorpusTest, SameSeedSameBytesAndSmallerIsPrefix) {
  ASSERT_EQ(Generate("a", 1.0, 7), 0);
  ASSERT_EQ(Generate("b", 1.0, 7), 0);
  ASSERT_EQ(Generate("small", 0.4, 7), 0);
  ASSERT_EQ(Generate("other", 1.0, 8), 0);
  const auto a = Files("a"), b = Files("b"), small = Files("small"), other = Files("other");
  EXPECT_EQ(a, b);

  size_t bytes = 0;
  for (const auto& [name, content] : a) {
    bytes += content.size();
    EXPECT_GE(content.size(), 8000u) << name;  // files of ~10-60 KB
    EXPECT_LE(content.size(), 70000u) << name;
  }
  EXPECT_GE(bytes, 1000000u);
  EXPECT_LT(bytes, 1100000u);

  ASSERT_FALSE(small.empty());
  EXPECT_LT(small.size(), a.size());
  for (const auto& [name, content] : small) {
    ASSERT_TRUE(a.count(name)) << name;
    EXPECT_EQ(a.at(name), content) << name;
  }
  EXPECT_NE(a, other);
}

TEST_F(BenchCorpusTest, ManifestAndIfMissing) {
  ASSERT_EQ(Generate("a", 0.3, 3), 0);
  std::ifstream in(dir_ / "a" / "manifest.json");
  nlohmann::json manifest = nlohmann::json::parse(in);
  EXPECT_EQ(manifest["seed"], 3);
  EXPECT_EQ(manifest["files"].get<size_t>(), Files("a").size());
  EXPECT_GT(manifest["items"].get<int>(), 0);

  // --if-missing leaves an up-to-date corpus alone (a marker file survives,
  // where a new generation would clear the folder's corpus files).
  const fs::path marker = dir_ / "a" / "000000_0000000000000000.txt";
  std::ofstream(marker) << "marker";
  const std::string command = "python3 bench/generate_corpus.py --quiet --if-missing --size-mb 0.3 --seed 3 --out '" +
                              (dir_ / "a").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_TRUE(fs::exists(marker));
  ASSERT_EQ(Generate("a", 0.3, 3), 0);  // without --if-missing: regenerated
  EXPECT_FALSE(fs::exists(marker));
}

TEST_F(BenchCorpusTest, ExtractReadsItInAllLanguagesAndLinksRepeats) {
  ASSERT_EQ(Generate("c", 1.0, 11), 0);
  const fs::path out = dir_ / "records.jsonl";
  const std::string command = std::string(NEWSEVENTS_BINARY) + " extract '" + (dir_ / "c").string() +
                              "' -o '" + out.string() + "' --threads 2 -q";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(out);
  std::string line;
  std::map<std::string, int> langs;
  size_t records = 0, linked = 0;
  while (std::getline(in, line)) {
    nlohmann::json r = nlohmann::json::parse(line);
    ++records;
    ++langs[r["lang"].get<std::string>()];
    if (r["duplicate_of"].is_string() && !r["duplicate_of"].get<std::string>().empty()) ++linked;
  }
  EXPECT_GT(records, 500u);  // ~1 item per 500 bytes
  EXPECT_GT(langs["en"], 0);
  EXPECT_GT(langs["fr"], 0);
  EXPECT_GT(langs["es"], 0);
  // 5% of stories are exact repeats of an earlier one, 5% reworded.
  EXPECT_GT(linked, records / 50);
}

}  // namespace
