#include "pipeline/people.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "pipeline/config_error.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace fs = std::filesystem;

struct PersonStage::Rule {
  std::string name;
  bool list = false;
  size_t min_words = 2;
  std::unique_ptr<RE2> re;
  int group = 0;
};

namespace {

bool IsCoordinator(const std::string& f) { return f == "and" || f == "et" || f == "y" || f == "e"; }

bool NameLikeMixed(std::string_view w) {
  // "McDonald", "MacNeil", "O'Brien", "DeShawn": capitals inside a name.
  return w.rfind("Mc", 0) == 0 || w.rfind("Mac", 0) == 0 || w.rfind("O'", 0) == 0 ||
         w.rfind("De", 0) == 0 || w.rfind("La", 0) == 0;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

PersonStage::PersonStage(const StageOptions& options) {
  const std::string root = options.root.empty() ? DataRoot() : options.root;
  vocab_ = NameVocab::Load(root);
  given_ = GivenNames::Load((fs::path(root) / "models/names/given_names.txt").string());
  screen_ = std::make_unique<RE2::Set>(RulePatternOptions(), RE2::UNANCHORED);
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
      rule.re = CompileRulePattern(expanded, block.file, pat.line);
      const char* group = rule.list ? "list" : "name";
      auto named = rule.re->NamedCapturingGroups();
      auto g = named.find(group);
      if (g == named.end())
        throw ConfigError(block.file, pat.line, std::string("pattern needs a (?P<") + group + ">...) group");
      rule.group = g->second;
      std::string error;
      if (screen_->Add(expanded, &error) < 0)
        throw ConfigError(block.file, pat.line, "pattern does not compile: " + error);
      rules_.push_back(std::move(rule));
    }
  }
  if (!screen_->Compile()) throw ConfigError(root + "/rules", 0, "people rules too large");
}

PersonStage::~PersonStage() = default;

bool PersonStage::ShapeName(const std::vector<NameToken>& t, const std::vector<char>& blocked,
                            size_t first, size_t last, size_t min_words, Range* out) const {
  auto droppable = [&](const NameToken& x) {
    return x.shape == TokenShape::kPunct || x.shape == TokenShape::kLower ||
           vocab_.titles.count(x.folded) || vocab_.roles.count(x.folded) ||
           vocab_.stopwords.count(x.folded);
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
      if (i == first || i == last || !vocab_.particles.count(x.folded)) return false;
      continue;
    }
    if (x.shape == TokenShape::kMixed) {
      if (!NameLikeMixed(std::string_view(x.folded.size() ? x.folded : "")) &&
          !(x.span.size() > 2)) return false;
    } else if (x.shape != TokenShape::kCapitalized) {
      return false;
    }
    if (x.span.size() < 2) return false;  // initials are not handled
    if (vocab_.IsHead(x.folded) || vocab_.event_words.count(x.folded) ||
        vocab_.not_org_words.count(x.folded) || vocab_.roles.count(x.folded) ||
        vocab_.titles.count(x.folded) || vocab_.stopwords.count(x.folded) ||
        vocab_.not_name_words.count(x.folded))
      return false;
    ++words;
  }
  if (words < min_words || words > 5) return false;
  *out = {first, last};
  return true;
}

