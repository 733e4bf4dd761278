// Test helpers for the event-type and event-fact stages: one-item Documents
// built from a headline and a body, normalized as the pipeline would, and
// throwaway rule folders for testing rule loading.
#ifndef NEWSEVENTS_TESTS_EVENT_TEST_UTIL_H_
#define NEWSEVENTS_TESTS_EVENT_TEST_UTIL_H_

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/normalize.h"

namespace newsevents::testing {

// A document holding one item: `title` (may be empty: a headless item), a
// blank line, then `body`.
inline Document OneItemDocument(const std::string& lang, const std::string& title,
                                const std::string& body) {
  Document doc;
  doc.original = title.empty() ? body : title + "\n\n" + body;
  NormalizeDocument(doc);
  doc.lang = lang;
  Item item;
  item.lang = lang;
  item.span = {0, doc.text.size()};
  if (title.empty()) {
    item.body = item.span;
  } else {
    const size_t sep = doc.text.find("\n\n");
    item.title = {0, sep};
    item.body = {sep + 2, doc.text.size()};
  }
  doc.items.push_back(item);
  return doc;
}

// Adds an organization to the document's only item, with a mention at every
// occurrence of each of `surfaces` (the first is its name).
inline void AddOrganization(Document& doc, const std::vector<std::string>& surfaces) {
  Organization org;
  org.name = surfaces.front();
  for (size_t i = 0; i < surfaces.size(); ++i) {
    if (i) org.aliases.push_back(surfaces[i]);
    size_t pos = 0;
    while ((pos = doc.text.find(surfaces[i], pos)) != std::string::npos) {
      org.mentions.push_back({pos, pos + surfaces[i].size()});
      pos += surfaces[i].size();
    }
  }
  doc.items.front().organizations.push_back(std::move(org));
}

// Adds a place with a mention at every occurrence of `name`.
inline void AddPlace(Document& doc, const std::string& name) {
  Place place;
  place.name = name;
  size_t pos = 0;
  while ((pos = doc.text.find(name, pos)) != std::string::npos) {
    place.mentions.push_back({pos, pos + name.size()});
    pos += name.size();
  }
  doc.items.front().places.push_back(std::move(place));
}

// A fresh folder under the system temp dir, removed with the object.
class TempRoot {
 public:
  TempRoot() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("newsevents_event_test_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempRoot() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }
  void Write(const std::string& relative, const std::string& content) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTS_EVENT_TEST_UTIL_H_
