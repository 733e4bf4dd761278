// The extract command facing bad input, bad rules and bad output, as a user
// meets them: each case gets a clear message naming the file, the rest of the
// drop is still processed, nothing written is lost, and the exit code says
// what happened.
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
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

TEST_F(CliTest, Utf16BigEndianWithBomIsDecoded) {
  std::string utf16 = "\xFE\xFF";
  for (unsigned char c : std::string(kStory)) {
    utf16 += '\0';
    utf16 += static_cast<char>(c);
  }
  Write("drop/good.txt", utf16);
  Result r = Extract((dir_ / "drop").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0]["title"],
            "The ICPC took part in a conference on urban safety in Montreal");
  EXPECT_EQ(r.records[0]["source"]["title_span"][0], 2u);
}

TEST_F(CliTest, LoneCrLineEndsReadAsLineFeeds) {
  // Classic Mac OS line ends: a lone CR is one byte like LF, so the records
  // must be those of the LF file, spans included.
  Result lf = Extract((dir_ / "drop").string());
  ASSERT_EQ(lf.exit_code, 0) << lf.err;
  ASSERT_EQ(lf.records.size(), 1u);
  std::string cr = kStory;
  std::replace(cr.begin(), cr.end(), '\n', '\r');
  Write("drop/good.txt", cr);
  Result r = Extract((dir_ / "drop").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0]["title"],
            "The ICPC took part in a conference on urban safety in Montreal");
  for (const char* field : {"id", "source", "dates", "event_date", "organizations", "places"})
    EXPECT_EQ(r.records[0][field], lf.records[0][field]) << field;
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

// (file, item) of each record.
using ItemKey = std::pair<std::string, int>;
std::map<ItemKey, nlohmann::json> ByItem(const std::vector<nlohmann::json>& records) {
  std::map<ItemKey, nlohmann::json> out;
  for (const auto& r : records)
    out[{r["source"]["file"].get<std::string>(), r["source"]["item"].get<int>()}] = r;
  return out;
}

// The rows a query returns from an SQLite file, each row's columns joined by '|'.
std::set<std::string> SqliteRows(const fs::path& path, const char* sql) {
  std::set<std::string> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* text = sqlite3_column_text(st, i);
        row += (i ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "");
      }
      out.insert(row);
    }
  } else {
    ADD_FAILURE() << sqlite3_errmsg(db);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// The items a --state file remembers, as "file|item" (schema: models/dedup/state.sql).
std::set<std::string> StateItems(const fs::path& state) {
  return SqliteRows(state, "SELECT source_file, item_index FROM items");
}

std::set<std::string> ItemsOf(const std::map<ItemKey, nlohmann::json>& records) {
  std::set<std::string> out;
  for (const auto& [key, rec] : records) out.insert(key.first + "|" + std::to_string(key.second));
  return out;
}

TEST_F(CliTest, FullDiskLeavesTheStateAsItWas) {
  const fs::path state = dir_ / "state.db";
  const std::string args = (dir_ / "drop").string() + " --state " + state.string();
  Result first = Extract(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::set<std::string> before = StateItems(state);
  ASSERT_EQ(before, (std::set<std::string>{"good.txt|0"}));
  for (int i = 0; i < 5; ++i) {
    std::string story = kStory;
    story.replace(story.find("Montreal"), 8, "Quebec City " + std::to_string(i));
    Write("drop/f" + std::to_string(i) + ".txt", story);
  }
  // Room for one record and a half: the disk fills up in the second.
  Result r = Extract(args, "NEWSEVENTS_TEST_WRITE_LIMIT=" + std::to_string(first.raw.size() * 3 / 2));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.raw.back(), '\n');
  EXPECT_EQ(StateItems(state), before) << "the state went past the output";
  // Once there is room, the same command writes everything, none of it "seen".
  Result retry = Extract(args + " --new-only");
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(retry.records.size(), 5u);
  EXPECT_EQ(StateItems(state).size(), 6u);
}

// A drop big enough to keep both threads busy: `count` files made from the
// corpus texts, each with its numbers shifted so that the files differ.
void WriteBigDrop(const fs::path& dir, int count) {
  std::vector<std::string> texts;
  for (const auto& e : fs::directory_iterator(Source("corpus"))) {
    if (e.path().extension() != ".txt") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    texts.push_back(ss.str());
  }
  std::sort(texts.begin(), texts.end());
  ASSERT_FALSE(texts.empty());
  fs::create_directories(dir);
  for (int i = 0; i < count; ++i) {
    const std::string& text = texts[i % texts.size()];
    std::string varied;
    varied.reserve(text.size() + 64);
    for (size_t p = 0; p < text.size();) {
      if (text[p] >= '0' && text[p] <= '9') {
        size_t q = p;
        while (q < text.size() && text[q] >= '0' && text[q] <= '9') ++q;
        const long n = std::stol(text.substr(p, std::min<size_t>(q - p, 9)));
        varied += std::to_string(n + i / static_cast<int>(texts.size()));
        p = q;
      } else {
        varied += text[p++];
      }
    }
    char name[32];
    std::snprintf(name, sizeof name, "f%04d.txt", i);
    std::ofstream(dir / name, std::ios::binary) << varied;
  }
}

std::vector<nlohmann::json> ReadRecords(const fs::path& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

// Runs `command` through the shell; its exit code (-1 if killed).
int Shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Starts `newsevents extract ARGS` without waiting; stderr goes to `err`.
pid_t SpawnExtract(std::vector<std::string> args, const fs::path& err) {
  args.insert(args.begin(), {NEWSEVENTS_BINARY, "extract"});
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) ::dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Whether signal `sig` sent to process `pid` is still waiting for a thread
// to take it (/proc/PID/status: ShdPnd, a hexadecimal mask, bit sig - 1).
bool SignalPending(pid_t pid, int sig) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("ShdPnd:", 0) == 0 || line.rfind("SigPnd:", 0) == 0) {
      if ((std::stoull(line.substr(7), nullptr, 16) >> (sig - 1)) & 1) return true;
    }
  }
  return false;
}

