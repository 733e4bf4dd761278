// Pipeline::Run: the order the sink sees, a sink that throws (the run stops,
// nothing leaks), a stage that throws on one file (that file is skipped).
#include "pipeline/pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/name_tokens.h"

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

// A stage that hangs a tracked object on each document, so that a test can
// tell whether the documents were freed.
class Tracker : public AnyStage {
 public:
  const char* name() const override { return "tracker"; }
  void Apply(Document& doc) const override {
    Item item;
    item.span = {0, doc.text.size()};
    auto tokens = std::make_shared<ItemNameTokens>();
    {
      std::lock_guard<std::mutex> lock(mu_);
      made_.push_back(tokens);
    }
    item.name_tokens = std::move(tokens);
    doc.items.push_back(std::move(item));
  }
  size_t made() const { return made_.size(); }
  size_t alive() const {
    return std::count_if(made_.begin(), made_.end(), [](const auto& w) { return !w.expired(); });
  }

 private:
  mutable std::mutex mu_;
  mutable std::vector<std::weak_ptr<const ItemNameTokens>> made_;
};

TEST_F(PipelineRunTest, ASinkThatThrowsStopsTheRunAndTheExceptionComesOut) {
  // An interrupted run or a full disk: the sink throws. No file after it
  // reaches the sink, few more are read, every document made is freed, and
  // the exception reaches the caller.
  std::vector<std::unique_ptr<AnyStage>> stages;
  stages.push_back(std::make_unique<Tracker>());
  const auto& tracker = static_cast<const Tracker&>(*stages.back());
  const Pipeline pipeline(std::move(stages));
  RunOptions options;
  options.threads = 2;
  std::vector<size_t> seen;
  EXPECT_THROW(pipeline.Run(files_, options,
                            [&](Document& doc) {
                              seen.push_back(doc.ordinal);
                              if (doc.ordinal != 3) return;
                              // Slow, as a write to a full disk may be: the
                              // documents after it finish and wait for the sink.
                              std::this_thread::sleep_for(std::chrono::milliseconds(300));
                              throw StopHere("stop");
                            }),
               StopHere);
  EXPECT_EQ(seen, (std::vector<size_t>{0, 1, 2, 3}));
  // At most a few documents per thread are in flight when the sink throws.
  EXPECT_GE(tracker.made(), 4u);
  EXPECT_LT(tracker.made(), static_cast<size_t>(kFiles / 2));
  EXPECT_EQ(tracker.alive(), 0u);
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
