// Runs the newsevents binary over the development drops of
// tests/data/multilingual/<lang>/ (French, Spanish and English newsletters
// written apart from corpus/, with gold annotated before the pipeline was run
// on them) and holds each language's eval scores above floors set just under
// what the pipeline reaches. The rules were not written while looking at these
// texts' gold but fixed against them class by class, so a drop here is a
// regression in how the rules generalize: look at it, do not lower the floor.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline/eval.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

struct Floors {
  const char* lang;
  double items, dates, date_values, event_date, organizations, places, people;
  double duplicates_recall, event_type;
};

// Just under the scores reached when the floors were set (README "Quality").
// The sixth drops (written last, scored once before any fix) brought French
// places to 0.92 and English duplicate recall to 0.6 (3 of 5): what they
// still miss is listed in README "Quality".
const Floors kFloors[] = {
    {"fr", 0.97, 0.97, 0.97, 0.95, 0.95, 0.91, 0.95, 0.95, 0.95},
    {"es", 0.97, 0.97, 0.97, 0.95, 0.97, 0.97, 0.97, 0.95, 0.95},
    {"en", 0.97, 0.97, 0.97, 0.95, 0.92, 0.92, 0.97, 0.55, 0.95},
};

// The fifth and sixth drops of each language alone: written after the rules
// (gold annotated before the pipeline was run on them), they measured how the
// rules generalize before the general fixes they showed were made (README
// "Quality"). Duplicate links are left to the folder's test: they point into
// the drops before.
struct DropFloors {
  Floors floors;
  const char* file;
};
const DropFloors kNewDropFloors[] = {
    {{"fr", 0.97, 0.97, 0.97, 0.95, 0.97, 0.91, 0.95, 0, 0.95}, "005_lettre_2025_printemps_ete.txt"},
    {{"es", 0.97, 0.97, 0.97, 0.95, 0.97, 0.97, 0.95, 0, 0.95}, "005_archivo_2024_2025.txt"},
    {{"en", 0.97, 0.97, 0.97, 0.95, 0.93, 0.92, 0.95, 0, 0.95}, "005_newsletter_2025_summer.txt"},
    // French: "Mission au Maroc", a three-word headline sharing no word with
    // its paragraph, is read as part of the story above it.
    {{"fr", 0.9, 0.9, 0.85, 0.85, 0.95, 0.6, 0.95, 0, 0.95}, "006_lettre_2025_automne.txt"},
    {{"es", 0.97, 0.97, 0.97, 0.95, 0.97, 0.97, 0.95, 0, 0.95}, "006_boletin_2025_otono.txt"},
    {{"en", 0.97, 0.97, 0.97, 0.95, 0.94, 0.97, 0.95, 0, 0.95}, "006_archive_2023_2024.txt"},
};

