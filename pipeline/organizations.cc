#include "pipeline/organizations.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <map>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "pipeline/acronyms.h"
#include "pipeline/config_error.h"
#include "pipeline/name_tokens.h"
#include "pipeline/rule_file.h"
#include "pipeline/rule_matcher.h"
#include "pipeline/rule_search.h"

namespace newsevents {
namespace fs = std::filesystem;

struct OrganizationStage::Rule {
  std::string name;
  std::string kind;      // name, list, veto
  std::string tmpl;      // for lists: "Government of {}"
  std::unique_ptr<RuleMatcher> re;
  int group = 0;         // index of the `name` / `list` group
};

// Token range [first, last] of a capitalized phrase.
struct OrganizationStage::Chunk {
  size_t first = 0;
  size_t last = 0;
};

// Its texts are views into the document or into the TextArena of the
// document's candidates: most candidates are dropped or merged, and only the
// names and aliases emitted are made strings.
struct OrganizationStage::Candidate {
  Span span;
  std::string_view text;        // as written, cleaned
  bool acronym = false;
  int lexicon = -1;
  int group = -1;               // long and short form of one definition
  std::string_view link;        // a short form this one extends ("USLab" for "USLab-Montreal")
  std::string_view fixed_name;  // a name made by a rule template ("Government of Canada")
  std::string_view key;         // lexicon key of the name (OrgLexicon), "" for short forms
  std::string_view alias;       // another long form of a definition, when has_alias
  bool has_alias = false;
  enum Origin { kDefinition, kLexicon, kShortForm, kPhrase, kRule, kListItem } origin = kPhrase;
};

struct OrganizationStage::DocDefinitions {
  struct Def {
    std::string long_name;  // "" when only the short form is known
    std::string long_key;
    std::string alternate;
    bool is_org = true;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Def, StringHash, std::equal_to<>> by_short;
  // Bit WordHash(FoldWord(sf)) % kBits of every short form defined: nearly
  // every capitalized word is asked about, and few are one.
  static constexpr size_t kBits = 1024;
  uint64_t folded_hashes[kBits / 64] = {};