void PersonStage::Apply(Document& doc) const {
  for (Item& item : doc.items) {
    const std::vector<NameToken> t = TokenizeForNames(doc.text, item.span);
    // Words of organizations, places and dates are no part of a name.
    std::vector<Span> taken;
    std::unordered_set<std::string> not_person;
    for (const Organization& o : item.organizations) {
      for (const Span& m : o.mentions) taken.push_back(m);
      not_person.insert(FoldWord(CollapseSpaces(o.name)));
      for (const std::string& a : o.aliases) not_person.insert(FoldWord(CollapseSpaces(a)));
    }
    for (const Place& p : item.places) {
      for (const Span& m : p.mentions) taken.push_back(m);
      not_person.insert(FoldWord(CollapseSpaces(p.name)));
      if (!p.canonical.empty()) not_person.insert(FoldWord(p.canonical));
    }
    for (const DateMention& d : item.dates) taken.push_back(d.span);
    std::vector<char> blocked(t.size(), 0);
    for (size_t i = 0; i < t.size(); ++i)
      for (const Span& s : taken)
        if (s.Overlaps(t[i].span)) blocked[i] = 1;

    std::vector<Range> found;
    auto add = [&](size_t first, size_t last, size_t min_words) {
      Range r;
      if (ShapeName(t, blocked, first, last, min_words, &r)) found.push_back(r);
    };
    auto tokens_in = [&](Span s, size_t* first, size_t* last) {
      size_t f = t.size(), l = 0;
      for (size_t i = 0; i < t.size(); ++i)
        if (s.Contains(t[i].span)) f = std::min(f, i), l = std::max(l, i);
      if (f > l) return false;
      *first = f;
      *last = l;
      return true;
    };

    // Context rules.
    const std::string_view text = doc.Slice(item.span);
    std::vector<int> hits;
    if (!rules_.empty() && screen_->Match(text, &hits)) {
      std::sort(hits.begin(), hits.end());
      for (int h : hits) {
        const Rule& rule = rules_[static_cast<size_t>(h)];
        const int n = rule.re->NumberOfCapturingGroups() + 1;
        std::vector<re2::StringPiece> g(static_cast<size_t>(n));
        size_t pos = 0;
        while (pos <= text.size() &&
               rule.re->Match(text, pos, text.size(), RE2::UNANCHORED, g.data(), n)) {
          pos = static_cast<size_t>(g[0].data() - text.data()) + std::max<size_t>(g[0].size(), 1);
          const re2::StringPiece grp = g[static_cast<size_t>(rule.group)];
          if (grp.data() == nullptr || grp.empty()) continue;
          const size_t b = item.span.begin + static_cast<size_t>(grp.data() - text.data());
          size_t first, last;
          if (!tokens_in({b, b + grp.size()}, &first, &last)) continue;
          if (!rule.list) {
            add(first, last, rule.min_words);
            continue;
          }
          // "X (TELUQ) and Y (UQAM)": names, bracketed notes, separators.
          size_t i = first;
          while (i <= last) {
            size_t j = i;
            while (j + 1 <= last && t[j + 1].breaks_before == 0 &&
                   (t[j + 1].shape == TokenShape::kCapitalized ||
                    (t[j + 1].shape == TokenShape::kLower && vocab_.particles.count(t[j + 1].folded))))
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
        }
      }
    }

    // Given names followed by capitalized surnames.
    for (size_t i = 0; i < t.size(); ++i) {
      const NameToken& x = t[i];
      if (x.shape != TokenShape::kCapitalized || blocked[i] || !given_.Contains(x.folded)) continue;
      size_t j = i;
      size_t words = 1;
      while (j + 1 < t.size() && words < 5 && t[j + 1].breaks_before == 0) {
        const NameToken& y = t[j + 1];
        if (y.shape == TokenShape::kCapitalized && !blocked[j + 1] && !vocab_.IsHead(y.folded) &&
            !vocab_.roles.count(y.folded) && !vocab_.event_words.count(y.folded) &&
            !vocab_.titles.count(y.folded)) {
          ++j;
          ++words;
          continue;
        }
        if (y.shape == TokenShape::kLower && vocab_.particles.count(y.folded) && j + 2 < t.size() &&
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

    // One person per name; a surname alone is a later mention of a full name.
    std::sort(found.begin(), found.end(), [&](const Range& a, const Range& b) {
      const size_t wa = a.last - a.first, wb = b.last - b.first;
      if ((wa > 0) != (wb > 0)) return wa > 0;  // full names first
      return t[a.first].span.begin < t[b.first].span.begin;
    });
    std::vector<Person> people;
    std::vector<std::string> keys;      // folded full name
    std::vector<std::string> surnames;  // folded last word
    std::vector<size_t> first_at;
    for (const Range& r : found) {
      const Span span{t[r.first].span.begin, t[r.last].span.end};
      const std::string name = CollapseSpaces(doc.AsWritten(span));
      const std::string key = FoldWord(CollapseSpaces(doc.Slice(span)));
      if (not_person.count(key) || not_person.count(FoldWord(name))) continue;
      size_t at = people.size();
      for (size_t p = 0; p < people.size(); ++p) {
        if (keys[p] == key || (r.first == r.last && surnames[p] == t[r.first].folded)) {
          at = p;
          break;
        }
      }
      if (at == people.size()) {
        // A longer name that holds this one, or one this holds: the same person.
        for (size_t p = 0; p < people.size(); ++p) {
          for (const Span& m : people[p].mentions) {
            if (m.Overlaps(span)) at = p;
          }
        }
      }
      if (at == people.size()) {
        people.push_back(Person{name, {}});
        keys.push_back(key);
        surnames.push_back(t[r.last].folded);
        first_at.push_back(span.begin);
      } else if (span.begin < first_at[at] && r.last > r.first) {
        first_at[at] = span.begin;
      }
      bool dup = false;
      for (const Span& m : people[at].mentions) dup |= m.Overlaps(span);
      if (!dup) people[at].mentions.push_back(span);
    }
    for (size_t p = 0; p < people.size(); ++p)
      std::sort(people[p].mentions.begin(), people[p].mentions.end(),
                [](const Span& a, const Span& b) { return a.begin < b.begin; });
    std::vector<size_t> order(people.size());
    for (size_t p = 0; p < order.size(); ++p) order[p] = p;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return people[a].mentions.front().begin < people[b].mentions.front().begin; });
    item.people.clear();
    for (size_t p : order) item.people.push_back(std::move(people[p]));
  }
}

}  // namespace newsevents
