#include "pipeline/people.h"

#include <algorithm>
#include <bitset>
#include <filesystem>
#include <functional>
#include <memory>
#include <unordered_map>
#include <utility>

#include "pipeline/config_error.h"
#include "pipeline/name_tokens.h"
#include "pipeline/rule_file.h"
#include "pipeline/rule_matcher.h"
#include "pipeline/rule_search.h"

namespace newsevents {
namespace fs = std::filesystem;

struct PersonStage::Rule {
  std::string name;
  bool list = false;
  size_t min_words = 2;
  std::unique_ptr<RuleMatcher> re;
  int group = 0;
};

namespace {

bool IsCoordinator(std::string_view f) { return f == "and" || f == "et" || f == "y" || f == "e"; }

bool NameLikeMixed(std::string_view w) {
  // "McDonald", "MacNeil", "O'Brien", "DeShawn": capitals inside a name.
  return w.rfind("Mc", 0) == 0 || w.rfind("Mac", 0) == 0 || w.rfind("O'", 0) == 0 ||
         w.rfind("De", 0) == 0 || w.rfind("La", 0) == 0;
}

}  // namespace

PersonStage::PersonStage(const StageOptions& options) {
  const std::string root = options.root.empty() ? DataRoot() : options.root;
  vocab_ = NameVocab::Load(root);
  given_ = GivenNames::Load((fs::path(root) / "models/names/given_names.txt").string());
  for (const std::string& lang : vocab_.languages) {
    const fs::path file = fs::path(root) / "rules" / lang / "people.rules";
    std::error_code ec;
    if (!fs::exists(file, ec)) continue;
    Vocabulary vocab;
    vocab.LoadDir((fs::path(root) / "rules" / lang / "vocab").string());
    vocab.LoadDir((fs::path(root) / "rules/common/vocab").string());
    for (const RuleBlock& block : ParseRuleFile(file.string())) {
      block.CheckKeys({"rule", "kind", "pattern", "min_words", "example"});
      Rule rule;
      rule.name = block.name();
      const RuleField& kind = block.Required("kind");
      if (kind.value != "name" && kind.value != "list")
        throw ConfigError(block.file, kind.line, "kind must be name or list, not '" + kind.value + "'");
      rule.list = kind.value == "list";
      const std::string min_words = block.Get("min_words", "");
      if (!min_words.empty()) {
        if (min_words != "1" && min_words != "2" && min_words != "3")
          throw ConfigError(block.file, block.line, "min_words must be 1, 2 or 3");
        rule.min_words = static_cast<size_t>(min_words[0] - '0');
      }
      const RuleField& pat = block.Required("pattern");
      const std::string expanded = vocab.Expand(pat.value, block.file, pat.line);
      rule.re = std::make_unique<RuleMatcher>(expanded, block.file, pat.line);
      const char* group = rule.list ? "list" : "name";
      auto named = rule.re->re().NamedCapturingGroups();
      auto g = named.find(group);
      if (g == named.end())
        throw ConfigError(block.file, pat.line, std::string("pattern needs a (?P<") + group + ">...) group");
      rule.group = g->second;
      search_.Add(lang, expanded, rule.re.get(), rules_.size(), block.file, pat.line);
      rules_.push_back(std::move(rule));
    }
  }
  search_.Compile(root + "/rules/*/people.rules");
}

PersonStage::~PersonStage() = default;

bool PersonStage::ShapeName(const std::vector<NameToken>& t, const std::vector<char>& blocked,
                            size_t first, size_t last, size_t min_words, Range* out) const {
  auto droppable = [&](const NameToken& x) {
    return x.shape == TokenShape::kPunct || x.shape == TokenShape::kLower ||
           (x.classes & (NameVocab::kTitle | NameVocab::kRole | NameVocab::kStopword));
  };
  while (first <= last && droppable(t[first])) ++first;
  while (last >= first && last > 0 && (t[last].shape == TokenShape::kPunct || t[last].folded == "'s"))
    --last;
  if (first > last) return false;
  size_t words = 0;
  for (size_t i = first; i <= last; ++i) {
    const NameToken& x = t[i];
    if (blocked[i]) return false;
    if (i > first && x.breaks_before > 0) return false;
    if (x.shape == TokenShape::kLower) {
      if (i == first || i == last || !(x.classes & NameVocab::kParticle)) return false;
      continue;
    }
    if (x.shape == TokenShape::kMixed) {
      if (!NameLikeMixed(std::string_view(x.folded.size() ? x.folded : "")) &&
          !(x.span.size() > 2)) return false;
    } else if (x.shape != TokenShape::kCapitalized) {
      return false;
    }
    if (x.span.size() < 2) return false;  // initials are not handled
    if (x.classes & (NameVocab::kHead | NameVocab::kEventWord | NameVocab::kNotOrgWord |
                     NameVocab::kRole | NameVocab::kTitle | NameVocab::kStopword |
                     NameVocab::kNotNameWord))
      return false;
    ++words;
  }
  if (words < min_words || words > 5) return false;
  *out = {first, last};
  return true;
}

void PersonStage::Apply(Document& doc) const {
  for (Item& item : doc.items) {
    // Cut by OrganizationStage; people are their last reader.
    ClassifiedNameTokens(doc, item, vocab_);
    const std::shared_ptr<const ItemNameTokens> cut = std::move(item.name_tokens);
    const std::vector<NameToken>& t = cut->tokens;
    // The item's working vectors are kept by the thread from one item to the
    // next: no allocation once warm.
    // Words of organizations, places and dates are no part of a name.
    thread_local std::vector<Span> taken;
    taken.clear();
    for (const Organization& o : item.organizations)
      for (const Span& m : o.mentions) taken.push_back(m);
    for (const Place& p : item.places)
      for (const Span& m : p.mentions) taken.push_back(m);
    for (const DateMention& d : item.dates) taken.push_back(d.span);
    thread_local std::vector<char> blocked;
    blocked.assign(t.size(), 0);
    // In text order, the first token each span reaches is found by walking
    // on from the previous span's (a binary search a span cost ~120
    // instructions): the first token ending after the span's start (or
    // starting at or after it), which only moves on as the starts do.
    std::sort(taken.begin(), taken.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    size_t reached = 0;
    for (const Span& s : taken) {
      while (reached < t.size() && t[reached].span.end <= s.begin && t[reached].span.begin < s.begin) ++reached;
      for (size_t i = reached; i < t.size() && t[i].span.begin < s.end; ++i) blocked[i] = 1;
    }

    thread_local std::vector<Range> found;
    found.clear();
    auto add = [&](size_t first, size_t last, size_t min_words) {
      Range r;
      if (ShapeName(t, blocked, first, last, min_words, &r)) found.push_back(r);
    };
    auto tokens_in = [&](Span s, size_t* first, size_t* last) { return TokensInside(t, s, first, last); };

    // Context rules.
    const std::string_view text = doc.Slice(item.span);
    // Found by an earlier stage (dates); people are their last reader too.
    WordStartsOf(doc, item);
    const std::shared_ptr<const ItemWordStarts> words = std::move(item.word_starts);
    auto on_match = [&](size_t h, const re2::StringPiece* g) {
      const Rule& rule = rules_[h];
      const re2::StringPiece grp = g[static_cast<size_t>(rule.group)];
      if (grp.data() == nullptr || grp.empty()) return;
      const size_t b = item.span.begin + static_cast<size_t>(grp.data() - text.data());
      size_t first, last;
      if (!tokens_in({b, b + grp.size()}, &first, &last)) return;
      if (!rule.list) {
        add(first, last, rule.min_words);
        return;
      }
      // "X (TELUQ) and Y (UQAM)": names, bracketed notes, separators.
      size_t i = first;
      while (i <= last) {
        size_t j = i;
        while (j + 1 <= last && t[j + 1].breaks_before == 0 &&
               (t[j + 1].shape == TokenShape::kCapitalized ||
                (t[j + 1].shape == TokenShape::kLower && (t[j + 1].classes & NameVocab::kParticle))))
          ++j;
        if (t[i].shape != TokenShape::kCapitalized) break;
        add(i, j, 2);
        size_t k = j + 1;
        if (k <= last && t[k].is_punct('(')) {
          while (k <= last && !t[k].is_punct(')')) ++k;
          ++k;
        }
        if (k <= last && t[k].is_punct(',')) ++k;
        if (k <= last && IsCoordinator(t[k].folded)) ++k;
        if (k == j + 1 || k > last) break;
        i = k;
      }
    };
    // By reference: a std::function holds that without an allocation.
    search_.ForEachMatch(item.lang, text, *words, std::ref(on_match));

    // Given names followed by capitalized surnames.
    for (size_t i = 0; i < t.size(); ++i) {
      const NameToken& x = t[i];
      if (x.shape != TokenShape::kCapitalized || blocked[i] || !given_.Contains(x.folded, x.hash)) continue;
      size_t j = i;
      size_t words = 1;
      while (j + 1 < t.size() && words < 5 && t[j + 1].breaks_before == 0) {
        const NameToken& y = t[j + 1];
        // A surname may hold a capital inside: "Karyn McCluskey", "Ann O'Brien".
        const bool surname_shape = y.shape == TokenShape::kCapitalized ||
                                   (y.shape == TokenShape::kMixed && NameLikeMixed(doc.Slice(y.span)));
        if (surname_shape && !blocked[j + 1] &&
            !(y.classes & (NameVocab::kHead | NameVocab::kRole | NameVocab::kEventWord | NameVocab::kTitle))) {
          ++j;
          ++words;
          continue;
        }
        if (y.shape == TokenShape::kLower && (y.classes & NameVocab::kParticle) && j + 2 < t.size() &&
            t[j + 2].shape == TokenShape::kCapitalized && t[j + 2].breaks_before == 0) {
          ++j;
          continue;
        }
        break;
      }
      // Followed by more capitalized words, it is part of a longer phrase
      // ("the German Crime Congress"), not a name.
      if (j > i && j + 1 < t.size() && t[j + 1].breaks_before == 0 && !blocked[j + 1] &&
          t[j + 1].is_upper_initial()) {
        i = j;
        continue;
      }
      if (j > i) add(i, j, 2);
      i = j;
    }

    // Overlapping finds are one mention: keep the earliest, then longest.
    std::sort(found.begin(), found.end(), [&](const Range& a, const Range& b) {
      if (a.first != b.first) return a.first < b.first;
      return a.last > b.last;
    });
    thread_local std::vector<Range> mentions;
    mentions.clear();
    for (const Range& r : found) {
      if (!mentions.empty() && r.first <= mentions.back().last) continue;
      mentions.push_back(r);
    }
    // One person per name; a surname alone is a later mention of a full name.
    std::stable_sort(mentions.begin(), mentions.end(), [](const Range& a, const Range& b) {
      return (a.last > a.first) > (b.last > b.first);  // full names first, in text order
    });
    // Each mention's name as written and the two folded forms compared with
    // the names no person may have.
    struct Keys {
      std::string name, key, name_key;
    };
    std::vector<Keys> keys(mentions.size());
    std::bitset<256> first_bytes;  // of the folded forms
    bool empty_key = false;
    for (size_t m = 0; m < mentions.size(); ++m) {
      const Span span{t[mentions[m].first].span.begin, t[mentions[m].last].span.end};
      keys[m].name = CollapseNameSpaces(doc.AsWritten(span));
      keys[m].key = FoldWord(CollapseNameSpaces(doc.Slice(span)));
      keys[m].name_key = FoldWord(keys[m].name);
      for (const std::string* k : {&keys[m].key, &keys[m].name_key}) {
        if (k->empty()) empty_key = true;
        else first_bytes.set(static_cast<unsigned char>((*k)[0]));
      }
    }
    // Whether `s` folded (FoldWord, after CollapseNameSpaces when `collapse`)
    // may equal a mention's folded form: an ASCII first byte (leading white
    // space dropped by collapsing) folds to its lower case, the first byte of
    // the fold, which must then open one of them. Most names of an item are
    // so left unfolded.
    auto may_equal_a_key = [&](std::string_view s, bool collapse) {
      if (empty_key) return true;
      size_t i = 0;
      if (collapse)
        while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
      if (i == s.size()) return false;  // folds to "", which no key is
      const auto b = static_cast<unsigned char>(s[i]);
      if (b >= 0x80) return true;
      return first_bytes.test(b >= 'A' && b <= 'Z' ? b + 32 : b);
    };
    // Names no person may have: the item's organizations and places, folded
    // (only for an item where a name was found, and only those that may equal
    // a mention's), sorted. The strings are kept by the thread from one item
    // to the next: no allocation once warm.
    thread_local std::vector<std::string> not_person_keys;
    size_t not_person_count = 0;
    auto not_person_slot = [&]() -> std::string* {
      if (not_person_count == not_person_keys.size()) not_person_keys.emplace_back();
      return &not_person_keys[not_person_count++];
    };
    auto add_name = [&](std::string_view s) {
      if (may_equal_a_key(s, true)) FoldNameInto(s, not_person_slot());
    };
    if (!mentions.empty()) {
      for (const Organization& o : item.organizations) {
        add_name(o.name);
        for (const std::string& a : o.aliases) add_name(a);
      }
      for (const Place& p : item.places) {
        add_name(p.name);
        if (!p.canonical.empty() && may_equal_a_key(p.canonical, false))
          FoldWordInto(p.canonical, not_person_slot());
      }
    }
    const auto not_person_end = not_person_keys.begin() + static_cast<std::ptrdiff_t>(not_person_count);
    std::sort(not_person_keys.begin(), not_person_end);
    auto not_person = [&](const std::string& key) {
      return std::binary_search(not_person_keys.begin(), not_person_end, key);
    };
    thread_local std::vector<Person> people;
    thread_local std::unordered_map<std::string, size_t> by_key, by_surname;
    people.clear();
    by_key.clear();
    by_surname.clear();
    for (size_t m = 0; m < mentions.size(); ++m) {
      const Range& r = mentions[m];
      const Span span{t[r.first].span.begin, t[r.last].span.end};
      const std::string& name = keys[m].name;
      const std::string& key = keys[m].key;
      if (not_person(key) || not_person(keys[m].name_key)) continue;
      size_t at = people.size();
      if (auto k = by_key.find(key); k != by_key.end()) {
        at = k->second;
      } else if (r.first == r.last) {
        if (auto s2 = by_surname.find(std::string(t[r.first].folded)); s2 != by_surname.end()) at = s2->second;
      }
      if (at == people.size()) {
        people.push_back(Person{name, {}});
        by_key.emplace(key, at);
        if (r.last > r.first) by_surname.emplace(t[r.last].folded, at);
      }
      people[at].mentions.push_back(span);
    }
    for (size_t p = 0; p < people.size(); ++p)
      std::sort(people[p].mentions.begin(), people[p].mentions.end(),
                [](const Span& a, const Span& b) { return a.begin < b.begin; });
    thread_local std::vector<size_t> order;
    order.resize(people.size());
    for (size_t p = 0; p < order.size(); ++p) order[p] = p;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return people[a].mentions.front().begin < people[b].mentions.front().begin; });
    item.people.clear();
    for (size_t p : order) item.people.push_back(std::move(people[p]));
  }
}

}  // namespace newsevents
