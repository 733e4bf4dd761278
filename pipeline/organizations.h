// OrganizationStage: the organizations each item names, once each, with
// every mention and the short forms it goes by.
//
// Where names come from, in one pass over the item's tokens (name_tokens.h):
//   - acronym definitions ("Organization of American States (OAS)", "OAS
//     (Organization of American States)", "(Société de transport de Montréal,
//     STM)"), read over the whole document first, so that "OAS" alone in a
//     later item still resolves to its long form (acronyms.h);
//   - capitalized phrases holding a head word (org_heads: Centre, University,
//     Réseau, Fundación...), joined by lower-case connectors; a phrase holding
//     an event word ("Conference") is an event, not a body; "X of the Y" also
//     names Y when Y has its own head; "X's Faculty of Law" also names X;
//   - the lexicon of well-known bodies (org_lexicon.h), by token n-gram look-up;
//   - short forms standing alone ("ICPC", "CentroGeo", "SNCF");
//   - context rules, rules/<lang>/organizations.rules (rule_file.h format):
//     lower-case names ("Montreal police"), partner lists ("in partnership
//     with A, B and C"), "governments of A, B and C", and vetoes ("in the
//     Municipality of X" is a place).
// Mentions that share a span, a lexicon entry, a folded name or an acronym
// definition are one organization. Its name is the item's first full wording
// (no leading article), else the document's definition, else the lexicon's
// name in the item's language, else the short form itself; its aliases are
// the short forms and other wordings used, plus the lexicon's standard short
// form.
#ifndef NEWSEVENTS_ORGANIZATIONS_H_
#define NEWSEVENTS_ORGANIZATIONS_H_

#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "pipeline/document.h"
#include "pipeline/given_names.h"
#include "pipeline/name_vocab.h"
#include "pipeline/org_lexicon.h"
#include "pipeline/rule_search.h"
#include "pipeline/stage.h"
#include "pipeline/text_arena.h"

namespace newsevents {

class OrganizationStage {
 public:
  explicit OrganizationStage(const StageOptions& options);
  ~OrganizationStage();
  OrganizationStage(const OrganizationStage&) = delete;
  OrganizationStage& operator=(const OrganizationStage&) = delete;

  // Fills item.organizations of every item.
  void Apply(Document& doc) const;

  const OrgLexicon& lexicon() const { return lexicon_; }
  const NameVocab& vocab() const { return vocab_; }

 private:
  struct Rule;
  struct DocDefinitions;
  struct Candidate;
  struct Chunk;

  // Candidates' texts and keys are views into `arena` (or the document).
  void AddChunkCandidates(const Document& doc, const std::vector<NameToken>& tokens,
                          const Chunk& chunk, TextArena& arena, std::vector<Candidate>& out) const;
  void AddRuleCandidates(const Document& doc, const Item& item, const ItemWordStarts& words,
                         const std::vector<NameToken>& tokens, const std::vector<Chunk>& chunks,
                         TextArena& arena, std::vector<Candidate>& out,
                         std::vector<Span>& vetoes) const;
  bool IsHeadAt(const std::vector<NameToken>& tokens, size_t p, size_t last) const;
  // A head that opens a name ("École", "ministère") at token p.
  bool OpensNameAt(const std::vector<NameToken>& tokens, size_t p) const;
  // Where a sentence-case run of lower-case words starting at token k reaches
  // the of-word of a capitalized complement ("nationale de police [du]
  // Québec"), or 0 when it does not.
  size_t SentenceCaseRunEnd(const std::vector<NameToken>& tokens, size_t k) const;
  std::vector<Chunk> FindChunks(std::string_view text, const std::vector<NameToken>& tokens,
                                const std::vector<char>& dated) const;
  bool IsOrgDefinition(const Document& doc, const std::vector<NameToken>& tokens,
                       Span long_form, std::string_view short_form) const;
  // The lexicon key of tokens [first, last] (OrgLexicon::AppendTokenKey of
  // each), copied into `arena`; *lexicon: the entry it names, or -1.
  std::string_view KeyIn(const std::vector<NameToken>& tokens, size_t first, size_t last,
                         TextArena& arena, int* lexicon) const;
  // The organizations of an item's candidates: one per group of mentions.
  std::vector<Organization> Cluster(const Document& doc, const Item& item,
                                    const DocDefinitions& table, TextArena& arena,
                                    const std::vector<Candidate>& cands) const;
  int LexiconAt(const std::vector<NameToken>& tokens, size_t first, size_t last) const;

  NameVocab vocab_;
  OrgLexicon lexicon_;
  GivenNames given_;
  std::vector<Rule> rules_;
  RuleSearch search_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_ORGANIZATIONS_H_
