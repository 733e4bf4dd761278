#include "pipeline/org_lexicon.h"

#include <fstream>
#include <sstream>

#include "pipeline/config_error.h"

namespace newsevents {
namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, 0, "cannot read file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool IsArticle(std::string_view f) {
  return f == "the" || f == "le" || f == "la" || f == "les" || f == "l'" || f == "el" ||
         f == "los" || f == "las" || f == "'s";
}

}  // namespace

std::string OrgLexicon::TokenKey(const NameToken& token) const {
  if (token.shape == TokenShape::kPunct) return "";
  if (IsArticle(token.folded)) return "";
  const std::string* variant =
      variant_hashes_.MayHold(token.hash) ? variant_of_.Find(token.folded, token.hash) : nullptr;
  std::string k = variant ? *variant : std::string(token.folded);
  if (k.size() > 3 && k.back() == 's' && k[k.size() - 2] != 's') k.pop_back();
  return k;
}

bool OrgLexicon::AppendTokenKey(const NameToken& token, std::string* key) const {
  // TokenKey's steps on a view of the folded word.
  if (token.shape == TokenShape::kPunct || IsArticle(token.folded)) return false;
  const std::string* variant =
      variant_hashes_.MayHold(token.hash) ? variant_of_.Find(token.folded, token.hash) : nullptr;
  std::string_view k = variant ? std::string_view(*variant) : token.folded;
  if (k.size() > 3 && k.back() == 's' && k[k.size() - 2] != 's') k.remove_suffix(1);
  if (k.empty()) return false;
  if (!key->empty()) *key += ' ';
  key->append(k);
  return true;
}

bool OrgLexicon::MayStartKey(const NameToken& token) const {
  // TokenKey's steps on a view of the folded word.
  if (token.shape == TokenShape::kPunct || IsArticle(token.folded)) return false;
  std::string_view k = token.folded;
  uint32_t hash = token.hash;
  if (const std::string* v = variant_hashes_.MayHold(hash) ? variant_of_.Find(k, hash) : nullptr) {
    k = *v;
    hash = WordHash(k);
  }
  if (k.size() > 3 && k.back() == 's' && k[k.size() - 2] != 's') {
    k.remove_suffix(1);
    hash = WordHashWithoutLast(hash, 's');
  }
  return first_word_hashes_.MayHold(hash) && first_words_.Find(k, hash) != nullptr;
}

std::string OrgLexicon::PhraseKey(std::string_view phrase) const {
  std::string key;
  thread_local ItemNameTokens cut;  // its buffers kept from one phrase to the next
  TokenizeForNamesInto(phrase, {0, phrase.size()}, &cut);
  for (const NameToken& t : cut.tokens) AppendTokenKey(t, &key);
  return key;
}

