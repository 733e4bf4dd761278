#include "pipeline/name_vocab.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "pipeline/name_tokens.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace fs = std::filesystem;

NameVocab NameVocab::Load(const std::string& root) {
  NameVocab v;
  const fs::path rules = fs::path(root) / "rules";
  std::error_code ec;
  if (fs::is_directory(rules, ec)) {
    for (const auto& e : fs::directory_iterator(rules)) {
      if (!e.is_directory()) continue;
      const std::string lang = e.path().filename().string();
      if (lang == "common") continue;
      v.languages.push_back(lang);
    }
  }
  std::sort(v.languages.begin(), v.languages.end());
  std::vector<std::string> dirs;
  for (const std::string& lang : v.languages) dirs.push_back((rules / lang / "vocab").string());
  dirs.push_back((rules / "common" / "vocab").string());

  for (const std::string& dir : dirs) {
    Vocabulary vocab;
    vocab.LoadDir(dir);
    auto each = [&](const char* name, auto&& fn) {
      if (!vocab.Has(name)) return;
      for (const auto& [surface, value] : vocab.Entries(name)) fn(surface, value);
    };
    each("org_heads", [&](const std::string& s, const std::string& val) {
      Head& h = v.org_heads[FoldWord(s)];
      h.lower_surface = s;
      if (!h.lower_surface.empty() && h.lower_surface[0] >= 'A' && h.lower_surface[0] <= 'Z')
        h.lower_surface[0] = static_cast<char>(h.lower_surface[0] - 'A' + 'a');
      for (size_t start = 0; start <= val.size();) {
        size_t comma = val.find(',', start);
        if (comma == std::string::npos) comma = val.size();
        const std::string flag = val.substr(start, comma - start);
        h.needs_complement |= flag == "of";
        h.opens_name |= flag == "initial";
        h.lower_case |= flag == "lower";
        h.takes_locative |= flag == "locative";
        start = comma + 1;
      }
    });
    each("org_connectors", [&](const std::string& s, const std::string& val) {
      v.connectors.insert(FoldWord(s));
      if (val == "locative") {
        v.locative_connectors.insert(FoldWord(s));
        v.locative_written.insert(s);
      }
    });
    each("org_event_words", [&](const std::string& s, const std::string&) { v.event_words.insert(FoldWord(s)); });
    each("org_not_org_words", [&](const std::string& s, const std::string&) { v.not_org_words.insert(FoldWord(s)); });
    each("org_organs", [&](const std::string& s, const std::string&) {
      std::vector<std::string> words;
      for (const NameToken& tok : TokenizeForNames(s, Span{0, s.size()}).tokens)
        words.emplace_back(tok.folded);
      if (!words.empty()) v.organs.push_back(std::move(words));
    });
    each("name_stopwords", [&](const std::string& s, const std::string&) { v.stopwords.insert(FoldWord(s)); });
    each("name_indefinite", [&](const std::string& s, const std::string&) { v.indefinite.insert(FoldWord(s)); });
    each("org_not_acronyms", [&](const std::string& s, const std::string&) { v.not_acronyms.insert(s); });
    each("person_titles", [&](const std::string& s, const std::string& val) {
      v.titles[FoldWord(s)] = val == "plural";
    });
    each("person_roles", [&](const std::string& s, const std::string&) { v.roles.insert(FoldWord(s)); });
    each("person_not_name_words", [&](const std::string& s, const std::string&) { v.not_name_words.insert(FoldWord(s)); });
    each("name_particles", [&](const std::string& s, const std::string&) { v.particles.insert(FoldWord(s)); });
  }
  v.IndexClasses();
  return v;
}

void NameVocab::IndexClasses() {
  classes_ = WordTable<uint32_t>();
  auto mark = [&](const auto& words, uint32_t bit) {
    for (const auto& w : words) {
      if constexpr (std::is_same_v<std::decay_t<decltype(w)>, std::string>) {
        classes_[w] |= bit;
      } else {
        classes_[w.first] |= bit;
      }
    }
  };
  for (const auto& [word, head] : org_heads) {
    uint32_t c = kHead;
    if (head.needs_complement) c |= kHeadNeedsComplement;
    if (head.opens_name) c |= kHeadOpensName;
    if (head.lower_case) c |= kHeadLowerCase;
    if (head.takes_locative) c |= kHeadTakesLocative;
    classes_[word] |= c;
  }
  mark(connectors, kConnector);
  mark(locative_connectors, kLocativeConnector);
  mark(event_words, kEventWord);
  mark(not_org_words, kNotOrgWord);
  mark(stopwords, kStopword);
  mark(indefinite, kIndefinite);
  mark(titles, kTitle);
  mark(roles, kRole);
  mark(particles, kParticle);
  mark(not_name_words, kNotNameWord);

  // The fingerprint: FNV-1a over the sorted (word, bits) pairs.
  std::vector<std::pair<std::string_view, uint32_t>> sorted;
  classes_.ForEach([&](std::string_view word, uint32_t bits) { sorted.emplace_back(word, bits); });
  std::sort(sorted.begin(), sorted.end());
  uint64_t h = 1469598103934665603ull;
  auto add = [&](unsigned char byte) { h = (h ^ byte) * 1099511628211ull; };
  for (const auto& [word, bits] : sorted) {
    for (char ch : word) add(static_cast<unsigned char>(ch));
    add(0);
    for (int k = 0; k < 4; ++k) add(static_cast<unsigned char>(bits >> (8 * k)));
  }
  fingerprint_ = h == 0 ? 1 : h;  // 0 means "not classified"
}

const std::vector<NameToken>& ClassifiedNameTokens(const Document& doc, Item& item,
                                                   const NameVocab& vocab) {
  const std::shared_ptr<const ItemNameTokens>& have = item.name_tokens;
  if (have && have->span == item.span && have->classified_by == vocab.fingerprint())
    return have->tokens;
  auto cut = std::make_shared<ItemNameTokens>();
  if (have && have->span == item.span) {
    *cut = *have;  // the tokens' views share the folded text
  } else {
    *cut = TokenizeForNames(doc.text, item.span);
  }
  for (NameToken& t : cut->tokens) t.classes = vocab.ClassesOf(t.folded, t.hash);
  cut->classified_by = vocab.fingerprint();
  item.name_tokens = std::move(cut);
  return item.name_tokens->tokens;
}

}  // namespace newsevents
