// The extract command facing bad input, bad rules and bad output, as a user
// meets them: each case gets a clear message naming the file, the rest of the
// drop is still processed, nothing written is lost, and the exit code says
// what happened.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace newsevents {
namespace {

namespace fs = std::filesystem;

constexpr char kStory[] =
    "The ICPC took part in a conference on urban safety in Montreal\n\n"
    "On March 7, 2023, the International Centre for the Prevention of Crime (ICPC) took part in a "
    "conference on urban safety organized by the City of Montreal. Nearly 200 people attended.\n";

fs::path Source(const std::string& name) { return fs::path(NEWSEVENTS_SOURCE_DIR) / name; }

struct Result {
  int exit_code = -1;
  std::string err;
  std::vector<nlohmann::json> records;
  std::string raw;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("newsevents-cli-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "drop");
    Write("drop/good.txt", kStory);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_ / "drop", fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }

  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }
  std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Runs `newsevents extract ARGS -o OUT`, from the project root.
  Result Extract(const std::string& args, const std::string& env = "",
                 std::string out = "") {
    if (out.empty()) out = (dir_ / "out.jsonl").string();
    const std::string err = (dir_ / "err.txt").string();
    std::string cmd = env + " " + NEWSEVENTS_BINARY + " extract " + args + " -o " + out +
                      " 2>" + err;
    int status = std::system(cmd.c_str());
    Result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = Read(err);
    r.raw = Read(out);
    std::istringstream lines(r.raw);
    std::string line;
    while (std::getline(lines, line)) r.records.push_back(nlohmann::json::parse(line));
    return r;
  }

  fs::path dir_;
};

TEST_F(CliTest, GoodDropExitsZeroWithRecords) {
  Result r = Extract((dir_ / "drop").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0]["source"]["file"], "good.txt");
}