int RunCommand(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path Folder(const std::string& lang) {
  return fs::path(NEWSEVENTS_SOURCE_DIR) / "tests" / "data" / "multilingual" / lang;
}

// Extracts the language's folder into a fresh file and reads the records.
std::vector<nlohmann::json> Extract(const std::string& lang) {
  const fs::path out = fs::temp_directory_path() /
                       ("newsevents-ml-" + lang + "-" + std::to_string(getpid()) + ".jsonl");
  const int code = RunCommand(std::string(NEWSEVENTS_BINARY) + " extract " +
                              Folder(lang).string() + " --quiet -o " + out.string());
  EXPECT_EQ(code, 0) << "extract " << lang;
  std::vector<nlohmann::json> records = ReadRecordsFile(out.string());
  fs::remove(out);
  return records;
}

class MultilingualTest : public ::testing::TestWithParam<Floors> {};

TEST_P(MultilingualTest, EvalScoresStayAboveFloors) {
  const Floors& f = GetParam();
  const std::vector<nlohmann::json> records = Extract(f.lang);
  ASSERT_FALSE(records.empty());
  const EvalReport r =
      Evaluate((Folder(f.lang) / "gold").string(), Folder(f.lang).string(), records);
  ASSERT_GE(r.items.gold, 48u) << "the development set has at least 6 drops of 8 items";
  EXPECT_GE(r.items.f1(), f.items) << f.lang << " item segmentation";
  EXPECT_GE(r.dates.f1(), f.dates) << f.lang << " date mentions";
  EXPECT_GE(r.date_values.accuracy(), f.date_values) << f.lang << " date values";
  EXPECT_GE(r.event_date.accuracy(), f.event_date) << f.lang << " event date";
  EXPECT_GE(r.organizations.f1(), f.organizations) << f.lang << " organizations";
  EXPECT_GE(r.places.f1(), f.places) << f.lang << " places";
  EXPECT_GE(r.people.f1(), f.people) << f.lang << " people";
  EXPECT_EQ(r.duplicates.precision(), 1.0) << f.lang << " duplicate links";
  EXPECT_GE(r.duplicates.recall(), f.duplicates_recall) << f.lang << " duplicate links";
  EXPECT_GE(r.event_type.accuracy(), f.event_type) << f.lang << " event type";
}

// Every item of a folder is written in its language: language identification
// must say so (a wrong language sends an item to the wrong rules).
TEST_P(MultilingualTest, ItemsAreIdentifiedInTheirLanguage) {
  const Floors& f = GetParam();
  const std::vector<nlohmann::json> records = Extract(f.lang);
  ASSERT_FALSE(records.empty());
  size_t right = 0;
  for (const nlohmann::json& r : records) right += r.at("lang") == f.lang;
  EXPECT_EQ(right, records.size()) << f.lang;
}

INSTANTIATE_TEST_SUITE_P(Languages, MultilingualTest, ::testing::ValuesIn(kFloors),
                         [](const ::testing::TestParamInfo<Floors>& info) {
                           return std::string(info.param.lang);
                         });

class NewDropTest : public ::testing::TestWithParam<DropFloors> {};

// The drop scored alone: its gold file copied to a folder of its own, the
// records of the whole language folder (those of files without gold are not
// scored).
TEST_P(NewDropTest, EvalScoresStayAboveFloors) {
  const DropFloors& d = GetParam();
  const Floors& f = d.floors;
  const std::vector<nlohmann::json> records = Extract(f.lang);
  ASSERT_FALSE(records.empty());
  const fs::path gold = fs::temp_directory_path() /
                        ("newsevents-ml-gold-" + std::string(f.lang) + "-" + std::to_string(getpid()));
  fs::create_directories(gold);
  const std::string gold_file = std::string(d.file) + ".gold.json";
  fs::copy_file(Folder(f.lang) / "gold" / gold_file, gold / gold_file,
                fs::copy_options::overwrite_existing);
  const EvalReport r = Evaluate(gold.string(), Folder(f.lang).string(), records);
  fs::remove_all(gold);
  ASSERT_GE(r.items.gold, 8u) << d.file;
  EXPECT_GE(r.items.f1(), f.items) << d.file << " item segmentation";
  EXPECT_GE(r.dates.f1(), f.dates) << d.file << " date mentions";
  EXPECT_GE(r.date_values.accuracy(), f.date_values) << d.file << " date values";
  EXPECT_GE(r.event_date.accuracy(), f.event_date) << d.file << " event date";
  EXPECT_GE(r.organizations.f1(), f.organizations) << d.file << " organizations";
  EXPECT_GE(r.places.f1(), f.places) << d.file << " places";
  EXPECT_GE(r.people.f1(), f.people) << d.file << " people";
  EXPECT_GE(r.event_type.accuracy(), f.event_type) << d.file << " event type";
}

INSTANTIATE_TEST_SUITE_P(Languages, NewDropTest, ::testing::ValuesIn(kNewDropFloors),
                         [](const ::testing::TestParamInfo<DropFloors>& info) {
                           const std::string file = info.param.file;
                           return std::string(info.param.floors.lang) + "_" + file.substr(0, 3);
                         });

}  // namespace
}  // namespace newsevents
