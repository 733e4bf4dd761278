// Synthetic documents and scratch folders for the de-duplicator's tests.
#ifndef NEWSEVENTS_TESTS_DEDUP_TEST_UTIL_H_
#define NEWSEVENTS_TESTS_DEDUP_TEST_UTIL_H_

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/fold.h"
#include "pipeline/record.h"
#include "pipeline/rule_file.h"
#include "pipeline/stage.h"

namespace newsevents::dedup_testing {

// What the extraction stages would have found in one item.
struct ItemSpec {
  std::string text;
  std::string event_start;  // "" = no event date
  std::string event_end;
  std::vector<std::string> days;  // day-precision date mentions
  std::vector<std::pair<std::string, std::string>> places;  // canonical, kind
  std::string country;  // ISO code given to every place
  std::vector<std::pair<std::string, std::vector<std::string>>> orgs;  // name, aliases
  std::vector<std::string> organizers;
};

// A document of the given items, separated by blank lines, with ids set as
// the pipeline sets them (record.h ItemId) before de-duplication.
inline Document MakeDocument(const std::string& name, const std::vector<ItemSpec>& specs) {
  Document doc;
  doc.name = name;
  doc.path = name;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (i) doc.text += "\n\n";
    Item item;
    item.index = i;
    item.span = {doc.text.size(), doc.text.size() + specs[i].text.size()};
    item.body = item.span;
    doc.text += specs[i].text;
    const ItemSpec& s = specs[i];
    if (!s.event_start.empty()) item.event_date = EventDate{s.event_start, s.event_end, "test"};
    for (const std::string& d : s.days) {
      DateMention m;
      m.value = d;
      m.precision = "day";
      item.dates.push_back(m);
    }
    for (const auto& [name, kind] : s.places) {
      Place p;
      p.name = p.canonical = name;
      p.kind = kind;
      p.country = s.country;
      item.places.push_back(p);
    }
    for (const auto& [name, aliases] : s.orgs) {
      Organization o;
      o.name = name;
      o.aliases = aliases;
      item.organizations.push_back(o);
    }
    item.organizers = s.organizers;
    doc.items.push_back(item);
  }
  doc.original = doc.text;
  doc.folded = FoldText(doc.text);
  for (Item& item : doc.items) item.id = ItemId(doc, item);
  return doc;
}

inline StageOptions DefaultOptions() {
  StageOptions o;
  o.root = DataRoot();
  return o;
}

// A fresh folder under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "newsevents-dedup-XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A data root whose models/dedup holds a copy of the real files, dedup.conf
// with `from` replaced by `to` (the first occurrence).
inline StageOptions RootWithConf(const TempDir& dir, const std::string& from,
                                 const std::string& to) {
  namespace fs = std::filesystem;
  const fs::path models = fs::path(dir.path()) / "models" / "dedup";
  fs::create_directories(models);
  fs::copy_file(fs::path(DataRoot()) / "models/dedup/state.sql", models / "state.sql",
                fs::copy_options::overwrite_existing);
  std::ifstream in(fs::path(DataRoot()) / "models/dedup/dedup.conf");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string conf = ss.str();
  if (!from.empty()) {
    const size_t at = conf.find(from);
    if (at == std::string::npos) std::abort();
    conf.replace(at, from.size(), to);
  }
  std::ofstream(models / "dedup.conf") << conf;
  StageOptions o;
  o.root = dir.path();
  return o;
}

}  // namespace newsevents::dedup_testing

#endif  // NEWSEVENTS_TESTS_DEDUP_TEST_UTIL_H_