// A run interrupted by `sig` half-way through a drop keeps exactly the files
// it finished: whole records, the state and the database holding exactly
// those, and a resumed run (--new-only) writes the rest.
//
// To interrupt at a known point, the drop holds a FIFO in the middle (name
// order): reading it blocks until the test opens it for writing. So the run
// is certainly under way, the files before it are written and those after it
// are being read and processed in parallel when the signal comes; then the
// FIFO is closed (it reads as "not a regular file") and the run must stop.
void CheckInterruptedRun(const fs::path& dir, int sig) {
  constexpr int kFiles = 60, kBefore = 30;
  const fs::path drop = dir / "big";
  WriteBigDrop(drop, kFiles);
  if (::testing::Test::HasFatalFailure()) return;
  const std::string bin = NEWSEVENTS_BINARY;
  const fs::path full_out = dir / "full.jsonl";
  ASSERT_EQ(Shell(bin + " extract -q " + drop.string() + " --state " + (dir / "full.db").string() +
                  " -o " + full_out.string()),
            0);
  const auto full_records = ReadRecords(full_out);
  const auto full = ByItem(full_records);
  ASSERT_EQ(full.size(), full_records.size());
  char fifo_name[32];
  std::snprintf(fifo_name, sizeof fifo_name, "f%04d.txt", kBefore);
  const fs::path fifo = drop / fifo_name;
  std::string expected;  // the record lines of the files before the FIFO
  {
    std::ifstream in(full_out, std::ios::binary);
    std::string line;
    while (std::getline(in, line))
      if (nlohmann::json::parse(line)["source"]["file"].get<std::string>() < fifo_name)
        expected += line + "\n";
  }
  ASSERT_FALSE(expected.empty());
  const std::string fifo_text = [&] {
    std::ifstream in(fifo, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }();
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);

  const fs::path out = dir / "part.jsonl", state = dir / "state.db", db = dir / "feed.db";
  const pid_t pid = SpawnExtract({drop.string(), "-q", "--threads", "2", "--state", state.string(),
                                  "--sqlite", db.string(), "-o", out.string()},
                                 dir / "part.err");
  ASSERT_GT(pid, 0);
  struct Reaper {  // a failed assertion must not leave the run blocked on the FIFO
    pid_t pid;
    bool reaped = false;
    ~Reaper() {
      if (reaped) return;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  } reaper{pid};
  // Wait until the files before the FIFO are written (or the run died).
  const fs::path temp = out.string() + ".tmp-" + std::to_string(pid);
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  bool exited = false;
  for (;;) {
    std::error_code ec;
    const auto size = fs::file_size(temp, ec);
    if (!ec && size == expected.size()) break;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = reaper.reaped = true;
      break;
    }
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(120 * kSanitizerSlowdown))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(exited) << "the run ended before the signal";
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the files after it run on
  ASSERT_EQ(::kill(pid, sig), 0);
  // kill() returns before a thread of the run has taken the signal: wait
  // until it is no longer pending, then a little for the handler to return,
  // so that the document after the FIFO reaches the writer after it.
  for (auto t = std::chrono::steady_clock::now(); SignalPending(pid, sig);) {
    ASSERT_LT(std::chrono::steady_clock::now() - t, std::chrono::seconds(60 * kSanitizerSlowdown))
        << "signal " << sig << " never delivered";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Unblock the reader: open the FIFO for writing (which succeeds once the
  // run has opened it for reading) and close it at once.
  for (auto t = std::chrono::steady_clock::now();;) {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) {
      ::close(fd);
      break;
    }
    ASSERT_EQ(errno, ENXIO) << std::strerror(errno);  // no reader yet
    ASSERT_LT(std::chrono::steady_clock::now() - t, std::chrono::seconds(60 * kSanitizerSlowdown))
        << "the run never read the FIFO";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto t = std::chrono::steady_clock::now();;) {
    if (::waitpid(pid, &status, WNOHANG) == pid) break;
    ASSERT_LT(std::chrono::steady_clock::now() - t, std::chrono::seconds(60 * kSanitizerSlowdown))
        << "the run did not stop after signal " << sig;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  reaper.reaped = true;
  std::ifstream err_in(dir / "part.err");
  const std::string err((std::istreambuf_iterator<char>(err_in)), {});
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << "\n" << err;
  EXPECT_EQ(WEXITSTATUS(status), 130) << err;
  EXPECT_NE(err.find("interrupted by signal " + std::to_string(sig) + ": keeping the " +
                     std::to_string(kBefore) + " whole file(s) written"),
            std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(temp));

  // Exactly the records of the files before the FIFO, byte for byte.
  std::ifstream in(out, std::ios::binary);
  const std::string raw((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(raw, expected);
  const auto part = ByItem(ReadRecords(out));
  // The state and the database hold exactly the items written.
  EXPECT_EQ(StateItems(state), ItemsOf(part));
  EXPECT_EQ(SqliteRows(db, "SELECT source_file, item_index FROM events"), ItemsOf(part));

  // Resuming with --new-only writes everything else, and nothing twice: the
  // two outputs together are the full run's.
  fs::remove(fifo);
  std::ofstream(fifo, std::ios::binary) << fifo_text;
  const fs::path rest_out = dir / "rest.jsonl";
  ASSERT_EQ(Shell(bin + " extract -q " + drop.string() + " --state " + state.string() +
                  " --new-only -o " + rest_out.string()),
            0);
  const auto rest_records = ReadRecords(rest_out);
  const auto rest = ByItem(rest_records);
  ASSERT_EQ(rest.size(), rest_records.size());
  EXPECT_EQ(part.size() + rest.size(), full.size());
  for (const auto& [key, rec] : full) {
    const auto& from = part.count(key) ? part : rest;
    ASSERT_TRUE(from.count(key)) << "never written: " << key.first << " #" << key.second;
    EXPECT_EQ(from.at(key), rec) << key.first << " #" << key.second;
  }
}

TEST_F(CliTest, SigintMidRunKeepsWholeFilesAndTheirState) { CheckInterruptedRun(dir_, SIGINT); }

TEST_F(CliTest, SigtermMidRunKeepsWholeFilesAndTheirState) { CheckInterruptedRun(dir_, SIGTERM); }

TEST_F(CliTest, HelpDocumentsTheExitCodes) {
  const std::string bin = NEWSEVENTS_BINARY, out = (dir_ / "help.txt").string();
  for (const std::string command : {"--help", "extract --help"}) {
    ASSERT_EQ(Shell(bin + " " + command + " >" + out), 0) << command;
    const std::string help = Read(out);
    for (const char* code : {"0 ok", "1 some", "2 usage or configuration error",
                             "3 output failure", "130 interrupted"})
      EXPECT_NE(help.find(code), std::string::npos) << command << ": " << code << "\n" << help;
  }
}

// Rules and models: a broken file stops the run before any file is read.

// A data folder to break: rules/ copied, models/ linked entry by entry (so
// that one model file can be taken away or replaced without copying them all).
fs::path CopyData(const fs::path& dir) {
  const fs::path data = dir / "data";
  fs::create_directories(data / "models");
  fs::copy(Source("rules"), data / "rules", fs::copy_options::recursive);
  for (const auto& folder : fs::directory_iterator(Source("models"))) {
    fs::create_directories(data / "models" / folder.path().filename());
    for (const auto& file : fs::directory_iterator(folder.path()))
      fs::create_symlink(file.path(), data / "models" / folder.path().filename() / file.path().filename());
  }
  return data;
}

// 1-based number of the line of `text` that starts at byte `at`.
int LineAt(const std::string& text, size_t at) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// Runs extract on the drop with `data`, over an earlier output and with a
// --state file, and checks that it stopped with `message` before processing
// anything: exit 2, the earlier output untouched, no state made, no summary.
void ExpectStoppedBeforeProcessing(const fs::path& dir, const fs::path& data,
                                   const std::string& message) {
  const fs::path out = dir / "out.jsonl", state = dir / "state.db", err = dir / "err.txt";
  const std::string earlier = "{\"id\":\"earlier output\"}\n";
  std::ofstream(out, std::ios::binary) << earlier;
  const std::string cmd = std::string(NEWSEVENTS_BINARY) + " extract " + (dir / "drop").string() +
                          " --data " + data.string() + " --state " + state.string() + " -o " +
                          out.string() + " 2>" + err.string();
  const int status = std::system(cmd.c_str());
  std::ifstream err_in(err), out_in(out, std::ios::binary);
  const std::string err_text((std::istreambuf_iterator<char>(err_in)), {});
  const std::string out_text((std::istreambuf_iterator<char>(out_in)), {});
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << err_text;
  EXPECT_NE(err_text.find("configuration error: " + data.string() + "/" + message),
            std::string::npos)
      << "expected: " << message << "\ngot: " << err_text;
  EXPECT_EQ(out_text, earlier);
  EXPECT_FALSE(fs::exists(state));
  EXPECT_EQ(err_text.find("newsevents extract: "), std::string::npos) << "a summary: " << err_text;
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST_F(CliTest, RuleFileSyntaxErrorStopsBeforeProcessingNamingFileAndLine) {
  const fs::path data = CopyData(dir_);
  const fs::path rules = data / "rules/en/dates.rules";
  std::string text = Read(rules);
  const size_t at = text.find("\nrule:");
  ASSERT_NE(at, std::string::npos);
  const size_t next = text.find('\n', at + 1) + 1;
  text.insert(next, "this line has no colon\n");
  std::ofstream(rules, std::ios::binary) << text;
  ExpectStoppedBeforeProcessing(dir_, data,
                                "rules/en/dates.rules:" + std::to_string(LineAt(text, next)) +
                                    ": expected 'key: value', got 'this line has no colon'");
}

TEST_F(CliTest, PatternThatDoesNotCompileStopsBeforeProcessingNamingFileAndLine) {
  const fs::path data = CopyData(dir_);
  const fs::path rules = data / "rules/en/dates.rules";
  std::string text = Read(rules);
  const size_t at = text.find("\npattern:");
  ASSERT_NE(at, std::string::npos);
  text.insert(at + 10, " (unclosed");
  std::ofstream(rules, std::ios::binary) << text;
  ExpectStoppedBeforeProcessing(dir_, data,
                                "rules/en/dates.rules:" + std::to_string(LineAt(text, at + 1)) +
                                    ": pattern does not compile");
}

TEST_F(CliTest, UnknownRuleFieldStopsBeforeProcessingNamingFileAndLine) {
  const fs::path data = CopyData(dir_);
  const fs::path rules = data / "rules/en/dates.rules";
  std::string text = Read(rules);
  const size_t at = text.find("\nrule:");
  ASSERT_NE(at, std::string::npos);
  const size_t next = text.find('\n', at + 1) + 1;
  text.insert(next, "paterns: oops\n");
  std::ofstream(rules, std::ios::binary) << text;
  const std::string where = "rules/en/dates.rules:" + std::to_string(LineAt(text, next));
  ExpectStoppedBeforeProcessing(dir_, data, where + ": unknown field 'paterns'");
  // `rules check` says the same.
  const std::string cmd = std::string(NEWSEVENTS_BINARY) + " rules check " + data.string() +
                          " 2>" + (dir_ / "err.txt").string();
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string err = Read(dir_ / "err.txt");
  EXPECT_NE(err.find(where + ": unknown field 'paterns'"), std::string::npos) << err;
}

TEST_F(CliTest, MissingModelFileStopsBeforeProcessingNamingTheFile) {
  const fs::path data = CopyData(dir_);
  fs::remove(data / "models/places/places.tsv");
  ExpectStoppedBeforeProcessing(dir_, data, "models/places/places.tsv: cannot open gazetteer");
}

TEST_F(CliTest, BrokenModelLineStopsBeforeProcessingNamingFileAndLine) {
  const fs::path data = CopyData(dir_);
  const fs::path tsv = data / "models/orgs/organizations.tsv";
  std::string text = Read(Source("models/orgs/organizations.tsv"));
  fs::remove(tsv);
  const size_t at = text.find("\n", text.find("\n") + 1) + 1;  // the third line
  text.insert(at, "UNESCO only two columns\tname\n");
  std::ofstream(tsv, std::ios::binary) << text;
  ExpectStoppedBeforeProcessing(dir_, data,
                                "models/orgs/organizations.tsv:" +
                                    std::to_string(LineAt(text, at)) +
                                    ": expected: id<TAB>lang<TAB>kind<TAB>form");
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Extract("").exit_code, 2);
  EXPECT_EQ(Extract((dir_ / "drop").string() + " --threads 0").exit_code, 2);
  EXPECT_EQ(Extract((dir_ / "drop").string() + " --reference-date 2023/01/01").exit_code, 2);
  // Shaped like a date but not one: refused before anything is read.
  EXPECT_EQ(Extract((dir_ / "drop").string() + " --reference-date 2023-02-30").exit_code, 2);
  EXPECT_EQ(Extract((dir_ / "drop").string() + " --reference-date XXXX-02-03").exit_code, 2);
  EXPECT_EQ(Extract((dir_ / "drop").string() + " --reference-date 2024-02-29").exit_code, 0);
  EXPECT_EQ(Extract((dir_ / "drop").string() + " --bogus").exit_code, 2);
}

TEST_F(CliTest, FiftyMegabyteSingleLineIsProcessedInLinearTime) {
  // A file with no line break at all (a feed dumped without newlines): one
  // 50 MB line. It becomes items of at most 64 KB (pipeline/item_limit.h);
  // as one item it took over 11 minutes (stages comparing an item's mentions
  // with each other are quadratic in the item's size).
  const std::string sentence =
      "On March 7, 2023, the International Centre for the Prevention of Crime (ICPC) took part "
      "in a conference on urban safety organized by the City of Montreal, Canada, where Ms. Ann "
      "Smith spoke to nearly 200 people. ";
  // Under the sanitizers (./test.sh --asan), several times slower, 5 MB:
  // still 80 pieces of 64 KB.
  const size_t target = kSanitizerSlowdown == 1 ? (50u << 20) : (5u << 20);
  std::string line;
  line.reserve(target);
  while (line.size() + sentence.size() <= target) line += sentence;
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