OrgLexicon OrgLexicon::Load(const std::string& entries_tsv, const std::string& variants_tsv) {
  OrgLexicon lex;
  {
    std::istringstream in(ReadAll(variants_tsv));
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty() || line[0] == '#') continue;
      auto cols = SplitTabs(line);
      if (cols.size() != 2 || cols[0].empty() || cols[1].empty())
        throw ConfigError(variants_tsv, line_no, "expected: variant<TAB>canonical");
      lex.variant_of_[FoldWord(cols[0])] = FoldWord(cols[1]);
      lex.variant_hashes_.Add(WordHash(FoldWord(cols[0])));
    }
  }
  std::unordered_map<std::string, int> by_id;
  std::istringstream in(ReadAll(entries_tsv));
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto cols = SplitTabs(line);
    if (cols.size() != 4 || cols[0].empty() || cols[1].empty() || cols[3].empty())
      throw ConfigError(entries_tsv, line_no, "expected: id<TAB>lang<TAB>kind<TAB>form");
    const std::string& id = cols[0];
    const std::string& lang = cols[1];
    const std::string& kind = cols[2];
    const std::string& form = cols[3];
    auto [it, added] = by_id.emplace(id, static_cast<int>(lex.entries_.size()));
    if (added) lex.entries_.push_back(Entry{id, {}, {}});
    const int index = it->second;
    Entry& e = lex.entries_[static_cast<size_t>(index)];
    auto add_key = [&](const std::string& phrase) {
      const std::string key = lex.PhraseKey(phrase);
      if (key.empty()) throw ConfigError(entries_tsv, line_no, "name has no words");
      lex.by_key_.emplace(key, index);
      for (size_t sp = key.find(' '); sp != std::string::npos; sp = key.find(' ', sp + 1))
        lex.prefixes_.insert(key.substr(0, sp));
      lex.prefixes_.insert(key);
      const std::string_view first = std::string_view(key).substr(0, key.find(' '));
      lex.first_words_[first] = 1;
      lex.first_word_hashes_.Add(WordHash(first));
    };
    if (kind == "name") {
      if (!e.name.emplace(lang, form).second)
        throw ConfigError(entries_tsv, line_no, "second name for " + id + " in " + lang);
      add_key(form);
    } else if (kind == "variant") {
      add_key(form);
    } else if (kind == "acronym") {
      e.acronym.emplace(lang, form);
      auto [a, fresh] = lex.by_acronym_.emplace(form, index);
      lex.folded_acronyms_[FoldWord(form)] = 1;
      lex.folded_acronym_hashes_.Add(WordHash(FoldWord(form)));
      if (!fresh && a->second != index)
        throw ConfigError(entries_tsv, line_no, "short form " + form + " already names another body");
      if (WordShape(form) != TokenShape::kAllCaps) lex.by_acronym_folded_.emplace(FoldWord(form), index);
    } else {
      throw ConfigError(entries_tsv, line_no, "unknown kind '" + kind + "' (name, acronym, variant)");
    }
  }
  for (const Entry& e : lex.entries_)
    if (e.name.empty()) throw ConfigError(entries_tsv, 0, "entry " + e.id + " has no name");
  return lex;
}

int OrgLexicon::FindByKey(const std::string& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? -1 : it->second;
}

int OrgLexicon::FindAcronym(std::string_view written) const {
  if (auto it = by_acronym_.find(written); it != by_acronym_.end()) return it->second;
  return by_acronym_folded_.empty() ? -1 : FindInCapitals(written, WordShape(written));
}

int OrgLexicon::FindAcronym(std::string_view written, TokenShape shape) const {
  if (auto it = by_acronym_.find(written); it != by_acronym_.end()) return it->second;
  return FindInCapitals(written, shape);
}

int OrgLexicon::FindAcronym(const NameToken& token, std::string_view written) const {
  // Written so, or in capitals, a short form folds to a folded short form.
  if (!folded_acronym_hashes_.MayHold(token.hash) || !folded_acronyms_.Find(token.folded, token.hash)) return -1;
  return FindAcronym(written, token.shape);
}

int OrgLexicon::FindInCapitals(std::string_view written, TokenShape shape) const {
  // "UN-HABITAT", "EFUS": a mixed-case short form written in capitals.
  if (shape != TokenShape::kAllCaps || by_acronym_folded_.empty()) return -1;
  auto f = by_acronym_folded_.find(FoldWord(written));
  return f == by_acronym_folded_.end() ? -1 : f->second;
}

namespace {
std::string InLang(const std::map<std::string, std::string, std::less<>>& m, std::string_view lang) {
  if (auto it = m.find(lang); it != m.end()) return it->second;
  if (auto it = m.find("en"); it != m.end()) return it->second;
  return m.empty() ? std::string() : m.begin()->second;
}
}  // namespace

std::string OrgLexicon::NameIn(int i, std::string_view lang) const {
  return InLang(entry(i).name, lang);
}

std::string OrgLexicon::AcronymIn(int i, std::string_view lang) const {
  const Entry& e = entry(i);
  if (auto it = e.acronym.find(lang); it != e.acronym.end()) return it->second;
  // A body with no short form in this language keeps none (e.g. World Bank).
  if (e.name.count(std::string(lang))) return "";
  return InLang(e.acronym, lang);
}

}  // namespace newsevents