  void Add(const std::string& sf, const Def& def) {
    auto [it, fresh] = by_short.emplace(sf, def);
    if (!fresh && it->second.long_name.empty() && !def.long_name.empty()) it->second = def;
    const uint32_t h = WordHash(FoldWord(sf)) % kBits;
    folded_hashes[h / 64] |= uint64_t{1} << (h % 64);
  }
  const Def* Find(std::string_view sf) const {
    if (by_short.empty()) return nullptr;  // most documents define no short form
    auto it = by_short.find(sf);
    return it == by_short.end() ? nullptr : &it->second;
  }
  // Find(written) for the token `t` written so.
  const Def* Find(const NameToken& t, std::string_view written) const {
    const uint32_t h = t.hash % kBits;
    if (!(folded_hashes[h / 64] >> (h % 64) & 1)) return nullptr;
    return Find(written);
  }
};

namespace {

// Short closed word lists, asked of nearly every token: compared byte by byte
// after a length test (a string compare per entry costs a memcmp call each).
using namespace std::string_view_literals;

// Whether f is one of `words`, all of length N.
template <size_t N, size_t K>
bool AnyOf(std::string_view f, const char (&words)[K][N + 1]) {
  if (f.size() != N) return false;
  for (const char* w : words) {
    bool same = true;
    for (size_t k = 0; k < N; ++k) same &= f[k] == w[k];
    if (same) return true;
  }
  return false;
}

bool IsArticle(std::string_view f) {
  static constexpr char k2[][3] = {"la", "le", "l'", "el"};
  static constexpr char k3[][4] = {"the", "les", "los", "las"};
  return AnyOf<2>(f, k2) || AnyOf<3>(f, k3);
}
bool IsCoordinator(std::string_view f) {
  static constexpr char k1[][2] = {"y", "e"};
  static constexpr char k2[][3] = {"et"};
  static constexpr char k3[][4] = {"and"};
  return AnyOf<1>(f, k1) || AnyOf<2>(f, k2) || AnyOf<3>(f, k3);
}
bool IsOfWord(std::string_view f) {
  static constexpr char k2[][3] = {"of", "de", "du", "d'"};
  static constexpr char k3[][4] = {"del", "des"};
  return AnyOf<2>(f, k2) || AnyOf<3>(f, k3);
}
// Is t[first..last] a body's organ named with the body: "ICPC Board of
// Directors", "Consejo de Administración del CIPC", "ICPC Board"? The body is
// found on its own; its organ is not another body (SCHEMA.md lists the body
// once). A one-word organ ("Board") counts only with a short form beside it:
// "Toronto Police Services Board" and "Board of Police Commissioners" are
// bodies of their own.
bool IsOrganOfBody(const NameVocab& vocab, const std::vector<NameToken>& t, size_t first,
                   size_t last) {
  const size_t n = last - first + 1;
  auto same = [&](const std::vector<std::string>& organ, size_t at) {
    for (size_t k = 0; k < organ.size(); ++k)
      if (t[at + k].folded != organ[k]) return false;
    return true;
  };
  for (const std::vector<std::string>& organ : vocab.organs) {
    const size_t m = organ.size();
    if (m >= n) continue;
    // Organ first: "Board of Directors of the ICPC", "conseil d'administration du CIPC".
    if (same(organ, first) && IsOfWord(t[first + m].folded)) {
      size_t body = first + m + 1;
      if (body <= last && IsArticle(t[body].folded)) ++body;
      if (m >= 2 || (body == last && t[body].shape == TokenShape::kAllCaps)) return true;
    }
    // Body first: "ICPC Board of Directors", "the ICPC's Board".
    if (same(organ, last - m + 1)) {
      size_t body_last = last - m;
      if (body_last > first && t[body_last].folded == "'s") --body_last;
      if (body_last == first && t[first].shape == TokenShape::kAllCaps) return true;
    }
  }
  return false;
}

// "of", "for" and their French and Spanish kin after a word left in lower case
// inside a name ("Department of Public security of the ...").
bool IsComplementWord(std::string_view f) {
  static constexpr char k2[][3] = {"of", "de", "du"};
  static constexpr char k3[][4] = {"for", "del"};
  static constexpr char k4[][5] = {"pour", "para"};
  return AnyOf<2>(f, k2) || AnyOf<3>(f, k3) || AnyOf<4>(f, k4);
}

// Whitespace collapsed, a leading article dropped: a view of `s` itself
// when it is single-spaced (most names), else of its collapsed copy in `arena`.
std::string_view CleanName(std::string_view s, TextArena& arena) {
  thread_local std::string collapsed;
  std::string_view out = CollapseNameSpaces(s, &collapsed);
  if (out.data() != s.data()) out = arena.Copy(out);
  static constexpr std::string_view kArticles[] = {"the ", "The ", "THE ", "la ", "La ", "le ",
                                                   "Le ",  "el ",  "El ",  "los ", "Los ", "las ",
                                                   "Las ", "les ", "Les ", "l'",  "L'",  "l’", "L’"};
  // Every article starts with one of "tTlLeE": most names need no compare.
  const char first = out.empty() ? '\0' : static_cast<char>(out[0] | 0x20);
  if (first != 't' && first != 'l' && first != 'e') return out;
  for (std::string_view a : kArticles) {
    if (out.size() > a.size() + 1 && out.compare(0, a.size(), a) == 0) {
      out.remove_prefix(a.size());
      break;
    }
  }
  return out;
}

std::string_view Written(const Document& doc, Span s, TextArena& arena) {
  return CleanName(doc.AsWritten(s), arena);
}

bool IsRomanNumeral(std::string_view w) {
  for (char c : w)
    if (std::string_view("IVXLCDM").find(c) == std::string_view::npos) return false;
  return true;
}

// Whether two ASCII texts are equal but for the case of their letters.
bool AsciiEqualButCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    char x = a[k], y = b[k];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

Span RangeSpan(const std::vector<NameToken>& t, size_t first, size_t last) {
  return {t[first].span.begin, t[last].span.end};
}


}  // namespace

OrganizationStage::OrganizationStage(const StageOptions& options) {
  const std::string root = options.root.empty() ? DataRoot() : options.root;
  vocab_ = NameVocab::Load(root);
  lexicon_ = OrgLexicon::Load((fs::path(root) / "models/orgs/organizations.tsv").string(),
                              (fs::path(root) / "models/orgs/spelling_variants.tsv").string());
  given_ = GivenNames::Load((fs::path(root) / "models/names/given_names.txt").string());

  for (const std::string& lang : vocab_.languages) {
    const fs::path file = fs::path(root) / "rules" / lang / "organizations.rules";
    std::error_code ec;
    if (!fs::exists(file, ec)) continue;
    Vocabulary vocab;
    vocab.LoadDir((fs::path(root) / "rules" / lang / "vocab").string());
    vocab.LoadDir((fs::path(root) / "rules/common/vocab").string());
    for (const RuleBlock& block : ParseRuleFile(file.string())) {
      block.CheckKeys({"rule", "kind", "pattern", "template", "example"});
      Rule rule;
      rule.name = block.name();
      rule.kind = block.Required("kind").value;
      if (rule.kind != "name" && rule.kind != "list" && rule.kind != "veto")
        throw ConfigError(block.file, block.Required("kind").line,
                          "kind must be name, list or veto, not '" + rule.kind + "'");
      rule.tmpl = block.Get("template");
      if (!rule.tmpl.empty() && rule.tmpl.find("{}") == std::string::npos)
        throw ConfigError(block.file, block.line, "template needs {} where the list item goes");
      const RuleField& pat = block.Required("pattern");
      const std::string expanded = vocab.Expand(pat.value, block.file, pat.line);
      rule.re = std::make_unique<RuleMatcher>(expanded, block.file, pat.line);
      const char* group = rule.kind == "list" ? "list" : "name";
      auto named = rule.re->re().NamedCapturingGroups();
      auto g = named.find(group);
      if (g == named.end())
        throw ConfigError(block.file, pat.line,
                          std::string("pattern needs a (?P<") + group + ">...) group");
      rule.group = g->second;
      search_.Add(lang, expanded, rule.re.get(), rules_.size(), block.file, pat.line);
      rules_.push_back(std::move(rule));
    }
  }
  search_.Compile(root + "/rules/*/organizations.rules");
}

OrganizationStage::~OrganizationStage() = default;

std::vector<OrganizationStage::Chunk> OrganizationStage::FindChunks(
    std::string_view text, const std::vector<NameToken>& t, const std::vector<char>& dated) const {
  std::vector<Chunk> chunks;
  size_t i = 0;
  while (i < t.size()) {
    // "le ministère de la Sécurité publique du Québec": French and Spanish
    // write some head words in lower case; one followed by "de" and a capital
    // opens a name.
    bool lower_head = false;
    // The cheap tests first: most lower-case words are no head.
    if (t[i].shape == TokenShape::kLower && (t[i].classes & NameVocab::kHeadLowerCase) &&
        i + 2 < t.size() && IsOfWord(t[i + 1].folded)) {
      auto h = vocab_.org_heads.find(std::string(t[i].folded));
      if (h != vocab_.org_heads.end() && h->second.lower_case &&
          text.substr(t[i].span.begin, t[i].span.size()) == h->second.lower_surface) {
        size_t q = i + 2;
        while (q < t.size() && IsArticle(t[q].folded)) ++q;
        lower_head = q < t.size() && t[q].is_upper_initial() && t[q].breaks_before == 0;
      }
    }
    if ((!t[i].is_upper_initial() && !lower_head) || dated[i]) {
      ++i;
      continue;
    }
    size_t last = i;
    size_t connectors = 0;
    size_t k = i + 1;
    for (; k < t.size(); ++k) {
      const NameToken& x = t[k];
      if (x.breaks_before >= 2) break;
      const bool connector = (x.shape == TokenShape::kLower &&
                              ((x.classes & NameVocab::kConnector) || x.folded == "'s"sv)) ||
                             (x.is_punct('&') && k + 1 < t.size() && t[k + 1].is_upper_initial());
      if (dated[k]) break;  // "Ministry of the Interior on May 3" 
      // A line may break inside a name only before a connector
      // ("International Centre\nfor the Prevention of Crime").
      if (x.breaks_before == 1 && !connector) break;
      if (x.sentence_start && x.breaks_before == 0) break;
      if (x.is_upper_initial()) {
        last = k;
        connectors = 0;
        continue;
      }
      // An article follows a connector ("of the"), never a capital word
      // ("... Programme Network the ICPC was invited").
      if (IsArticle(x.folded) && t[k - 1].is_upper_initial() && !(t[k - 1].classes & NameVocab::kConnector))
        break;
      // "Université du Québec à Montréal", "Embajada de Canadá en el Perú":
      // only heads marked so take a place after "à"/"en", not "ONU-Habitat
      // à Nairobi", "Ville de Medellín à Montréal", "Policía Nacional del
      // Perú en Lima".
      if (connector && (x.classes & NameVocab::kLocativeConnector)) {
        if (!vocab_.locative_written.count(std::string(text.substr(x.span.begin, x.span.size()))))
          break;
        bool head_before = false;
        for (size_t q = i; q < k && !head_before; ++q) {
          head_before = (t[q].classes & NameVocab::kHeadTakesLocative) != 0;
        }
        if (!head_before) break;
      }
      if (connector && ++connectors <= 3) continue;
      // French and Spanish write a body's name in sentence case after its
      // head: "École nationale de police du Québec", "Préfecture de police
      // de Paris", "Laboratoire de sécurité urbaine de Montréal". Lower-case
      // words right after an opening head go on with the name when a
      // complement "de/du (la) Capital" closes them within a few words; a
      // verb or a determiner ("Centre accueille des élus du Québec") stops it.
      if (x.shape == TokenShape::kLower && x.breaks_before == 0 &&
          (OpensNameAt(t, k - 1) || (IsOfWord(t[k - 1].folded) && k >= 2 && OpensNameAt(t, k - 2)))) {
        const size_t close = SentenceCaseRunEnd(t, k);
        if (close != 0) {
          k = close;  // the of-word; the loop goes on with its complement
          connectors = 0;
          continue;
        }
      }
      // A word left in lower case inside a body's name, between a capital and
      // "of" ("Department of Public security of the Organization...").
      const bool after_head_of = k >= 2 && IsOfWord(t[k - 1].folded) && (t[k - 2].classes & NameVocab::kHead);
      if (x.shape == TokenShape::kLower && (t[k - 1].is_upper_initial() || after_head_of) &&
          k + 2 < t.size() &&
          IsComplementWord(t[k + 1].folded) &&
          t[k + 1].breaks_before == 0) {
        size_t after = k + 2;
        while (after < t.size() && IsArticle(t[after].folded)) ++after;
        bool head_before = false;
        for (size_t q = i; q < k; ++q) head_before |= IsHeadAt(t, q, k - 1) || (t[q].classes & NameVocab::kHead);
        if (after < t.size() && t[after].is_upper_initial() && head_before) {
          connectors = 0;
          continue;
        }
      }
      // "University of Paris 1 - Panthéon Sorbonne"
      if (x.shape == TokenShape::kNumber && k == last + 1 && k + 2 < t.size() && t[k + 1].is_punct('-') &&
          t[k + 2].is_upper_initial() && t[k + 2].breaks_before == 0) {
        last = k + 2;
        k += 2;
        connectors = 0;
        continue;
      }
      break;
    }
    size_t first = i;
    // Sentence openers are no part of a name ("During", "The").
    while (first <= last && t[first].sentence_start && (t[first].classes & NameVocab::kStopword)) ++first;
    if (!lower_head)
      while (first <= last && (t[first].shape == TokenShape::kLower)) ++first;
    if (first <= last) chunks.push_back({first, last});
    i = last + 1;
  }
  return chunks;
}

std::string_view OrganizationStage::KeyIn(const std::vector<NameToken>& t, size_t first, size_t last,
                                          TextArena& arena, int* lexicon) const {
  thread_local std::string key;
  key.clear();
  for (size_t i = first; i <= last; ++i) lexicon_.AppendTokenKey(t[i], &key);
  *lexicon = lexicon_.FindByKey(key);
  return arena.Copy(key);
}

int OrganizationStage::LexiconAt(const std::vector<NameToken>& t, size_t first, size_t last) const {
  thread_local std::string key;  // its buffer kept from one call to the next
  key.clear();
  for (size_t i = first; i <= last; ++i) lexicon_.AppendTokenKey(t[i], &key);
  return key.empty() ? -1 : lexicon_.FindByKey(key);
}

bool OrganizationStage::IsOrgDefinition(const Document& doc, const std::vector<NameToken>& t,
                                        Span long_form, std::string_view short_form) const {
  if (lexicon_.FindAcronym(short_form) >= 0) return true;
  size_t first, last;
  if (!TokensInside(t, long_form, &first, &last)) return true;
  if (LexiconAt(t, first, last) >= 0) return true;
  // "crime prevention through environmental design (CPTED)": a long form all
  // in lower case names a method or a notion, not a body.
  bool capital = false;
  for (size_t i = first; i <= last && !capital; ++i) capital = t[i].is_upper_initial();
  if (!capital) return false;
  bool head = false;
  for (size_t i = first; i <= last; ++i) {
    if (!t[i].is_upper_initial()) continue;
    if (t[i].classes & NameVocab::kEventWord) return false;
    head |= (t[i].classes & NameVocab::kHead) != 0;
  }
  size_t last_word = last;
  while (last_word > first && !t[last_word].is_word()) --last_word;
  if (t[last_word].classes & NameVocab::kNotOrgWord) return false;
  return true;
}

bool OrganizationStage::OpensNameAt(const std::vector<NameToken>& t, size_t p) const {
  const uint32_t c = t[p].classes;
  if (!(c & NameVocab::kHead) || !(c & (NameVocab::kHeadOpensName | NameVocab::kHeadNeedsComplement)))
    return false;
  return t[p].is_upper_initial() || (t[p].shape == TokenShape::kLower && (c & NameVocab::kHeadLowerCase));
}

size_t OrganizationStage::SentenceCaseRunEnd(const std::vector<NameToken>& t, size_t k) const {
  enum { kContent, kOf, kArticle, kConnector } prev = kOf;
  size_t content = 0;
  for (size_t q = k; q < t.size() && q < k + 8; ++q) {
    const NameToken& y = t[q];
    if (y.breaks_before != 0 || y.sentence_start) return 0;
    if (IsOfWord(y.folded)) {
      size_t after = q + 1;
      while (after < t.size() && IsArticle(t[after].folded)) ++after;
      if (q > k && after < t.size() && t[after].is_upper_initial() && t[after].breaks_before == 0)
        return q;
      // "des", "du" after a content word are determiners, not a complement.
      if (prev == kContent && (y.folded == "des"sv || y.folded == "du"sv)) return 0;
      prev = kOf;
      continue;
    }
    if (IsArticle(y.folded)) {
      if (prev != kOf) return 0;
      prev = kArticle;
      continue;
    }
    if (y.shape != TokenShape::kLower) return 0;
    if (y.classes & NameVocab::kConnector) {
      if ((y.classes & NameVocab::kLocativeConnector) || prev == kConnector) return 0;
      prev = kConnector;
      continue;
    }
    if ((y.classes & NameVocab::kStopword) || y.folded.size() < 3 || ++content > 3) return 0;
    prev = kContent;
  }
  return 0;
}

bool OrganizationStage::IsHeadAt(const std::vector<NameToken>& t, size_t p, size_t last) const {
  const uint32_t c = t[p].classes;
  if (!(c & NameVocab::kHead)) return false;
  // Lower case only for heads marked so ("le ministère de la ...").
  if (t[p].shape != TokenShape::kCapitalized && t[p].shape != TokenShape::kAllCaps &&
      !(t[p].shape == TokenShape::kLower && (c & NameVocab::kHeadLowerCase)))
    return false;
  const bool complement = p + 2 <= last && IsOfWord(t[p + 1].folded) && t[p + 2].is_upper_initial();
  if (c & NameVocab::kHeadNeedsComplement) return complement;
  if ((c & NameVocab::kHeadOpensName) || p == last) return true;
  // English order: the head ends the name or opens its complement.
  return t[p + 1].shape == TokenShape::kLower &&
         ((t[p + 1].classes & NameVocab::kConnector) || t[p + 1].folded == "'s"sv);
}

void OrganizationStage::AddChunkCandidates(const Document& doc, const std::vector<NameToken>& t,
                                           const Chunk& c, TextArena& arena,
                                           std::vector<Candidate>& out) const {
  auto has_head = [&](size_t first, size_t last) {
    for (size_t p = first; p <= last; ++p)
      if (IsHeadAt(t, p, last)) return true;
    return false;
  };
  auto words = [&](size_t first, size_t last) {
    size_t n = 0;
    for (size_t p = first; p <= last; ++p) n += t[p].is_word() && t[p].shape != TokenShape::kLower;
    return n;
  };
  auto emit = [&](size_t first, size_t last) {
    while (first <= last && !(t[first].classes & NameVocab::kHead) &&
           (t[first].shape == TokenShape::kLower || !t[first].is_word()))
      ++first;
    if (first > last || words(first, last) < 2) return;
    if (!vocab_.organs.empty() && IsOrganOfBody(vocab_, t, first, last)) return;
    Candidate& cand = out.emplace_back();
    cand.span = RangeSpan(t, first, last);
    cand.text = Written(doc, cand.span, arena);
    cand.key = KeyIn(t, first, last, arena, &cand.lexicon);
  };

  bool has_event = false;
  for (size_t p = c.first; p <= c.last; ++p)
    has_event |= t[p].is_upper_initial() && (t[p].classes & NameVocab::kEventWord);
  const bool indefinite = c.first > 0 && (t[c.first - 1].classes & NameVocab::kIndefinite);
  // "National Crime Prevention Strategy" is a document; "Faculty of Law" is
  // a body whose complement happens to be a document word.
  const bool document_word = (t[c.last].classes & NameVocab::kNotOrgWord) &&
                             !(c.last > c.first && t[c.last - 1].shape == TokenShape::kLower);

  bool whole = false;
  if (!has_event && !indefinite && !document_word && has_head(c.first, c.last)) {
    whole = true;
    // "Principal Consultant for the Senegalese National Gendarmerie": what
    // comes before the connectors that precede the first head is a role or a
    // description, not part of the body's name.
    size_t start = c.first;
    size_t first_head = c.first;
    while (first_head <= c.last && !IsHeadAt(t, first_head, c.last)) ++first_head;
    for (size_t p = c.first; p < first_head; ++p)
      if (t[p].shape == TokenShape::kLower) start = p + 1;
    // "University of Montreal and McGill University", "Bordeaux and the
    // Réseau Virage", "Fundación Pasos Libres and IBM": two names.
    for (size_t p = start + 1; p < c.last; ++p) {
      if (!IsCoordinator(t[p].folded)) continue;
      size_t right = p + 1;
      const bool article = right <= c.last && IsArticle(t[right].folded);
      // "et de la Ville de Montréal": connectors before the second name.
      while (right <= c.last && t[right].shape == TokenShape::kLower) ++right;
      if (right > c.last) break;
      const bool left_head = has_head(start, p - 1);
      // The right side names a body of its own only if its head comes before
      // any connector ("McGill University"), not inside a complement
      // ("Criminal Justice of the United Nations Office on ...").
      bool right_head = false;
      for (size_t q = right; q <= c.last && !right_head; ++q) {
        if (t[q].shape == TokenShape::kLower) break;
        right_head = IsHeadAt(t, q, c.last);
      }
      // "Criminal Analysis Department and the Community Policing programme":
      // after a complete head-final name, "and the" starts another phrase.
      const bool left_complete = IsHeadAt(t, p - 1, p - 1) && t[p - 1].shape == TokenShape::kCapitalized;
      if (article && left_complete && !right_head) {
        emit(start, p - 1);
        start = c.last + 1;
        break;
      }
      const bool right_short = right == c.last && (t[right].shape == TokenShape::kAllCaps ||
                                                   t[right].shape == TokenShape::kMixed);
      if ((left_head && right_head) || (article && right_head) || (left_head && right_short)) {
        if (left_head) emit(start, p - 1);
        if (right_short) {
          start = c.last + 1;  // the short form is found on its own
          break;
        }
        start = right;
      }
    }
    if (start <= c.last) emit(start, c.last);
  }
  // "Department of Public Security of the Organization of American States":
  // the body after "of the" is named too; "Alberto Hurtado University's
  // Faculty of Law": so is the one before "'s". Not a city named by a head
  // that needs its complement ("Service de police de la Ville de Montréal"):
  // there the city only says whose service it is, as a place would.
  for (size_t p = c.first + 1; p < c.last; ++p) {
    const std::string_view f = t[p].folded;
    if (f == "'s"sv) {
      if (whole && IsHeadAt(t, p + 1, c.last) && has_head(c.first, p - 1)) emit(c.first, p - 1);
      continue;
    }
    if (!IsOfWord(f) || p + 1 > c.last) continue;
    size_t q = p + 1;
    const bool article = IsArticle(t[q].folded);
    if (article) ++q;
    if (!article && f != "du" && f != "del") continue;
    if (q <= c.last && IsHeadAt(t, q, c.last)) {
      if (!(t[q].classes & NameVocab::kHeadNeedsComplement)) emit(q, c.last);
      break;
    }
  }
  // "IBM Incubator Program": the short form leading a body's name is a body;
  // not one leading a name that is no body, listed before one ("UN Women and
  // the City of Lyon").
  const NameToken& lead = t[c.first];
  size_t lead_last = c.first;
  while (lead_last < c.last && !IsCoordinator(t[lead_last + 1].folded)) ++lead_last;
  if ((whole || has_event) && c.first < c.last && lead.shape == TokenShape::kAllCaps &&
      (lead_last == c.last || has_head(c.first, lead_last) || has_event) &&
      t[c.first + 1].shape != TokenShape::kAllCaps && !(lead.classes & NameVocab::kHead) &&
      !vocab_.not_acronyms.count(std::string(doc.Slice(lead.span))) &&
      !IsRomanNumeral(doc.Slice(lead.span)) &&  // "VI Congreso": an edition
      LooksLikeShortForm(doc.Slice(lead.span))) {
    Candidate& cand = out.emplace_back();
    cand.span = lead.span;
    cand.text = doc.Slice(lead.span);
    cand.acronym = true;
    cand.lexicon = lexicon_.FindAcronym(cand.text);
  }
}

void OrganizationStage::AddRuleCandidates(const Document& doc, const Item& item,
                                          const ItemWordStarts& words,
                                          const std::vector<NameToken>& t,
                                          const std::vector<Chunk>& chunks,
                                          TextArena& arena, std::vector<Candidate>& out,
                                          std::vector<Span>& vetoes) const {
  if (rules_.empty()) return;
  const std::string_view text = doc.Slice(item.span);
  // Every language's rules: an English item quotes French and Spanish names
  // in their own syntax ("ainsi que l'organisation Fixed").
  auto on_match = [&](size_t h, const re2::StringPiece* groups) {
    const Rule& rule = rules_[h];
    const re2::StringPiece g = groups[static_cast<size_t>(rule.group)];
    if (g.data() == nullptr || g.empty()) return;
    const size_t b = item.span.begin + static_cast<size_t>(g.data() - text.data());
    const Span span{b, b + g.size()};
    if (rule.kind == "veto") {
      vetoes.push_back(span);
      return;
    }
    if (rule.kind == "name") {
      Candidate& cand = out.emplace_back();
      cand.span = span;
      cand.text = Written(doc, span, arena);
      if (size_t f, l; TokensInside(t, span, &f, &l)) {
        cand.key = KeyIn(t, f, l, arena, &cand.lexicon);
      } else {
        cand.lexicon = lexicon_.FindByKey("");
      }
      cand.origin = Candidate::kRule;
      return;
    }
    if (!rule.tmpl.empty()) {
      // "Canada, Quebec, and France" -> one body per place.
      std::string_view list(g.data(), g.size());
      size_t start = 0;
      auto flush = [&](size_t e) {
        std::string_view piece = list.substr(start, e - start);
        size_t lead = 0;
        while (lead < piece.size() && (piece[lead] == ' ' || piece[lead] == ',')) ++lead;
        piece.remove_prefix(lead);
        for (std::string_view conj : {"and ", "et ", "y "})
          if (piece.substr(0, conj.size()) == conj) piece.remove_prefix(conj.size());
        while (!piece.empty() && (piece.back() == ' ' || piece.back() == ',')) piece.remove_suffix(1);
        if (piece.empty()) return;
        const size_t pb = b + static_cast<size_t>(piece.data() - list.data());
        Candidate& cand = out.emplace_back();
        cand.span = {pb, pb + piece.size()};
        cand.text = piece;
        std::string name = rule.tmpl;
        name.replace(name.find("{}"), 2, piece);
        cand.fixed_name = arena.Copy(name);
        cand.lexicon = lexicon_.FindByKey(lexicon_.PhraseKey(name));
        cand.origin = Candidate::kListItem;
      };
      for (size_t i = 0; i < list.size(); ++i) {
        if (list[i] == ',') {
          flush(i);
          start = i + 1;
        } else {
          for (std::string_view conj : {" and ", " et ", " y "}) {
            if (list.substr(i, conj.size()) == conj) {
              flush(i);
              start = i + 1;
            }
          }
        }
      }
      flush(list.size());
      return;
    }
    // A list of names: "A, B and C", each a capitalized phrase.
    size_t i = 0;
    i = TokenAtOrAfter(t, span.begin);
    struct Element {
      size_t first, last;
    };
    std::vector<Element> elements;
    bool after_and = true;  // the first element counts like one after "and"
    while (i < t.size() && t[i].span.begin < span.end) {
      while (i < t.size() && IsArticle(t[i].folded)) ++i;
      if (i >= t.size() || !t[i].is_upper_initial()) break;
      size_t last = i;
      auto ch = std::upper_bound(chunks.begin(), chunks.end(), i,
                                 [](size_t x, const Chunk& c) { return x < c.first; });
      if (ch != chunks.begin() && std::prev(ch)->last >= i) last = std::prev(ch)->last;
      size_t next = last + 1;
      const bool comma = next < t.size() && t[next].is_punct(',');
      const bool conj = next < t.size() && IsCoordinator(t[next].folded);
      const bool ends = next >= t.size() || t[next].shape == TokenShape::kPunct ||
                        t[next].breaks_before > 0;
      if (!comma && !conj && !ends && !after_and) break;  // a new clause, not a list
      elements.push_back({i, last});
      if (!comma && !conj) break;
      if (comma) ++next;
      after_and = false;
      if (next < t.size() && IsCoordinator(t[next].folded)) {
        ++next;
        after_and = true;
      }
      i = next;
    }
    if (elements.empty()) return;
    // The last element may hold the list's own "and": "Habitat Norway and
    // Vibe Lab Germany". A coordinator inside the complement of a head
    // ("Centre for Research and Innovation") stays.
    Element tail = elements.back();
    for (size_t p = tail.last; p > tail.first; --p) {
      if (!IsCoordinator(t[p].folded)) continue;
      auto has_head = [&](size_t a, size_t z) {
        for (size_t q = a; q <= z; ++q)
          if (t[q].shape == TokenShape::kCapitalized && (t[q].classes & NameVocab::kHead)) return true;
        return false;
      };
      size_t right = p + 1;
      while (right <= tail.last && IsArticle(t[right].folded)) ++right;
      if (right > tail.last) break;
      const bool right_short = right == tail.last && (t[right].shape == TokenShape::kAllCaps ||
                                                       t[right].shape == TokenShape::kMixed);
      const bool after_name = right > p + 1 && IsHeadAt(t, p - 1, p - 1);  // "Forum and the X"
      // No new name on the right ("... de América Latina y el Caribe"): an
      // earlier coordinator may still start one ("Alcaldía Mayor de Bogotá y
      // el Banco de Desarrollo de América Latina y el Caribe").
      if (has_head(tail.first, p - 1) && !has_head(right, tail.last) && !right_short && !after_name)
        continue;
      elements.back().last = p - 1;
      elements.push_back({right, tail.last});
      break;
    }
    for (const Element& e : elements) {
      // People are listed with bodies: leave "Jane Doe" to PersonStage.
      size_t n = 0;
      bool head = false, all_cap = true;
      for (size_t q = e.first; q <= e.last; ++q) {
        if (!t[q].is_word()) continue;
        ++n;
        head |= (t[q].classes & NameVocab::kHead) != 0;
        all_cap &= t[q].shape == TokenShape::kCapitalized;
      }
      if (!head && all_cap && n >= 2 && n <= 4 && given_.Contains(t[e.first].folded, t[e.first].hash)) continue;
      // "the Parisian association Espoir 18": an adjective, not a name.
      if (n == 1 && t[e.first].shape == TokenShape::kCapitalized && e.last + 1 < t.size() &&
          t[e.last + 1].shape == TokenShape::kLower && !IsCoordinator(t[e.last + 1].folded))
        continue;
      Candidate& cand = out.emplace_back();
      cand.span = RangeSpan(t, e.first, e.last);
      cand.text = Written(doc, cand.span, arena);
      cand.key = KeyIn(t, e.first, e.last, arena, &cand.lexicon);
      if (e.first == e.last && t[e.first].shape != TokenShape::kCapitalized) {
        cand.acronym = true;
        if (cand.lexicon < 0) cand.lexicon = lexicon_.FindAcronym(cand.text);
      }
      cand.origin = Candidate::kListItem;
    }
  };
  // By reference: a std::function holds that without an allocation (the
  // lambda's captures do not fit in it).
  search_.ForEachMatch("*", text, words, std::ref(on_match));
}

void OrganizationStage::Apply(Document& doc) const {
  struct Resolved {
    Span short_form;
    Span name;       // the long form as the organization's name (may be empty)
    Span alternate;  // another long form
    bool is_org = true;
  };
  struct Analysis {
    std::shared_ptr<const ItemNameTokens> cut;  // shared with PersonStage
    std::vector<Chunk> chunks;
    std::vector<Resolved> defs;
  };
  std::vector<Analysis> items(doc.items.size());
  DocDefinitions table;
  // The candidates' texts, for the whole document (definitions are read in
  // pass 1 and used in pass 2); kept by the thread from one document to the next.
  thread_local TextArena arena;
  arena.Clear();

  // Pass 1: every definition in the document, so that a short form used
  // before (or without) its definition in another item still resolves.
  for (size_t n = 0; n < doc.items.size(); ++n) {
    Analysis& a = items[n];
    ClassifiedNameTokens(doc, doc.items[n], vocab_);
    a.cut = doc.items[n].name_tokens;
    const auto& t = a.cut->tokens;
    thread_local std::vector<char> dated;
    dated.assign(t.size(), 0);
    for (const DateMention& d : doc.items[n].dates) {
      size_t i = TokenAtOrAfter(t, d.span.begin);
      if (i > 0 && t[i - 1].span.end > d.span.begin) --i;
      for (; i < t.size() && t[i].span.begin < d.span.end; ++i) dated[i] = 1;
    }
    a.chunks = FindChunks(doc.text, t, dated);
    for (const AcronymDefinition& d : FindAcronymDefinitions(doc.text, t)) {
      Resolved r;
      r.short_form = d.short_form;
      const std::string sf(doc.Slice(d.short_form));
      const size_t open = TokenAtOrAfter(t, d.brackets.begin);
      auto chunk_ending_before = [&](size_t tok) -> const Chunk* {
        if (tok == 0) return nullptr;
        auto ch = std::upper_bound(a.chunks.begin(), a.chunks.end(), tok - 1,
                                   [](size_t x, const Chunk& c) { return x < c.first; });
        if (ch == a.chunks.begin() || std::prev(ch)->last != tok - 1) return nullptr;
        return &*std::prev(ch);
      };
      // Does t[a..z] hold a body after "and the" ("et la", "y el")? Where:
      // its first token, else 0.
      auto has_head = [&](size_t a, size_t z) {
        for (size_t q = a; q <= z; ++q)
          if (t[q].classes & NameVocab::kHead) return true;
        return false;
      };
      auto listed_body = [&](size_t a, size_t z) -> size_t {
        for (size_t p = z; p > a; --p) {
          if (!IsCoordinator(t[p].folded)) continue;
          size_t right = p + 1;
          while (right <= z && IsArticle(t[right].folded)) ++right;
          if (right > p + 1 && right <= z && has_head(right, z)) return right;
        }
        return 0;
      };
      // "UN Women and the International Association of Public Transport
      // (UITP)": letters found across a list name no body; the short form
      // names the list's last one, if any (below).
      Span long_form = d.long_form;
      if (size_t f, l; !long_form.empty() && !d.short_first && TokensInside(t, long_form, &f, &l) &&
                       listed_body(f, l) != 0)
        long_form = {};
      if (!long_form.empty() && long_form.end <= d.brackets.begin) {
        r.name = long_form;
        // "the Montreal Urban Safety Laboratory (USLab)": capitalized words
        // right before the matched phrase belong to the name.
        if (const Chunk* c = chunk_ending_before(open); c && t[c->first].span.begin < r.name.begin) {
          size_t k = TokenAtOrAfter(t, r.name.begin);
          while (k > c->first && t[k - 1].is_upper_initial()) --k;
          r.name.begin = t[k].span.begin;
        }
      } else if (!long_form.empty() && !d.short_first) {
        // "Montreal Transit Corporation (Société de transport de Montréal, STM)"
        const Chunk* c = chunk_ending_before(open);
        if (c && c->last > c->first) {
          r.name = RangeSpan(t, c->first, c->last);
          r.alternate = long_form;
        } else {
          r.name = long_form;
        }
      } else if (!long_form.empty()) {
        r.name = long_form;
      } else if (int id = lexicon_.FindAcronym(sf); id >= 0) {
        // "United Nations Human Settlement Programme (UN-Habitat)": the
        // letters do not match, the lexicon knows the pair.
        for (size_t s = open >= 16 ? open - 16 : 0; s < open; ++s) {
          if (!t[s].is_word()) continue;
          if (LexiconAt(t, s, open - 1) == id) {
            r.name = RangeSpan(t, s, open - 1);
            break;
          }
        }
      }
      if (r.name.empty() && long_form.empty()) {
        // "Laboratoire de sécurité urbaine de Montréal (LABSU)": a short form
        // built from syllables, not initials, still names the capitalized
        // phrase right before its brackets when their first letters agree.
        // "International Association of Public Transport (UITP)": so does a
        // short form kept from another language, when the phrase names a body.
        const Chunk* c = chunk_ending_before(open);
        if (c && c->last > c->first && !sf.empty()) {
          // "UN Women and the International Association of Public Transport
          // (UITP)": the short form names the last body of a list.
          size_t first = c->first;
          if (size_t right = listed_body(c->first, c->last); right != 0) first = right;
          const bool initial_agrees = !t[first].folded.empty() &&
                                      FoldWord(sf.substr(0, 1)) == t[first].folded.substr(0, 1);
          const bool other_language = sf.size() >= 3 && WordShape(sf) == TokenShape::kAllCaps &&
                                      has_head(first, c->last);
          if (c->last > first && (initial_agrees || other_language))
            r.name = RangeSpan(t, first, c->last);
        }
      }
      if (!r.name.empty()) {
        r.is_org = IsOrgDefinition(doc, t, r.name, sf);
      } else {
        // An unexplained short form: an event's when an event word comes
        // right before it ("The Cybersecurity Revolution 2021 event (SECREV)").
        for (size_t k = open >= 6 ? open - 6 : 0; k < open; ++k)
          if (t[k].classes & NameVocab::kEventWord) r.is_org = false;
      }
      a.defs.push_back(r);
      DocDefinitions::Def def;
      def.is_org = r.is_org;
      if (!r.name.empty()) {
        def.long_name = Written(doc, r.name, arena);
        def.long_key = lexicon_.PhraseKey(def.long_name);
      }
      if (!r.alternate.empty()) def.alternate = Written(doc, r.alternate, arena);
      table.Add(sf, def);
    }
  }

  // Pass 2: each item's organizations. The working vectors are kept by the
  // thread from one item to the next.
  thread_local std::vector<Candidate> cands;
  thread_local std::vector<char> consumed;
  thread_local std::vector<std::string_view> not_org;
  thread_local std::vector<Span> vetoes;
  for (size_t n = 0; n < doc.items.size(); ++n) {
    Item& item = doc.items[n];
    const Analysis& a = items[n];
    const auto& t = a.cut->tokens;
    cands.clear();
    consumed.assign(t.size(), 0);
    not_org.clear();
    auto is_not_org = [&](std::string_view w) {
      return std::find(not_org.begin(), not_org.end(), w) != not_org.end();
    };

    // Definitions.
    int group = 0;
    for (const Resolved& r : a.defs) {
      const std::string_view sf = doc.Slice(r.short_form);
      if (size_t f, l; TokensInside(t, r.short_form, &f, &l))
        for (size_t i = f; i <= l; ++i) consumed[i] = 1;
      const DocDefinitions::Def* def = table.Find(sf);
      if (!r.is_org || (def && !def->is_org)) {
        if (!is_not_org(sf)) not_org.push_back(sf);
        continue;
      }
      Candidate s;
      s.span = r.short_form;
      s.text = sf;
      s.acronym = true;
      s.lexicon = lexicon_.FindAcronym(sf);
      if (!r.name.empty()) {
        Candidate& l = cands.emplace_back();
        l.span = r.name;
        l.text = Written(doc, r.name, arena);
        if (size_t f, e; TokensInside(t, r.name, &f, &e)) {
          l.key = KeyIn(t, f, e, arena, &l.lexicon);
        } else {
          l.lexicon = lexicon_.FindByKey("");
        }
        if (!r.alternate.empty()) {
          l.alias = Written(doc, r.alternate, arena);
          l.has_alias = true;
        }
        l.group = s.group = group++;
        l.origin = Candidate::kDefinition;
      }
      cands.push_back(s);
      // "DSP/OAS": each part known on its own names its own body.
      if (sf.find('/') != std::string::npos) {
        size_t start = 0;
        while (start < sf.size()) {
          size_t slash = sf.find('/', start);
          if (slash == std::string::npos) slash = sf.size();
          const std::string_view part = sf.substr(start, slash - start);
          const DocDefinitions::Def* pd = table.Find(part);
          if (lexicon_.FindAcronym(part) >= 0 || (pd && pd->is_org && !pd->long_name.empty())) {
            Candidate& p = cands.emplace_back();
            p.span = {r.short_form.begin + start, r.short_form.begin + slash};
            p.text = part;
            p.acronym = true;
            p.lexicon = lexicon_.FindAcronym(part);
          }
          start = slash + 1;
        }
      }
    }

    // Lexicon names, longest match first.
    // Token keys, worked out only for the words a look-up reaches; the
    // strings are kept by the thread from one item to the next.
    thread_local std::vector<std::string> keys;
    thread_local std::vector<char> keyed;
    if (keys.size() < t.size()) keys.resize(t.size());
    keyed.assign(t.size(), 0);
    auto key_at = [&](size_t j) -> const std::string& {
      if (!keyed[j]) {
        keys[j] = lexicon_.TokenKey(t[j]);
        keyed[j] = 1;
      }
      return keys[j];
    };
    thread_local std::string key;
    for (size_t i = 0; i < t.size();) {
      // A match starts on a capitalized word of the name, not on "The".
      if (!t[i].is_upper_initial() || !lexicon_.MayStartKey(t[i]) || key_at(i).empty() ||
          !lexicon_.IsKeyPrefix(keys[i])) {
        ++i;
        continue;
      }
      key.clear();
      size_t best_end = 0;
      int best = -1;
      for (size_t j = i; j < t.size() && j < i + 24; ++j) {
        if (j > i && t[j].breaks_before >= 2) break;
        const std::string& k = key_at(j);
        if (k.empty()) {
          if (t[j].shape == TokenShape::kPunct && !t[j].is_punct(',') && !t[j].is_punct('-')) break;
          continue;
        }
        if (!key.empty()) key += ' ';
        key += k;
        if (!lexicon_.IsKeyPrefix(key)) break;
        if (int id = lexicon_.FindByKey(key); id >= 0) {
          best = id;
          best_end = j;
        }
      }
      if (best < 0 || !t[i].is_upper_initial()) {
        ++i;
        continue;
      }
      Candidate& c = cands.emplace_back();
      c.span = RangeSpan(t, i, best_end);
      c.text = Written(doc, c.span, arena);
      int unused;
      c.key = KeyIn(t, i, best_end, arena, &unused);
      c.lexicon = best;
      c.origin = Candidate::kLexicon;
      // The short forms inside a known name are that name's ("ONU" of "ONU
      // Femmes" is not the UN).
      if (best_end > i)
        for (size_t k = i; k <= best_end; ++k) consumed[k] = 1;
      i = best_end + 1;
    }

    // Short forms standing alone.
    for (size_t i = 0; i < t.size(); ++i) {
      const NameToken& x = t[i];
      if (consumed[i] || !x.is_upper_initial()) continue;
      const std::string_view w = doc.Slice(x.span);
      if (!not_org.empty() && is_not_org(w)) continue;
      const int lexicon = lexicon_.FindAcronym(x, w);
      const DocDefinitions::Def* def = table.Find(x, w);
      // Most capitalized words are no short form: a candidate is made only
      // for those that may be.
      auto short_form = [&] {
        Candidate c;
        c.span = x.span;
        c.text = w;
        c.acronym = true;
        c.lexicon = lexicon;
        return c;
      };
      if (lexicon >= 0 || (def && def->is_org)) {
        cands.push_back(short_form());
        continue;
      }
      if (def && !def->is_org) continue;
      if (x.shape == TokenShape::kCapitalized) continue;
      Candidate c = short_form();
      // "USLab-Montreal": a known short form with a suffix.
      if (size_t dash = w.find('-'); dash != std::string::npos) {
        const std::string_view prefix = w.substr(0, dash);
        const DocDefinitions::Def* pd = table.Find(prefix);
        if (lexicon_.FindAcronym(prefix) >= 0 || (pd && pd->is_org)) {
          // "USLab-Montreal" is another name; "OSCE-wide" only a mention.
          if (dash + 1 < w.size() && !(w[dash + 1] >= 'A' && w[dash + 1] <= 'Z')) c.text = prefix;
          c.link = prefix;
          c.lexicon = lexicon_.FindAcronym(prefix);
          cands.push_back(c);
          continue;
        }
        if (vocab_.not_acronyms.count(std::string(prefix))) continue;
      }
      if (!LooksLikeShortForm(w) || vocab_.not_acronyms.count(std::string(w)) || IsRomanNumeral(w)) continue;
      // Codes, not names: "KjNtPsK9sIA", "COVID19".
      if (std::any_of(w.begin(), w.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) continue;
      if (w.rfind("Mc", 0) == 0 || w.rfind("Mac", 0) == 0) continue;  // surnames
      // Part of a longer name, or a line in capitals.
      auto neighbour = [&](size_t j) -> const NameToken* {
        if (j >= t.size()) return nullptr;
        if (j > i && t[j].breaks_before > 0) return nullptr;
        if (j < i && x.breaks_before > 0) return nullptr;
        return t[j].is_word() ? &t[j] : nullptr;
      };
      const NameToken* prev = i > 0 ? neighbour(i - 1) : nullptr;
      const NameToken* next = neighbour(i + 1);
      auto shouting = [](const NameToken* n) {
        return n && n->shape == TokenShape::kAllCaps && n->span.size() >= 3;
      };
      if (shouting(prev) || shouting(next)) continue;
      if (next && next->is_upper_initial()) continue;
      if (prev && prev->is_upper_initial() &&
          !(prev->sentence_start && (prev->classes & NameVocab::kStopword)))
        continue;
      cands.push_back(c);
    }

    // Capitalized phrases with a head word.
    for (const Chunk& c : a.chunks) AddChunkCandidates(doc, t, c, arena, cands);

    // Context rules.
    vetoes.clear();
    AddRuleCandidates(doc, item, WordStartsOf(doc, item), t, a.chunks, arena, cands, vetoes);
    // A defined long form wins over a phrase cut short at the same start
    // ("Centre for the Prevention of Radicalization Leading" vs "... to
    // Violence"); a phrase that holds two items of a list is the list.
    {
      thread_local std::vector<Span> defined, listed;
      defined.clear();
      listed.clear();
      for (const Candidate& c : cands) {
        if (c.origin == Candidate::kDefinition) defined.push_back(c.span);
        if (c.origin == Candidate::kListItem) listed.push_back(c.span);
      }
      if (!defined.empty() || !listed.empty()) {
        cands.erase(std::remove_if(cands.begin(), cands.end(),
                                   [&](const Candidate& c) {
                                     if (c.origin != Candidate::kPhrase) return false;
                                     for (const Span& d : defined)
                                       if (d.begin == c.span.begin && d.end != c.span.end) return true;
                                     int inside = 0;
                                     for (const Span& l : listed)
                                       if (c.span.Contains(l) && !(l == c.span)) ++inside;
                                     return inside >= 2;
                                   }),
                    cands.end());
      }
    }
    if (!vetoes.empty()) {
      cands.erase(std::remove_if(cands.begin(), cands.end(),
                                 [&](const Candidate& c) {
                                   for (const Span& v : vetoes)
                                     if (v.Contains(c.span)) return true;
                                   return false;
                                 }),
                  cands.end());
    }
    item.organizations = Cluster(doc, item, table, arena, cands);
  }
}

std::vector<Organization> OrganizationStage::Cluster(const Document& doc, const Item& item,
                                                     const DocDefinitions& table, TextArena& arena,
                                                     const std::vector<Candidate>& cands) const {
  // One organization per group of mentions that share a span, a lexicon
  // entry, a folded name or a definition.
  thread_local std::vector<size_t> parent;
  parent.resize(cands.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  // The first mention with a given span, lexicon entry, definition group,
  // short form or name key owns it; a later one joins the owner's group.
  // The links are listed in the candidates' order and joined in that order,
  // as a map from key to owner would (the same joins, so the same roots),
  // without a map node (and, for names, a string) per key.
  enum Kind : uint8_t { kSpan, kLexicon, kGroup, kShortForm, kName };
  struct Link {
    Kind kind;
    size_t a = 0, b = 0;    // span, lexicon entry or group
    std::string_view text;  // short form or name key
    uint32_t cand = 0;
    uint32_t owner = 0;
  };
  thread_local std::vector<Link> links;
  links.clear();
  auto add = [&](Kind kind, size_t a, size_t b, std::string_view text, size_t i) {
    Link& l = links.emplace_back();
    l.kind = kind;
    l.a = a;
    l.b = b;
    l.text = text;
    l.cand = static_cast<uint32_t>(i);
  };
  auto name = [&](std::string_view key, size_t i) { add(kName, 0, 0, key, i); };
  for (size_t i = 0; i < cands.size(); ++i) {
    const Candidate& c = cands[i];
    add(kSpan, c.span.begin, c.span.end, {}, i);
    if (c.lexicon >= 0) add(kLexicon, static_cast<size_t>(c.lexicon), 0, {}, i);
    if (c.group >= 0) add(kGroup, static_cast<size_t>(c.group), 0, {}, i);
    if (c.acronym) {
      add(kShortForm, 0, 0, c.text, i);
      if (!c.link.empty()) add(kShortForm, 0, 0, c.link, i);
      for (std::string_view sf : {c.text, c.link}) {
        if (sf.empty()) continue;
        if (const DocDefinitions::Def* d = table.Find(sf); d && !d->long_key.empty()) name(d->long_key, i);
      }
      if (c.has_alias) name(arena.Copy(lexicon_.PhraseKey(c.alias)), i);
    } else {
      if (c.has_alias) name(arena.Copy(lexicon_.PhraseKey(c.alias)), i);
      if (!c.fixed_name.empty()) {
        if (std::string key = lexicon_.PhraseKey(c.fixed_name); !key.empty()) name(arena.Copy(key), i);
      } else if (!c.key.empty()) {
        name(c.key, i);
      } else if (std::string key = lexicon_.PhraseKey(c.text); !key.empty()) {
        name(arena.Copy(key), i);
      }
    }
  }
  // Each key's owner: the first link holding it, found in an open-addressing
  // table of link numbers (a few slots per item, kept by the thread).
  thread_local std::vector<int32_t> slots;
  size_t size = 16;
  while (size < 2 * links.size()) size *= 2;
  slots.assign(size, -1);
  for (size_t k = 0; k < links.size(); ++k) {
    Link& l = links[k];
    uint64_t h = (uint64_t{l.kind} + 1) * 0x9E3779B97F4A7C15ull;
    h = (h ^ l.a) * 0xFF51AFD7ED558CCDull;
    h = (h ^ l.b) * 0xC4CEB9FE1A85EC53ull;
    h ^= WordHash(l.text);
    h ^= h >> 29;
    size_t slot = static_cast<size_t>(h) & (size - 1);
    for (;; slot = (slot + 1) & (size - 1)) {
      const int32_t at = slots[slot];
      if (at < 0) {
        slots[slot] = static_cast<int32_t>(k);
        l.owner = l.cand;
        break;
      }
      const Link& o = links[static_cast<size_t>(at)];
      if (o.kind == l.kind && o.a == l.a && o.b == l.b && o.text == l.text) {
        l.owner = o.cand;
        break;
      }
    }
    if (l.owner != l.cand) parent[find(l.cand)] = find(l.owner);
  }

  // Groups in the order of their roots, each one's mentions in the
  // candidates' order.
  thread_local std::vector<std::pair<size_t, size_t>> clusters;  // root, candidate
  clusters.clear();
  for (size_t i = 0; i < cands.size(); ++i) clusters.emplace_back(find(i), i);
  std::sort(clusters.begin(), clusters.end());

  const std::string_view lang = item.lang == "fr" || item.lang == "es" || item.lang == "en"
                                    ? std::string_view(item.lang)
                                    : (doc.lang == "fr" || doc.lang == "es" ? std::string_view(doc.lang)
                                                                            : std::string_view("en"));
  thread_local std::vector<size_t> members;
  thread_local std::vector<std::string_view> aliases;
  struct Seen {
    std::string_view raw;
    bool ascii = false;
    bool folded_done = false;
    std::string folded;  // FoldWord(raw) once folded_done
  };
  thread_local std::vector<Seen> seen;  // the name and aliases kept, the first `seen_count` in use
  std::vector<Organization> orgs;
  for (size_t g = 0; g < clusters.size();) {
    members.clear();
    const size_t root = clusters[g].first;
    for (; g < clusters.size() && clusters[g].first == root; ++g) members.push_back(clusters[g].second);
    std::sort(members.begin(), members.end(), [&](size_t x, size_t y) {
      return cands[x].span.begin < cands[y].span.begin;
    });
    Organization org;
    int lexicon = -1;
    for (size_t m : members) {
      const Candidate& c = cands[m];
      if (c.lexicon >= 0 && lexicon < 0) lexicon = c.lexicon;
      if (org.name.empty() && !c.acronym) org.name = c.fixed_name.empty() ? c.text : c.fixed_name;
      org.mentions.push_back(c.span);
    }
    aliases.clear();
    if (org.name.empty()) {
      for (size_t m : members) {
        const Candidate& c = cands[m];
        for (std::string_view sf : {c.text, c.link}) {
          if (sf.empty() || !org.name.empty()) continue;
          if (const DocDefinitions::Def* d = table.Find(sf); d && !d->long_name.empty()) {
            org.name = d->long_name;
            if (!d->alternate.empty()) aliases.push_back(d->alternate);
          }
        }
      }
    }
    if (org.name.empty() && lexicon >= 0) org.name = lexicon_.NameIn(lexicon, lang);
    for (size_t m : members) {
      const Candidate& c = cands[m];
      if (org.name.empty()) org.name = c.text;
      if (c.acronym) aliases.push_back(c.text);
      if (c.has_alias) aliases.push_back(c.alias);
    }
    std::string std_acronym;
    if (lexicon >= 0) {
      std_acronym = lexicon_.AcronymIn(lexicon, lang);
      if (!std_acronym.empty()) aliases.push_back(std_acronym);
    }
    // Aliases whose folded form (FoldWord) is new: not the name's, not an
    // earlier alias's. Two ASCII texts fold alike when they are equal but for
    // case, which needs no fold; a text with accents is folded when compared.
    size_t seen_count = 0;
    auto folded_of = [](Seen& x) -> const std::string& {
      if (!x.folded_done) FoldWordInto(x.raw, &x.folded);
      x.folded_done = true;
      return x.folded;
    };
    auto fresh = [&](std::string_view s) {
      if (seen_count == seen.size()) seen.emplace_back();
      Seen& x = seen[seen_count];
      x.raw = s;
      x.ascii = std::all_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
      x.folded_done = false;
      for (size_t k = 0; k < seen_count; ++k) {
        Seen& o = seen[k];
        const bool same = o.ascii && x.ascii ? AsciiEqualButCase(o.raw, x.raw) : folded_of(o) == folded_of(x);
        if (same) return false;
      }
      ++seen_count;
      return true;
    };
    if (!aliases.empty()) {
      fresh(org.name);
      for (std::string_view al : aliases)
        if (fresh(al)) org.aliases.emplace_back(al);
    }
    std::sort(org.mentions.begin(), org.mentions.end(),
              [](const Span& x, const Span& y) { return x.begin < y.begin || (x.begin == y.begin && x.end < y.end); });
    org.mentions.erase(std::unique(org.mentions.begin(), org.mentions.end()), org.mentions.end());
    orgs.push_back(std::move(org));
  }
  std::sort(orgs.begin(), orgs.end(), [](const Organization& x, const Organization& y) {
    return x.mentions.front().begin < y.mentions.front().begin;
  });
  return orgs;
}

}  // namespace newsevents
