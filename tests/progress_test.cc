// The progress line of `extract`: what it says, how often it is drawn, that it
// is erased before anything else is printed, and that it shows up only on a
// terminal (run under a pseudo-terminal with script(1)) and never in a file.
#include "pipeline/progress.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace newsevents {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

std::string ReadAll(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(FormatProgressTest, SaysWhatIsDoneAndWhatIsLeft) {
  ProgressCounts done{3, 50'000'000, 1'234'567, 12, 1};
  ProgressTotals total{10, 200'000'000};
  // 50 MB in 5 s: 10 MB/s, 150 MB left: 15 s.
  const std::string line = FormatProgress(done, total, 5.0, 200);
  EXPECT_NE(line.find("[#####...............]  25%"), std::string::npos) << line;
  EXPECT_NE(line.find(" 25%"), std::string::npos) << line;
  EXPECT_NE(line.find("3/10 files"), std::string::npos) << line;
  EXPECT_NE(line.find("50.0/200.0 MB"), std::string::npos) << line;
  EXPECT_NE(line.find("10.0 MB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("1,234,567 items"), std::string::npos) << line;
  EXPECT_NE(line.find("12 duplicates"), std::string::npos) << line;
  EXPECT_NE(line.find("1 error "), std::string::npos) << line;
  EXPECT_NE(line.find("0:15 left"), std::string::npos) << line;
}

TEST(FormatProgressTest, NoSpeedBeforeTheFirstFile) {
  const std::string line = FormatProgress({}, {4, 1000}, 0.3, 200);
  EXPECT_NE(line.find("0/4 files"), std::string::npos) << line;
  EXPECT_NE(line.find("-- MB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("--:-- left"), std::string::npos) << line;
}

TEST(FormatProgressTest, HoursAndGroupedCounts) {
  // 1 MB/s with 7,200 MB to go: two hours.
  const std::string line =
      FormatProgress({1, 1'000'000, 100, 1000, 0}, {2, 7'201'000'000}, 1.0, 200);
  EXPECT_NE(line.find("2:00:00 left"), std::string::npos) << line;
  EXPECT_NE(line.find(" 100 items"), std::string::npos) << line;  // no stray comma
  EXPECT_NE(line.find("1,000 duplicates"), std::string::npos) << line;
}

TEST(FormatProgressTest, FitsAnyWidthKeepingTheEssentials) {
  ProgressCounts done{3, 50'000'000, 999, 12, 0};
  ProgressTotals total{10, 200'000'000};
  for (size_t width = 1; width <= 160; ++width) {
    const std::string line = FormatProgress(done, total, 5.0, width);
    EXPECT_LE(line.size(), width);
    if (width >= 40) {
      EXPECT_NE(line.find("left"), std::string::npos) << width << ": " << line;
      EXPECT_NE(line.find("files"), std::string::npos) << width << ": " << line;
    }
  }
  EXPECT_EQ(FormatProgress(done, total, 5.0, 79).find('['), std::string::npos)
      << "the bar goes first on a narrow terminal";
}

TEST(FormatProgressTest, EmptyDropIsNotADivisionByZero) {
  const std::string line = FormatProgress({}, {}, 1.0, 200);
  EXPECT_NE(line.find("0/0 files"), std::string::npos) << line;
  EXPECT_NE(line.find("  0%"), std::string::npos) << line;
}

TEST(ProgressLineTest, DisabledWritesNothing) {
  std::FILE* f = std::tmpfile();
  {
    ProgressLine progress(f, false, {1, 10}, milliseconds(1));
    progress.Update({1, 10, 1, 0, 0});
    std::this_thread::sleep_for(milliseconds(20));
    auto paused = progress.Pause();
  }
  EXPECT_EQ(ReadAll(f), "");
  std::fclose(f);
}

TEST(ProgressLineTest, DrawsAtOnceRefreshesAndErasesAtTheEnd) {
  std::FILE* f = std::tmpfile();
  {
    ProgressLine progress(f, true, {2, 2'000'000}, milliseconds(10));
    progress.Update({1, 1'000'000, 7, 1, 0});
    std::this_thread::sleep_for(milliseconds(120));
  }
  const std::string out = ReadAll(f);
  std::fclose(f);
  EXPECT_NE(out.find("0/2 files"), std::string::npos) << "drawn before any file is done";
  EXPECT_NE(out.find("1/2 files"), std::string::npos) << "the update reaches the screen";
  EXPECT_NE(out.find("7 items"), std::string::npos);
  EXPECT_GE(Count(out, "files"), 3u) << "redrawn by the timer";
  const std::string erase = "\r\x1b[K";
  ASSERT_GE(out.size(), erase.size());
  EXPECT_EQ(out.substr(out.size() - erase.size()), erase) << "erased when done";
}

TEST(ProgressLineTest, PauseErasesAndHoldsTheLineBack) {
  std::FILE* f = std::tmpfile();
  {
    ProgressLine progress(f, true, {1, 100}, milliseconds(5));
    {
      auto paused = progress.Pause();
      std::fputs("[message]\n", f);
      std::this_thread::sleep_for(milliseconds(40));  // ticks come and go
      std::fputs("[more]\n", f);
    }
    // Long enough for the 5 ms timer to run even on a loaded machine (30 ms
    // was not, at a load of 14 on 2 cores).
    std::this_thread::sleep_for(milliseconds(500));
  }
  const std::string out = ReadAll(f);
  std::fclose(f);
  const size_t msg = out.find("[message]\n[more]\n");
  ASSERT_NE(msg, std::string::npos) << "nothing drawn in between: " << out;
  EXPECT_EQ(out.substr(msg - 4, 4), "\r\x1b[K") << "erased right before the message";
  EXPECT_NE(out.find("files", msg), std::string::npos) << "redrawn after the message";
}

TEST(ProgressLineTest, AtMostFiveTimesASecond) {
  std::FILE* f = std::tmpfile();
  const auto start = std::chrono::steady_clock::now();
  {
    ProgressLine progress(f, true, {1, 100});
    for (int i = 0; i < 100; ++i) {
      progress.Update({0, static_cast<uint64_t>(i), static_cast<size_t>(i), 0, 0});
      std::this_thread::sleep_for(milliseconds(10));
    }
  }
  // At least one second (100 sleeps of 10 ms); more on a loaded machine,
  // where sleeps overrun: the bound follows the time that really passed.
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string out = ReadAll(f);
  std::fclose(f);
  // The first draw plus one a tick (200 ms), however often Update ran.
  EXPECT_GE(Count(out, "files"), 3u);
  EXPECT_LE(Count(out, "files"), 2u + static_cast<size_t>(seconds * 5)) << seconds << " s";
}

TEST(ProgressLineTest, TotalFileBytesSumsSizesAndSkipsMissingFiles) {
  const fs::path dir = fs::temp_directory_path() / ("newsevents-progress-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "a.txt") << std::string(1000, 'a');
  std::ofstream(dir / "b.txt") << std::string(234, 'b');
  EXPECT_EQ(TotalFileBytes({(dir / "a.txt").string(), (dir / "b.txt").string(),
                            (dir / "missing.txt").string()}),
            1234u);
  fs::remove_all(dir);
}

// `extract` itself, as a person at a terminal and a script see it.
class ExtractProgressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("newsevents-progress-cli-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // stderr of `extract corpus/ EXTRA` run under a pseudo-terminal.
  std::string UnderTerminal(const std::string& extra) {
    const fs::path screen = dir_ / "screen.txt";
    const std::string inner = std::string(NEWSEVENTS_BINARY) + " extract corpus/ -o " +
                              (dir_ / "out.jsonl").string() + " " + extra;
    // script(1) gives the command a pty for stdin/stdout/stderr and copies what
    // it prints to our stdout; TERM is set so the line is not taken for dumb.
    const std::string cmd = "TERM=xterm script -qec '" + inner + "' /dev/null > " +
                            screen.string() + " 2>&1 < /dev/null";
    const int status = std::system(cmd.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << cmd;
    return ReadFile(screen);
  }

  fs::path dir_;
};

TEST_F(ExtractProgressTest, ShownOnATerminalAndErasedBeforeTheSummary) {
  const std::string screen = UnderTerminal("");
  const size_t line = screen.find("/5 files");
  ASSERT_NE(line, std::string::npos) << screen;
  EXPECT_NE(screen.find(" left"), std::string::npos) << screen;
  const size_t summary = screen.find("newsevents extract: 5 files");
  ASSERT_NE(summary, std::string::npos) << screen;
  EXPECT_LT(line, summary);
  EXPECT_EQ(screen.substr(summary - 4, 4), "\r\x1b[K") << "erased right before the summary";
  EXPECT_EQ(screen.find("\x1b[K", summary), std::string::npos) << "nothing drawn after it";
  EXPECT_EQ(screen.find(" left", summary), std::string::npos) << screen;
}

TEST_F(ExtractProgressTest, QuietOnATerminalShowsNothing) {
  EXPECT_EQ(UnderTerminal("--quiet"), "");
}

TEST_F(ExtractProgressTest, NotWrittenWhenStderrIsAFile) {
  const fs::path err = dir_ / "err.txt";
  const std::string cmd = "TERM=xterm " + std::string(NEWSEVENTS_BINARY) +
                          " extract corpus/ -o " + (dir_ / "out.jsonl").string() + " 2> " +
                          err.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string text = ReadFile(err);
  EXPECT_NE(text.find("newsevents extract: 5 files"), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << text;
  EXPECT_EQ(text.find("\x1b"), std::string::npos) << text;
  EXPECT_EQ(text.find(" left"), std::string::npos) << text;
}

TEST_F(ExtractProgressTest, ErrorMessagesDoNotShareALineWithIt) {
  // A binary file is reported (and skipped) while the line is on screen.
  const fs::path drop = dir_ / "drop";
  fs::create_directories(drop);
  for (const auto& e : fs::directory_iterator("corpus")) {
    if (e.is_regular_file()) fs::copy_file(e.path(), drop / e.path().filename());
  }
  std::ofstream(drop / "001b_binary.txt", std::ios::binary) << std::string("\x00\x01\x02\xff", 4) + std::string(64, '\0');
  const fs::path screen = dir_ / "screen.txt";
  const std::string inner = std::string(NEWSEVENTS_BINARY) + " extract " + drop.string() +
                            " -o " + (dir_ / "out.jsonl").string();
  const std::string cmd = "TERM=xterm script -qc '" + inner + "' /dev/null > " +
                          screen.string() + " 2>&1 < /dev/null";
  std::system(cmd.c_str());
  const std::string text = ReadFile(screen);
  const size_t error = text.find("newsevents: " + (drop / "001b_binary.txt").string());
  ASSERT_NE(error, std::string::npos) << text;
  EXPECT_EQ(text.substr(error - 4, 4), "\r\x1b[K") << text;
  EXPECT_NE(text.find("files", error), std::string::npos);
}

}  // namespace
}  // namespace newsevents
