// The split run (extract --shard, then dedup) against the single one: the
// same bytes on the corpus, one shard or one per file, with --state and
// --new-only, with --explain and with bad input; and shards that must be
// refused (cut, damaged, other settings, other options).
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pipeline/dedup.h"
#include "pipeline/dedup_key.h"
#include "pipeline/pipeline.h"
#include "pipeline/record.h"
#include "pipeline/rule_file.h"
#include "pipeline/shard.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;
using OrderedJson = nlohmann::ordered_json;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Spit(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

std::string Dump(const OrderedJson& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The corpus's text files, in name order (what `extract corpus` reads).
std::vector<std::string> CorpusFiles() {
  std::vector<std::string> errors;
  std::vector<std::string> files = ListDropFiles({NEWSEVENTS_SOURCE_DIR "/corpus"}, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_GE(files.size(), 2u);
  return files;
}

class ShardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("newsevents-shard-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `newsevents COMMAND ARGS` quietly; returns the exit code.
  int Run(const std::string& command_and_args) {
    const std::string cmd = std::string(NEWSEVENTS_BINARY) + " " + command_and_args + " -q 2>>" +
                            (dir_ / "err.txt").string();
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Err() { return Slurp(dir_ / "err.txt"); }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }

  static std::string Join(const std::vector<std::string>& files, size_t from, size_t to) {
    std::string s;
    for (size_t i = from; i < to; ++i) s += " " + files[i];
    return s;
  }

  fs::path dir_;
};

// ------------------------------------------------------- the writer's bytes

TEST(RecordRoundTripTest, ParseThenDumpGivesBackTheWritersBytes) {
  // What justifies patching records in a shard: a record line is canonical
  // nlohmann output, so any tool may parse it, patch it and dump it again.
  StageOptions options;
  options.root = DataRoot();
  Pipeline pipeline(LoadStandardStages(options));
  size_t records = 0;
  for (const std::string& file : CorpusFiles()) {
    Document doc = pipeline.ProcessFile(file, 0, ReadOptions());
    for (const Item& item : doc.items) {
      std::string line = RecordLine(doc, item);
      line.pop_back();  // "\n"
      EXPECT_EQ(Dump(OrderedJson::parse(line)), line);
      ++records;
    }
  }
  EXPECT_GT(records, 50u);
}

TEST(RecordRoundTripTest, DoublesAsRecordsRoundThemRoundTrip) {
  // Confidences are rounded to thousandths (record.cc): every one of them,
  // and a few awkward doubles, dump to text that parses back to the same.
  std::vector<double> values = {0.0, 1.0, 0.1 + 0.2, 1e-7, 123456.789, 2.0 / 3.0, 1e300};
  for (int k = 0; k <= 1000; ++k) values.push_back(std::round(k / 1000.0 * 1000) / 1000);
  for (double v : values) {
    OrderedJson j{{"id", "ev-0000000000000000"}, {"lang_confidence", v}};
    const std::string text = Dump(j);
    const OrderedJson back = OrderedJson::parse(text);
    EXPECT_EQ(Dump(back), text) << v;
    EXPECT_EQ(back["lang_confidence"].get<double>(), v) << text;
  }
}

TEST(StoryKeyTest, JsonRoundTripKeepsEveryField) {
  StageOptions options;
  options.root = DataRoot();
  Pipeline pipeline(LoadStandardStages(options));
  Deduplicator dedup(options, "");
  const StoryKeyMaker& maker = dedup.key_maker();
  const std::vector<std::string> files = CorpusFiles();
  Document doc = pipeline.ProcessFile(files[0], 0, ReadOptions());
  ASSERT_FALSE(doc.items.empty());
  for (const Item& item : doc.items) {
    const StoryKey key = maker.KeyOf(doc, item);
    EXPECT_EQ(key.id, item.id);
    EXPECT_EQ(key.sketch.signature.size(), 128u);
    const OrderedJson j = OrderedJson::parse(StoryKeyToJson(key).dump());
    EXPECT_EQ(StoryKeyFromJson(j, 128), key);
  }
  OrderedJson broken = StoryKeyToJson(maker.KeyOf(doc, doc.items[0]));
  broken["signature"] = "00ff";
  EXPECT_THROW(StoryKeyFromJson(broken, 128), std::runtime_error);
  broken = StoryKeyToJson(maker.KeyOf(doc, doc.items[0]));
  broken.erase("facts");
  EXPECT_THROW(StoryKeyFromJson(broken, 128), std::runtime_error);
}

TEST(StoryKeyTest, ProcessingKeysIsProcessingDocuments) {
  StageOptions options;
  options.root = DataRoot();
  Pipeline pipeline(LoadStandardStages(options));
  Deduplicator by_document(options, "");
  Deduplicator by_key(options, "");
  for (const std::string& file : CorpusFiles()) {
    Document doc = pipeline.ProcessFile(file, 0, ReadOptions());
    std::vector<StoryKey> keys;
    for (const Item& item : doc.items) keys.push_back(by_key.KeyOf(doc, item));
    by_document.Process(doc);
    for (size_t i = 0; i < keys.size(); ++i) {
      const Deduplicator::Verdict v = by_key.Process(std::move(keys[i]));
      EXPECT_EQ(v.id, doc.items[i].id);
      EXPECT_EQ(v.duplicate_of, doc.items[i].duplicate_of);
    }
  }
  EXPECT_GT(by_key.stats().exact + by_key.stats().near + by_key.stats().dated, 0u);
}

// ------------------------------------------------------- split run == run

TEST_F(ShardTest, OneShardGivesExtractsBytes) {
  ASSERT_EQ(Run("extract corpus -o " + Path("whole.jsonl")), 0) << Err();
  ASSERT_EQ(Run("extract corpus --shard -o " + Path("s.jsonl")), 0) << Err();
  ASSERT_EQ(Run("dedup " + Path("s.jsonl") + " -o " + Path("reduced.jsonl")), 0) << Err();
  const std::string whole = Slurp(Path("whole.jsonl"));
  ASSERT_GT(whole.size(), 1000u);
  EXPECT_EQ(Slurp(Path("reduced.jsonl")), whole);
  EXPECT_NE(whole.find("\"duplicate_of\":\"ev-"), std::string::npos)
      << "the corpus links repeats: the test must cover links";
}

TEST_F(ShardTest, OneShardPerFileLinksAcrossShards) {
  const std::vector<std::string> files = CorpusFiles();
  ASSERT_EQ(Run("extract corpus -o " + Path("whole.jsonl")), 0) << Err();
  fs::create_directories(dir_ / "shards");
  for (size_t i = 0; i < files.size(); ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "shards/%04zu.jsonl", i);
    ASSERT_EQ(Run("extract " + files[i] + " --shard -o " + Path(name)), 0) << Err();
  }
  // A folder of shards is read in file-name order.
  ASSERT_EQ(Run("dedup " + Path("shards") + " -o " + Path("reduced.jsonl")), 0) << Err();
  EXPECT_EQ(Slurp(Path("reduced.jsonl")), Slurp(Path("whole.jsonl")));
  // So are shards named in another order.
  std::string reversed;
  for (size_t i = files.size(); i-- > 0;) {
    char name[64];
    std::snprintf(name, sizeof name, "shards/%04zu.jsonl", i);
    reversed += " " + Path(name);
  }
  ASSERT_EQ(Run("dedup" + reversed + " -o -  >" + Path("stdout.jsonl")), 0) << Err();
  EXPECT_EQ(Slurp(Path("stdout.jsonl")), Slurp(Path("whole.jsonl")));
}

TEST_F(ShardTest, StateAndNewOnlyGiveExtractsBytesRunAfterRun) {
  const std::vector<std::string> files = CorpusFiles();
  const size_t half = files.size() / 2;
  const std::string first = Join(files, 0, half), all = Join(files, 0, files.size());
  // Two drops, the second holding the first again: a normal run...
  ASSERT_EQ(Run("extract" + first + " --state " + Path("a.db") + " -o " + Path("a1.jsonl")), 0);
  ASSERT_EQ(Run("extract" + all + " --state " + Path("a.db") + " --new-only -o " +
                Path("a2.jsonl")), 0) << Err();
  ASSERT_EQ(Run("extract" + all + " --state " + Path("a.db") + " -o " + Path("a3.jsonl")), 0);
  // ... and a split one, with its own state file.
  ASSERT_EQ(Run("extract" + first + " --shard -o " + Path("s1.jsonl")), 0) << Err();
  ASSERT_EQ(Run("dedup " + Path("s1.jsonl") + " --state " + Path("b.db") + " -o " +
                Path("b1.jsonl")), 0) << Err();
  ASSERT_EQ(Run("extract" + all + " --shard -o " + Path("s2.jsonl")), 0) << Err();
  ASSERT_EQ(Run("dedup " + Path("s2.jsonl") + " --state " + Path("b.db") + " --new-only -o " +
                Path("b2.jsonl")), 0) << Err();
  ASSERT_EQ(Run("dedup " + Path("s2.jsonl") + " --state " + Path("b.db") + " -o " +
                Path("b3.jsonl")), 0) << Err();

  EXPECT_GT(Slurp(Path("a1.jsonl")).size(), 0u);
  EXPECT_GT(Slurp(Path("a2.jsonl")).size(), 0u);
  EXPECT_LT(Slurp(Path("a2.jsonl")).size(), Slurp(Path("a3.jsonl")).size());
  EXPECT_EQ(Slurp(Path("b1.jsonl")), Slurp(Path("a1.jsonl")));
  EXPECT_EQ(Slurp(Path("b2.jsonl")), Slurp(Path("a2.jsonl")));
  EXPECT_EQ(Slurp(Path("b3.jsonl")), Slurp(Path("a3.jsonl")));
}

TEST_F(ShardTest, ExplainAndBadInputGiveExtractsBytesAndExitCode) {
  const std::vector<std::string> files = CorpusFiles();
  Spit(Path("bad.txt"), std::string("Item one\n\nIt met in Lyon on \xff\xfe 3 May 2021.\n"));
  const std::string inputs = Join(files, 0, 2) + " " + Path("bad.txt") + " " +
                             Path("missing.txt") + Join(files, 2, files.size());
  const int whole = Run("extract" + inputs + " --explain -o " + Path("whole.jsonl"));
  EXPECT_EQ(whole, 1);
  EXPECT_EQ(Run("extract" + inputs + " --explain --shard -o " + Path("s.jsonl")), 1);
  EXPECT_EQ(Run("dedup " + Path("s.jsonl") + " -o " + Path("reduced.jsonl")), 1)
      << "the shard's input errors decide dedup's exit code";
  EXPECT_NE(Slurp(Path("whole.jsonl")).find("\"explain\":"), std::string::npos);
  EXPECT_EQ(Slurp(Path("reduced.jsonl")), Slurp(Path("whole.jsonl")));
}

// ------------------------------------------------------- shards refused

TEST_F(ShardTest, CutShardIsRefusedAndNothingIsWritten) {
  ASSERT_EQ(Run("extract corpus --shard -o " + Path("s.jsonl")), 0) << Err();
  std::string shard = Slurp(Path("s.jsonl"));
  const size_t end_line = shard.rfind("{\"end\":");
  ASSERT_NE(end_line, std::string::npos);
  Spit(Path("no-end.jsonl"), shard.substr(0, end_line));
  EXPECT_EQ(Run("dedup " + Path("no-end.jsonl") + " --state " + Path("st.db") + " -o " +
                Path("out.jsonl")), 2);
  EXPECT_NE(Err().find("without its end line"), std::string::npos) << Err();
  EXPECT_FALSE(fs::exists(Path("out.jsonl")));
  EXPECT_FALSE(fs::exists(Path("st.db")));

  Spit(Path("cut-line.jsonl"), shard.substr(0, shard.size() / 2) + "\n" + shard.substr(end_line));
  EXPECT_EQ(Run("dedup " + Path("cut-line.jsonl") + " -o " + Path("out.jsonl")), 2);
  EXPECT_FALSE(fs::exists(Path("out.jsonl")));

  Spit(Path("records.jsonl"), "{\"id\":\"ev-0000000000000000\"}\n");
  EXPECT_EQ(Run("dedup " + Path("records.jsonl") + " -o " + Path("out.jsonl")), 2);
  EXPECT_NE(Err().find("not a shard"), std::string::npos) << Err();
}

TEST_F(ShardTest, ShardOfOtherSettingsOrOptionsIsRefused) {
  ASSERT_EQ(Run("extract corpus --shard -o " + Path("s.jsonl")), 0) << Err();
  std::string shard = Slurp(Path("s.jsonl"));
  const std::string bins = "bins=128";
  ASSERT_NE(shard.find(bins), std::string::npos);
  std::string other = shard;
  other.replace(other.find(bins), bins.size(), "bins=64");
  Spit(Path("other.jsonl"), other);
  EXPECT_EQ(Run("dedup " + Path("other.jsonl") + " -o " + Path("out.jsonl")), 2);
  EXPECT_NE(Err().find("other settings"), std::string::npos) << Err();

  const std::vector<std::string> files = CorpusFiles();
  ASSERT_EQ(Run("extract " + files[0] + " --shard --lang fr -o " + Path("fr.jsonl")), 0);
  EXPECT_EQ(Run("dedup " + Path("s.jsonl") + " " + Path("fr.jsonl") + " -o " +
                Path("out.jsonl")), 2);
  EXPECT_NE(Err().find("other extraction options"), std::string::npos) << Err();
  EXPECT_FALSE(fs::exists(Path("out.jsonl")));
}

TEST_F(ShardTest, UsageErrors) {
  EXPECT_EQ(Run("extract corpus --shard --state " + Path("x.db") + " -o " + Path("s.jsonl")), 2);
  EXPECT_EQ(Run("dedup"), 2);
  EXPECT_EQ(Run("dedup " + Path("nothing.jsonl")), 2);
  EXPECT_EQ(Run("dedup --bogus " + Path("nothing.jsonl")), 2);
}

}  // namespace
}  // namespace newsevents