TEST_F(CliTest, MissingPathIsNamedAndTheRestIsProcessed) {
  Result r = Extract((dir_ / "drop").string() + " " + (dir_ / "nope.txt").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nope.txt"), std::string::npos) << r.err;
  EXPECT_EQ(r.records.size(), 1u);
}

TEST_F(CliTest, EmptyFileIsANoteNotAnError) {
  Write("drop/empty.txt", "");
  Result r = Extract((dir_ / "drop").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("empty.txt"), std::string::npos);
  EXPECT_NE(r.err.find("empty file"), std::string::npos);
  EXPECT_EQ(r.records.size(), 1u);
}

TEST_F(CliTest, BinaryFileIsSkippedWithAMessage) {
  Write("drop/image.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 20));
  Result r = Extract((dir_ / "drop").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("image.txt: error: binary"), std::string::npos) << r.err;
  EXPECT_EQ(r.records.size(), 1u);
}

TEST_F(CliTest, InvalidUtf8IsReplacedReportedWithOffsetAndOnTheRecord) {
  std::string bad = kStory;
  const size_t at = bad.find("Nearly");
  bad.insert(at, "\xFF\xFE\xFD");
  Write("drop/good.txt", bad);
  Result r = Extract((dir_ / "drop").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("good.txt: error: 3 invalid UTF-8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(first at byte " + std::to_string(at) + ")"), std::string::npos) << r.err;
  ASSERT_EQ(r.records.size(), 1u);
  ASSERT_EQ(r.records[0]["warnings"].size(), 1u);
  EXPECT_EQ(r.records[0]["warnings"][0]["code"], "invalid-utf8");
  EXPECT_EQ(r.records[0]["warnings"][0]["offset"], at);
}

TEST_F(CliTest, BomAndCrlfKeepSpansInFileBytes) {
  std::string crlf;
  for (char c : std::string(kStory)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  Write("drop/good.txt", "\xEF\xBB\xBF" + crlf);
  Result r = Extract((dir_ / "drop").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.records.size(), 1u);
  const std::string file = Read(dir_ / "drop/good.txt");
  auto span = r.records[0]["title_span"].is_null() ? r.records[0]["source"]["title_span"]
                                                   : r.records[0]["title_span"];
  const size_t b = span[0], e = span[1];
  EXPECT_EQ(file.substr(b, e - b), r.records[0]["title"].get<std::string>());
  EXPECT_EQ(b, 3u);  // after the BOM
  for (const auto& d : r.records[0]["dates"]) {
    const size_t db = d["span"][0], de = d["span"][1];
    EXPECT_EQ(file.substr(db, de - db), d["text"].get<std::string>());
  }
}

TEST_F(CliTest, Utf16WithBomIsDecoded) {
  std::string utf16 = "\xFF\xFE";
  for (unsigned char c : std::string(kStory)) {
    utf16 += static_cast<char>(c);
    utf16 += '\0';
  }
  Write("drop/good.txt", utf16);
  Result r = Extract((dir_ / "drop").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0]["title"],
            "The ICPC took part in a conference on urban safety in Montreal");
  const size_t b = r.records[0]["source"]["title_span"][0];
  EXPECT_EQ(b, 2u);  // file bytes: right after the UTF-16 BOM
}

TEST_F(CliTest, FileOverTheSizeLimitIsRefusedClearly) {
  Write("drop/big.txt", std::string(2 << 20, 'a'));
  Result r = Extract((dir_ / "drop").string() + " --max-file-mb 1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("big.txt: error: file of 2097152 bytes is over the limit"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.records.size(), 1u);
}

TEST_F(CliTest, SymlinkLoopIsReported) {
  fs::create_symlink(dir_ / "drop/b.txt", dir_ / "drop/a.txt");
  fs::create_symlink(dir_ / "drop/a.txt", dir_ / "drop/b.txt");
  Result r = Extract((dir_ / "drop").string() + " " + (dir_ / "drop/a.txt").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("a.txt"), std::string::npos);
  EXPECT_NE(r.err.find("symbolic link"), std::string::npos) << r.err;
  EXPECT_EQ(r.records.size(), 1u);
}

TEST_F(CliTest, UnreadableFolderIsReported) {
  fs::create_directories(dir_ / "locked");
  Write("locked/x.txt", kStory);
  fs::permissions(dir_ / "locked", fs::perms::none);
  fs::permissions(dir_, fs::perms::all);
  // Root reads any folder: run as an unprivileged user then.
  const std::string as_user = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "";
  const std::string out = (dir_ / "out.jsonl").string();
  Result r = Extract((dir_ / "locked").string() + " " + (dir_ / "drop").string(), as_user, out);
  fs::permissions(dir_ / "locked", fs::perms::owner_all);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("locked: cannot list folder"), std::string::npos) << r.err;
  EXPECT_EQ(r.records.size(), 1u);
}

TEST_F(CliTest, DeviceOutputIsWrittenInPlaceNotReplaced) {
  // Renaming a temporary file over /dev/null would replace the device.
  Result r = Extract((dir_ / "drop").string(), "", "/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  struct stat st;
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_FALSE(fs::exists("/dev/null.tmp-" + std::to_string(getpid())));
}

TEST_F(CliTest, UnwritableOutputExitsThree) {
  Result r = Extract((dir_ / "drop").string(), "", "/dev/null/out.jsonl");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cannot write /dev/null/out.jsonl"), std::string::npos) << r.err;
}

TEST_F(CliTest, FullDiskKeepsWholeLinesOnlyAndExitsThree) {
  for (int i = 0; i < 5; ++i) {
    std::string story = kStory;
    story.replace(story.find("Montreal"), 8, "Quebec City " + std::to_string(i));
    Write("drop/f" + std::to_string(i) + ".txt", story);
  }
  Result all = Extract((dir_ / "drop").string());
  ASSERT_EQ(all.exit_code, 0) << all.err;
  ASSERT_GE(all.records.size(), 4u);
  // Room for a bit more than two records: the third is cut off mid-line.
  const size_t first_line = all.raw.find('\n') + 1;
  const size_t limit = first_line * 2 + first_line / 2;
  Result r = Extract((dir_ / "drop").string(),
                     "NEWSEVENTS_TEST_WRITE_LIMIT=" + std::to_string(limit));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_FALSE(r.raw.empty());
  EXPECT_EQ(r.raw.back(), '\n');  // no torn line
  EXPECT_LT(r.raw.size(), limit + 1);
  EXPECT_EQ(all.raw.compare(0, r.raw.size(), r.raw), 0);  // what is there is right
}

TEST_F(CliTest, BrokenRuleFileStopsBeforeProcessingAndNamesFileAndLine) {
  fs::create_directories(dir_ / "data");
  fs::copy(Source("rules"), dir_ / "data/rules", fs::copy_options::recursive);
  fs::create_directory_symlink(Source("models"), dir_ / "data/models");
  const fs::path rules = dir_ / "data/rules/en/dates.rules";
  std::string text = Read(rules);
  const size_t at = text.find("\npattern:");
  ASSERT_NE(at, std::string::npos);
  const int line = 2 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
  text.insert(at + 10, " (unclosed");
  std::ofstream(rules, std::ios::binary) << text;
  Result r = Extract((dir_ / "drop").string() + " --data " + (dir_ / "data").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("dates.rules:" + std::to_string(line) + ": pattern does not compile"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.records.empty());
}

TEST_F(CliTest, UnknownRuleFieldIsAConfigurationError) {
  fs::create_directories(dir_ / "data");
  fs::copy(Source("rules"), dir_ / "data/rules", fs::copy_options::recursive);
  fs::create_directory_symlink(Source("models"), dir_ / "data/models");
  const fs::path rules = dir_ / "data/rules/en/dates.rules";
  std::string text = Read(rules);
  const size_t at = text.find("\nrule:");
  ASSERT_NE(at, std::string::npos);
  const size_t eol = text.find('\n', at + 1);
  text.insert(eol, "\npaterns: oops");
  std::ofstream(rules, std::ios::binary) << text;
  const std::string cmd = std::string(NEWSEVENTS_BINARY) + " rules check " +
                          (dir_ / "data").string() + " 2>" + (dir_ / "err.txt").string();
  int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string err = Read(dir_ / "err.txt");
  EXPECT_NE(err.find("dates.rules:"), std::string::npos) << err;
  EXPECT_NE(err.find("unknown field 'paterns'"), std::string::npos) << err;
}

TEST_F(CliTest, MissingModelFileIsAConfigurationError) {
  fs::create_directory_symlink(Source("rules"), dir_ / "rules");
  fs::create_directories(dir_ / "models");  // empty: every model is missing
  Result r = Extract((dir_ / "drop").string() + " --data " + dir_.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("models"), std::string::npos) << r.err;
  EXPECT_TRUE(r.records.empty());
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Extract("").exit_code, 2);
  EXPECT_EQ(Extract((dir_ / "drop").string() + " --threads 0").exit_code, 2);
  EXPECT_EQ(Extract((dir_ / "drop").string() + " --reference-date 2023/01/01").exit_code, 2);
  EXPECT_EQ(Extract((dir_ / "drop").string() + " --bogus").exit_code, 2);
}


// Sanitizers make a run several times slower and bigger: limits scale with them.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kSanitizerSlowdown = 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr int kSanitizerSlowdown = 4;
#else
constexpr int kSanitizerSlowdown = 1;
#endif
#else
constexpr int kSanitizerSlowdown = 1;
#endif

TEST_F(CliTest, FiftyMegabyteSingleLineIsProcessedInLinearTime) {
  // A file with no line break at all (a feed dumped without newlines): one
  // 50 MB line. It becomes items of at most 64 KB (pipeline/item_limit.h);
  // as one item it took over 11 minutes (stages comparing an item's mentions
  // with each other are quadratic in the item's size).
  const std::string sentence =
      "On March 7, 2023, the International Centre for the Prevention of Crime (ICPC) took part "
      "in a conference on urban safety organized by the City of Montreal, Canada, where Ms. Ann "
      "Smith spoke to nearly 200 people. ";
  std::string line;
  line.reserve(50u << 20);
  while (line.size() + sentence.size() <= (50u << 20)) line += sentence;
  const size_t line_bytes = line.size();
  Write("drop/line.txt", line);
  line = std::string();
  Result r = Extract((dir_ / "drop").string() + " --threads 2");
  struct rusage usage;
  ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &usage), 0);
  // CPU time, not wall time: the machine running the tests may be busy.
  const double cpu_seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                             (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  const double peak_mb = usage.ru_maxrss / 1024.0;  // kilobytes on Linux
  std::printf("50 MB single line: %.1f s CPU, peak RSS %.0f MB\n", cpu_seconds, peak_mb);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  size_t pieces = 0, covered = 0;
  for (const auto& rec : r.records) {
    if (rec["source"]["file"] != "line.txt") continue;
    ++pieces;
    const size_t b = rec["source"]["span"][0], e = rec["source"]["span"][1];
    EXPECT_LE(e - b, size_t{64} << 10);
    covered += e - b;
  }
  EXPECT_GE(pieces, line_bytes / (size_t{64} << 10));
  EXPECT_GT(covered, line_bytes - line_bytes / 100);  // only spaces at the cuts are left out
  EXPECT_LT(cpu_seconds, 60.0 * kSanitizerSlowdown);  // about 10 s at Release
  EXPECT_LT(peak_mb, 3072.0 * kSanitizerSlowdown);   // about 1.5 GB: 30 bytes a byte
}

}  // namespace
}  // namespace newsevents
