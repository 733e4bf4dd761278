#include "pipeline/dedup_state.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "pipeline/dedup.h"
#include "tests/dedup_test_util.h"

namespace newsevents {
namespace {

using dedup_testing::DefaultOptions;
using dedup_testing::ItemSpec;
using dedup_testing::MakeDocument;
using dedup_testing::TempDir;

std::string Schema() {
  std::ifstream in(DataRoot() + "/models/dedup/state.sql");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

StoredItem Row(int64_t seq, const std::string& file, int64_t index, uint64_t fingerprint) {
  StoredItem r;
  r.seq = seq;
  char id[24];
  std::snprintf(id, sizeof id, "ev-%016llx", static_cast<unsigned long long>(seq * 7919));
  r.id = id;
  r.source_file = file;
  r.item_index = index;
  r.fingerprint = fingerprint;
  r.shingles = 42;
  r.signature = std::vector<uint8_t>(128, static_cast<uint8_t>(seq));
  r.facts = R"({"days":["2021-06-08"]})";
  return r;
}

std::vector<StoredItem> LoadAll(const DedupState& state, DedupState::Snapshot* snap = nullptr) {
  std::vector<StoredItem> rows;
  DedupState::Snapshot s = state.Load([&](StoredItem&& r) { rows.push_back(std::move(r)); });
  if (snap) *snap = s;
  return rows;
}

// Everything a reader could see in the file, as text: each table's rows and
// SQLite's own verdict on the file's health.
std::string Dump(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  std::string out;
  auto query = [&](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      out += std::string("error: ") + sqlite3_errmsg(db) + "\n";
      return;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* t = sqlite3_column_text(stmt, c);
        out += t ? reinterpret_cast<const char*>(t) : "NULL";
        out += '|';
      }
      out += '\n';
    }
    sqlite3_finalize(stmt);
  };
  query("PRAGMA integrity_check");
  query("SELECT * FROM meta ORDER BY key");
  query("SELECT * FROM runs ORDER BY run");
  query("SELECT seq, id, source_file, item_index, fingerprint, duplicate_of, link, shingles, "
        "hex(signature), facts, run FROM items ORDER BY seq");
  sqlite3_close(db);
  return out;
}

// ------------------------------------------------------------ the file

TEST(DedupStateTest, MissingFileIsEmptyAndCreatedOnlyByACommit) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  DedupState state(path, Schema());
  DedupState::Snapshot snap;
  EXPECT_TRUE(LoadAll(state, &snap).empty());
  EXPECT_EQ(snap.last_seq, 0);
  EXPECT_EQ(snap.sketch_key, "");
  EXPECT_TRUE(state.FindAt("a.txt", 0, 1).empty());
  EXPECT_FALSE(std::filesystem::exists(path));

  state.AppendRun("sketch-1", "test", "2024-01-01T00:00:00Z", 0,
                  {Row(1, "a.txt", 0, 11), Row(2, "a.txt", 1, ~0ull)});
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(DedupStateTest, RowsRoundTripInOrder) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  {
    DedupState state(path, Schema());
    StoredItem linked = Row(2, "b.txt", 3, 0x8000000000000001ull);  // high bit: signed in SQLite
    linked.duplicate_of = Row(1, "a.txt", 0, 11).id;
    linked.link = "dated";
    state.AppendRun("sketch-1", "test", "2024-01-01T00:00:00Z", 0, {Row(1, "a.txt", 0, 11), linked});
    state.AppendRun("sketch-1", "test", "2024-01-02T00:00:00Z", 2, {Row(3, "c.txt", 0, 12)});
  }
  DedupState state(path, Schema());
  DedupState::Snapshot snap;
  const std::vector<StoredItem> rows = LoadAll(state, &snap);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(snap.last_seq, 3);
  EXPECT_EQ(snap.sketch_key, "sketch-1");
  EXPECT_EQ(rows[1].seq, 2);
  EXPECT_EQ(rows[1].id, Row(2, "", 0, 0).id);
  EXPECT_EQ(rows[1].source_file, "b.txt");
  EXPECT_EQ(rows[1].item_index, 3);
  EXPECT_EQ(rows[1].fingerprint, 0x8000000000000001ull);
  EXPECT_EQ(rows[1].duplicate_of, rows[0].id);
  EXPECT_EQ(rows[1].link, "dated");
  EXPECT_EQ(rows[1].shingles, 42u);
  EXPECT_EQ(rows[1].signature, std::vector<uint8_t>(128, 2));
  EXPECT_EQ(rows[1].facts, R"({"days":["2021-06-08"]})");
  EXPECT_EQ(rows[2].source_file, "c.txt");

