// Test helper: Documents built from corpus/*.txt and corpus/gold/*.gold.json,
// one Item per gold item, so the event-type stage can be measured against the
// gold before (and independently of) the segmenter and the entity stages.
//
// Each gold item is found in its normalized corpus file by its title (or its
// `starts_with` when it has none), searching forward from the previous item;
// the item runs to the next item's start. Its organizations are the gold's,
// with a mention wherever the name or an alias occurs in the item.
#ifndef NEWSEVENTS_TESTS_EVENT_TYPE_GOLD_H_
#define NEWSEVENTS_TESTS_EVENT_TYPE_GOLD_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/document.h"
#include "pipeline/fold.h"
#include "pipeline/normalize.h"
#include "pipeline/rule_file.h"

namespace newsevents::testing {

struct GoldDocument {
  Document doc;
  std::vector<std::string> types;  // gold event_type of each item
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void AddMentions(const std::string& text, Span within, const std::string& name,
                        std::vector<Span>& mentions) {
  if (name.empty()) return;
  size_t pos = within.begin;
  while ((pos = text.find(name, pos)) != std::string::npos && pos + name.size() <= within.end) {
    mentions.push_back({pos, pos + name.size()});
    pos += name.size();
  }
}

inline std::vector<GoldDocument> LoadGoldDocuments(const std::string& root) {
  namespace fs = std::filesystem;
  std::vector<GoldDocument> out;
  std::vector<fs::path> golds;
  for (const auto& e : fs::directory_iterator(fs::path(root) / "corpus" / "gold"))
    if (e.path().string().ends_with(".gold.json")) golds.push_back(e.path());
  std::sort(golds.begin(), golds.end());
  for (const fs::path& g : golds) {
    const nlohmann::json gold = nlohmann::json::parse(ReadAll(g.string()));
    GoldDocument gd;
    Document& doc = gd.doc;
    doc.name = gold["source"].get<std::string>();
    doc.original = ReadAll((fs::path(root) / "corpus" / doc.name).string());
    NormalizeDocument(doc);
    doc.lang = "en";
    const std::string& text = doc.text;

    // Starts of the items first, then their ends (the next start).
    struct Found {
      size_t begin;
      Span title;
    };
    std::vector<Found> found;
    size_t cursor = 0;
    for (const auto& it : gold["items"]) {
      const bool has_title = !it["title"].is_null();
      const std::string anchor = NormalizeText(
          has_title ? it["title"].get<std::string>() : it["starts_with"].get<std::string>());
      size_t at = text.find(anchor, cursor);
      if (at == std::string::npos) at = cursor;  // not found: keep going, will be scored
      found.push_back({at, has_title ? Span{at, at + anchor.size()} : Span{}});
      cursor = at + anchor.size();
      gd.types.push_back(it["event_type"].get<std::string>());
    }
    for (size_t i = 0; i < found.size(); ++i) {
      Item item;
      item.index = i;
      item.lang = "en";
      const size_t end = i + 1 < found.size() ? found[i + 1].begin : text.size();
      item.span = {found[i].begin, std::max(end, found[i].begin)};
      item.title = found[i].title;
      item.body = {item.title.empty() ? item.span.begin : item.title.end, item.span.end};
      for (const auto& o : gold["items"][i]["organizations"]) {
        Organization org;
        org.name = NormalizeText(o["name"].get<std::string>());
        AddMentions(text, item.span, org.name, org.mentions);
        for (const auto& a : o["aliases"]) {
          org.aliases.push_back(NormalizeText(a.get<std::string>()));
          AddMentions(text, item.span, org.aliases.back(), org.mentions);
        }
        std::sort(org.mentions.begin(), org.mentions.end(),
                  [](const Span& a, const Span& b) { return a.begin < b.begin; });
        item.organizations.push_back(std::move(org));
      }
      doc.items.push_back(std::move(item));
    }
    out.push_back(std::move(gd));
  }
  return out;
}

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTS_EVENT_TYPE_GOLD_H_
