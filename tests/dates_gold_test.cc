// Scores the date stage against the gold of corpus/gold/*.gold.json, with
// items cut at the gold headlines (so that segmentation errors do not count
// here): date mention F1 (exact text within the item), value accuracy on the
// matched mentions, and event date accuracy.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pipeline/dates.h"
#include "pipeline/normalize.h"
#include "pipeline/reader.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string JsonString(const Json& j) { return j.is_null() ? "" : j.get<std::string>(); }

struct Scores {
  size_t gold = 0, predicted = 0, matched = 0, value_ok = 0;
  size_t events = 0, events_ok = 0;
};

// Builds the document of one corpus file with one item per gold item, cut at
// the gold headlines (or first words when an item has none).
bool LoadGoldDocument(const fs::path& gold_path, Document& doc, Json& gold) {
  std::ifstream in(gold_path);
  gold = Json::parse(in);
  fs::path source = gold_path.parent_path().parent_path() / gold["source"].get<std::string>();
  ReadResult r = ReadSourceFile(source.string(), ReadOptions());
  if (r.status != ReadStatus::kOk) return false;
  doc.name = source.filename().string();
  doc.original = std::move(r.text);
  NormalizeDocument(doc);
  doc.lang = "en";
  size_t cursor = 0;
  std::vector<std::pair<size_t, size_t>> starts;  // item begin, title end (== begin without one)
  for (const Json& g : gold["items"]) {
    bool titled = !g["title"].is_null();
    std::string anchor = NormalizeText(titled ? g["title"].get<std::string>()
                                              : g["starts_with"].get<std::string>());
    size_t at = doc.text.find(anchor, cursor);
    if (at == std::string::npos) {
      ADD_FAILURE() << gold_path << ": cannot find '" << anchor << "'";
      return false;
    }
    starts.emplace_back(at, titled ? at + anchor.size() : at);
    cursor = at + anchor.size();
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    Item item;
    item.index = i;
    item.lang = "en";
    size_t end = i + 1 < starts.size() ? starts[i + 1].first : doc.text.size();
    item.span = {starts[i].first, end};
    item.title = {starts[i].first, starts[i].second};
    item.body = {starts[i].second, end};
    doc.items.push_back(item);
  }
  return true;
}

TEST(DatesGold, MentionsValuesAndEventDates) {
  StageOptions options;
  options.root = DataRoot();
  DateStage stage(options);
  const fs::path gold_dir = fs::path(DataRoot()) / "corpus" / "gold";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(gold_dir))
    if (e.path().string().size() > 10 &&
        e.path().string().substr(e.path().string().size() - 10) == ".gold.json")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());

  Scores s;
  std::ostringstream diffs;
  for (const fs::path& path : files) {
    Document doc;
    Json gold;
    ASSERT_TRUE(LoadGoldDocument(path, doc, gold));
    stage.Apply(doc);
    for (size_t i = 0; i < doc.items.size(); ++i) {
      const Json& g = gold["items"][i];
      const Item& item = doc.items[i];
      const std::string where = doc.name + "#" + std::to_string(i);
      // Mentions: multiset match on text.
      std::vector<bool> used(item.dates.size(), false);
      for (const Json& gd : g["dates"]) {
        std::string text = NormalizeText(gd["text"].get<std::string>());
        std::string value = JsonString(gd["value"]), end = JsonString(gd["end"]);
        ++s.gold;
        bool found = false;
        for (size_t k = 0; k < item.dates.size() && !found; ++k) {
          if (used[k] || item.dates[k].text != text) continue;
          used[k] = found = true;
          ++s.matched;
          if (item.dates[k].value == value && item.dates[k].end == end) {
            ++s.value_ok;
          } else {
            diffs << where << " value of '" << text << "': gold " << value << "/" << end
                  << ", got " << item.dates[k].value << "/" << item.dates[k].end << " ("
                  << item.dates[k].rule << ")\n";
          }
        }
        if (!found) diffs << where << " missed '" << text << "' " << value << "\n";
      }
      s.predicted += item.dates.size();
      for (size_t k = 0; k < item.dates.size(); ++k)
        if (!used[k])
          diffs << where << " spurious '" << item.dates[k].text << "' " << item.dates[k].value
                << " (" << item.dates[k].rule << ")\n";
      // Event date.
      ++s.events;
      std::string want = g["event_date"].is_null()
                             ? "none"
                             : JsonString(g["event_date"]["start"]) +
                                   (g["event_date"]["end"].is_null()
                                        ? ""
                                        : "/" + JsonString(g["event_date"]["end"]));
      std::string got = !item.event_date ? "none"
                                         : item.event_date->start +
                                               (item.event_date->end.empty()
                                                    ? ""
                                                    : "/" + item.event_date->end);
      if (want == got)
        ++s.events_ok;
      else
        diffs << where << " event date: gold " << want << ", got " << got
              << (item.event_date ? " (" + item.event_date->reason + ")" : "") << "\n";
    }
  }
  double p = s.predicted ? double(s.matched) / s.predicted : 0;
  double r = s.gold ? double(s.matched) / s.gold : 0;
  double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
  double value_acc = s.matched ? double(s.value_ok) / s.matched : 0;
  double event_acc = s.events ? double(s.events_ok) / s.events : 0;
  std::cout << "date mentions: gold " << s.gold << ", predicted " << s.predicted << ", matched "
            << s.matched << "; P " << p << " R " << r << " F1 " << f1 << "\n"
            << "values correct on matched: " << s.value_ok << "/" << s.matched << " = "
            << value_acc << "\n"
            << "event dates correct: " << s.events_ok << "/" << s.events << " = " << event_acc
            << "\n"
            << diffs.str();
  EXPECT_GE(f1, 0.95);
  EXPECT_GE(value_acc, 0.95);
  EXPECT_GE(event_acc, 0.90);
}

}  // namespace
}  // namespace newsevents