  const std::vector<StoredItem> at = state.FindAt("b.txt", 3, 0x8000000000000001ull);
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].id, rows[1].id);
  EXPECT_EQ(at[0].duplicate_of, rows[0].id);
  EXPECT_TRUE(state.FindAt("b.txt", 3, 5).empty());  // same place, other text
  EXPECT_TRUE(state.FindAt("b.txt", 2, 0x8000000000000001ull).empty());
}

TEST(DedupStateTest, RefusesAStaleRunAndOtherSketchSettings) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  DedupState state(path, Schema());
  state.AppendRun("sketch-1", "test", "t", 0, {Row(1, "a.txt", 0, 11)});
  const std::string before = Dump(path);
  // A run that started before seq 1 was committed.
  EXPECT_THROW(state.AppendRun("sketch-1", "test", "t", 0, {Row(1, "b.txt", 0, 12)}), StateError);
  EXPECT_THROW(state.AppendRun("sketch-2", "test", "t", 1, {Row(2, "b.txt", 0, 12)}), StateError);
  EXPECT_EQ(Dump(path), before);
  EXPECT_NO_THROW(state.AppendRun("sketch-1", "test", "t", 1, {Row(2, "b.txt", 0, 12)}));
}

TEST(DedupStateTest, FailedInsertRollsBackTheWholeRun) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  DedupState state(path, Schema());
  state.AppendRun("sketch-1", "test", "t", 0, {Row(1, "a.txt", 0, 11)});
  const std::string before = Dump(path);
  // Second row repeats an id (UNIQUE): the first row must not stay either.
  StoredItem clash = Row(3, "b.txt", 1, 13);
  clash.id = Row(2, "", 0, 0).id;
  EXPECT_THROW(state.AppendRun("sketch-1", "test", "t", 1, {Row(2, "b.txt", 0, 12), clash}),
               StateError);
  EXPECT_EQ(Dump(path), before);
}

TEST(DedupStateTest, NotAStateFile) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  std::ofstream(path) << "this is not a database, just some text that is long enough to read";
  EXPECT_THROW(DedupState(path, Schema()), StateError);
}

TEST(DedupStateTest, DamagedRowIsReportedWithItsSeq) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  {
    DedupState state(path, Schema());
    StoredItem bad = Row(1, "a.txt", 0, 11);
    bad.signature.resize(5);
    state.AppendRun("x", "test", "t", 0, {bad});
  }
  // The sketch key "x" would be refused too; the damaged row is met first.
  try {
    Deduplicator dedup(DefaultOptions(), path);
    ADD_FAILURE() << "no error";
  } catch (const StateError& e) {
    EXPECT_NE(std::string(e.what()).find("item 1"), std::string::npos) << e.what();
  }
}

// ------------------------------------------------------------ crashes

std::vector<Document> Drop(int first_file, int files) {
  std::vector<Document> docs;
  for (int f = first_file; f < first_file + files; ++f) {
    std::vector<ItemSpec> items;
    for (int i = 0; i < 3; ++i) {
      ItemSpec s;
      s.text = "Item " + std::to_string(i) + " of file " + std::to_string(f) +
               ": the ICPC took part in a meeting on urban safety with partners number " +
               std::to_string(f * 10 + i) + " and discussed prevention.";
      items.push_back(s);
    }
    char name[16];
    std::snprintf(name, sizeof name, "%03d.txt", f);
    docs.push_back(MakeDocument(name, items));
  }
  return docs;
}

