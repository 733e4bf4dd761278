// Pipeline::Run: the order the sink sees, and a sink that throws.
#include "pipeline/pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace newsevents {
namespace {

namespace fs = std::filesystem;

class PipelineRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("newsevents-pipeline-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (int i = 0; i < kFiles; ++i) {
      const fs::path p = dir_ / ("f" + std::to_string(100 + i) + ".txt");
      std::ofstream(p) << "File number " << i << ".\n\nIt holds one short paragraph.\n";
      files_.push_back(p.string());
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  static constexpr int kFiles = 40;
  fs::path dir_;
  std::vector<std::string> files_;
  const Pipeline pipeline_{{}};  // no stage: reading and normalizing only
};

TEST_F(PipelineRunTest, SinkSeesEveryFileInOrder) {
  RunOptions options;
  options.threads = 2;
  std::vector<size_t> seen;
  pipeline_.Run(files_, options, [&](Document& doc) { seen.push_back(doc.ordinal); });
  ASSERT_EQ(seen.size(), files_.size());
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i);
}

struct StopHere : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST_F(PipelineRunTest, ASinkThatThrowsStopsTheRunAndTheExceptionComesOut) {
  // An interrupted run or a full disk: the sink throws. No file after it
  // reaches the sink, few more are read, and the exception reaches the
  // caller. (Under the asan preset, LeakSanitizer also checks that the
  // documents in flight are freed: oneTBB alone leaks the one whose sink
  // threw.)
  RunOptions options;
  options.threads = 2;
  std::atomic<int> read{0};
  options.prepare = [&](Document&) { ++read; };
  std::vector<size_t> seen;
  EXPECT_THROW(pipeline_.Run(files_, options,
                             [&](Document& doc) {
                               seen.push_back(doc.ordinal);
                               if (doc.ordinal == 3) throw StopHere("stop");
                             }),
               StopHere);
  EXPECT_EQ(seen, (std::vector<size_t>{0, 1, 2, 3}));
  // At most a few documents per thread are in flight when the sink throws.
  EXPECT_LT(read.load(), kFiles / 2);
}

// A stage with a bug that one file's text finds.
class ThrowsOnFile : public AnyStage {
 public:
  explicit ThrowsOnFile(std::string name) : name_(std::move(name)) {}
  const char* name() const override { return "throws"; }
  void Apply(Document& doc) const override {
    if (doc.name == name_) throw std::out_of_range("basic_string_view::substr");
    Item item;
    item.span = {0, doc.text.size()};
    doc.items.push_back(item);
  }

 private:
  std::string name_;
};

TEST_F(PipelineRunTest, AStageThatThrowsOnOneFileSkipsThatFileOnly) {
  std::vector<std::unique_ptr<AnyStage>> stages;
  stages.push_back(std::make_unique<ThrowsOnFile>("f105.txt"));
  const Pipeline pipeline(std::move(stages));
  RunOptions options;
  options.threads = 2;
  std::vector<size_t> with_items;
  std::vector<std::string> failures;
  pipeline.Run(files_, options, [&](Document& doc) {
    if (!doc.items.empty()) with_items.push_back(doc.ordinal);
    for (const Warning& w : doc.warnings)
      if (w.code == "failed") failures.push_back(doc.name + ": " + w.message);
    if (doc.name == "f105.txt") {
      EXPECT_TRUE(doc.skipped);
      EXPECT_TRUE(doc.items.empty());
    }
  });
  EXPECT_EQ(with_items.size(), files_.size() - 1);
  EXPECT_EQ(std::count(with_items.begin(), with_items.end(), 5u), 0);
  EXPECT_EQ(failures, (std::vector<std::string>{
                          "f105.txt: processing failed, file skipped: basic_string_view::substr"}));
}

}  // namespace
}  // namespace newsevents
