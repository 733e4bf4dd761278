// Scores the place stage against the gold of corpus/gold/*.gold.json, with
// items cut at the gold headlines and the gold organizations standing in for
// the organization stage (their names and aliases, where the item writes
// them, are the organization mentions), so that neither segmentation nor
// organization errors count here. A place matches a gold place when their
// NameKey (case, accents, punctuation and a leading article aside) is equal,
// by the name as written or by the canonical name.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pipeline/eval_text.h"
#include "pipeline/normalize.h"
#include "pipeline/places.h"
#include "pipeline/reader.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// One item per gold item, cut at the gold headlines (or first words).
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
  std::vector<size_t> starts;
  for (const Json& g : gold["items"]) {
    const bool titled = !g["title"].is_null();
    const std::string anchor = NormalizeText(titled ? g["title"].get<std::string>()
                                                    : g["starts_with"].get<std::string>());
    const size_t at = doc.text.find(anchor, cursor);
    if (at == std::string::npos) {
      ADD_FAILURE() << gold_path << ": cannot find '" << anchor << "'";
      return false;
    }
    starts.push_back(at);
    cursor = at + anchor.size();
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    Item item;
    item.index = i;
    item.lang = "en";
    item.span = {starts[i], i + 1 < starts.size() ? starts[i + 1] : doc.text.size()};
    // The gold organizations, found where the item writes them.
    for (const Json& go : gold["items"][i]["organizations"]) {
      Organization org;
      org.name = go["name"].get<std::string>();
      std::vector<std::string> forms = {org.name};
      for (const Json& a : go["aliases"]) forms.push_back(a.get<std::string>());
      for (const std::string& form : forms) {
        const std::string f = NormalizeText(form);
        if (f.empty()) continue;
        for (size_t at = doc.text.find(f, item.span.begin);
             at != std::string::npos && at + f.size() <= item.span.end;
             at = doc.text.find(f, at + 1))
          org.mentions.push_back({at, at + f.size()});
      }
      item.organizations.push_back(std::move(org));
    }
    doc.items.push_back(std::move(item));
  }
  return true;
}

TEST(PlacesGold, F1) {
  StageOptions options;
  options.root = DataRoot();
  PlaceStage stage(options);
  std::cerr << "places: " << stage.place_count() << " places, " << stage.name_count()
            << " names, loaded in " << stage.load_ms() << " ms\n";

  const fs::path gold_dir = fs::path(DataRoot()) / "corpus" / "gold";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(gold_dir)) {
    const std::string p = e.path().string();
    if (p.size() > 10 && p.substr(p.size() - 10) == ".gold.json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());

  size_t gold_count = 0, predicted = 0, matched = 0;
  std::ostringstream diffs;
  double apply_ms = 0;
  size_t bytes = 0;
  for (const fs::path& path : files) {
    Document doc;
    Json gold;
    ASSERT_TRUE(LoadGoldDocument(path, doc, gold));
    const auto start = std::chrono::steady_clock::now();
    stage.Apply(doc);
    apply_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    bytes += doc.text.size();
    for (size_t i = 0; i < doc.items.size(); ++i) {
      const std::string where = doc.name.substr(0, 3) + "#" + std::to_string(i);
      const std::vector<Place>& got = doc.items[i].places;
      std::vector<bool> used(got.size(), false);
      for (const Json& gp : gold["items"][i]["places"]) {
        const std::string key = NameKey(gp.get<std::string>());
        ++gold_count;
        bool found = false;
        for (size_t k = 0; k < got.size() && !found; ++k) {
          if (used[k] || (NameKey(got[k].name) != key && NameKey(got[k].canonical) != key)) continue;
          used[k] = found = true;
          ++matched;
        }
        if (!found) diffs << where << " missed '" << gp.get<std::string>() << "'\n";
      }
      predicted += got.size();
      for (size_t k = 0; k < got.size(); ++k)
        if (!used[k])
          diffs << where << " spurious '" << got[k].name << "' (" << got[k].canonical << ", "
                << got[k].kind << ", " << got[k].country << ")\n";
    }
  }
  const double p = predicted ? double(matched) / predicted : 0;
  const double r = gold_count ? double(matched) / gold_count : 0;
  const double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
  std::cerr << diffs.str() << "places: gold " << gold_count << ", predicted " << predicted
            << ", matched " << matched << "; P " << p << " R " << r << " F1 " << f1 << "; "
            << apply_ms << " ms for " << bytes << " bytes\n";
  EXPECT_GE(f1, 0.90);
}

}  // namespace
}  // namespace newsevents