// Forks a child that opens the state, processes `docs` and then calls
// `finish` (which must block: the parent kills the child there). Returns once
// the child is dead.
template <typename Finish>
void RunChildAndKill(const std::string& state, std::vector<Document> docs, Finish finish) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(ready[0]);
    try {
      Deduplicator dedup(DefaultOptions(), state);
      for (Document& d : docs) dedup.Process(d);
      finish(dedup, ready[1]);
    } catch (...) {
    }
    _exit(3);  // not reached when the parent kills the child as planned
  }
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1) << "child died before it was ready";
  close(ready[0]);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(WTERMSIG(status), SIGKILL);
}

void SignalAndWait(int fd) {
  const char byte = 1;
  if (write(fd, &byte, 1) != 1) _exit(4);
  for (;;) pause();
}

struct Outcome {
  std::vector<std::string> ids, duplicates;
  std::vector<bool> seen;
};

Outcome Process(const std::string& state, std::vector<Document> docs, bool commit) {
  Outcome out;
  Deduplicator dedup(DefaultOptions(), state);
  for (Document& d : docs) {
    const std::vector<bool> seen = dedup.Process(d);
    for (size_t i = 0; i < d.items.size(); ++i) {
      out.ids.push_back(d.items[i].id);
      out.duplicates.push_back(d.items[i].duplicate_of);
      out.seen.push_back(seen[i]);
    }
  }
  if (commit) dedup.Commit();
  return out;
}

TEST(DedupStateTest, KilledBeforeCommitLeavesTheStateAsBefore) {
  TempDir dir;
  const std::string state = dir.File("state.db");
  Process(state, Drop(0, 2), /*commit=*/true);
  const std::string before = Dump(state);
  ASSERT_NE(before.find("ok|"), std::string::npos) << before;

  RunChildAndKill(state, Drop(0, 4), [](Deduplicator&, int fd) { SignalAndWait(fd); });

  EXPECT_EQ(Dump(state), before);
  // And the file is usable: the next run sees exactly the first run's items.
  const Outcome next = Process(state, Drop(0, 4), /*commit=*/true);
  for (size_t i = 0; i < next.seen.size(); ++i) EXPECT_EQ(next.seen[i], i < 6) << i;
}

TEST(DedupStateTest, KilledInsideTheCommitTransactionLeavesTheStateAsBefore) {
  TempDir dir;
  const std::string state = dir.File("state.db");
  Process(state, Drop(0, 2), /*commit=*/true);
  const std::string before = Dump(state);

  RunChildAndKill(state, Drop(0, 4), [](Deduplicator& dedup, int fd) {
    // Every row is written to the WAL, COMMIT not yet issued.
    dedup.SetBeforeCommitHookForTesting([fd] { SignalAndWait(fd); });
    dedup.Commit();
  });

  EXPECT_EQ(Dump(state), before);
  // The dead writer's lock is gone: a new run commits.
  const Outcome next = Process(state, Drop(0, 4), /*commit=*/true);
  for (size_t i = 0; i < next.seen.size(); ++i) EXPECT_EQ(next.seen[i], i < 6) << i;
  const Outcome after = Process(state, Drop(0, 4), /*commit=*/false);
  EXPECT_EQ(after.ids, next.ids);
  for (bool s : after.seen) EXPECT_TRUE(s);
}

TEST(DedupStateTest, KilledDuringTheFirstCommitLeavesNoItems) {
  TempDir dir;
  const std::string state = dir.File("state.db");
  RunChildAndKill(state, Drop(0, 2), [](Deduplicator& dedup, int fd) {
    dedup.SetBeforeCommitHookForTesting([fd] { SignalAndWait(fd); });
    dedup.Commit();
  });
  // The file may exist (SQLite created it to take the lock) but holds no
  // item; a new run starts from nothing and commits normally.
  const Outcome first = Process(state, Drop(0, 2), /*commit=*/true);
  for (bool s : first.seen) EXPECT_FALSE(s);
  const Outcome second = Process(state, Drop(0, 2), /*commit=*/false);
  for (bool s : second.seen) EXPECT_TRUE(s);
  EXPECT_EQ(second.ids, first.ids);
}

}  // namespace
}  // namespace newsevents
