// RuleMatcher against RE2::Match with groups, match after match: the same
// matches and the same groups, on ASCII and accented text, for patterns that
// fit Latin-1 (read with a Latin-1 twin) and for patterns that do not.
#include "pipeline/rule_matcher.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

// Every match as "begin:end" of each group (or "-" for a group not taken),
// `match(pos, groups, n)` asked again after each match.
template <typename MatchFrom>
std::vector<std::string> AllMatches(std::string_view text, int n, MatchFrom match) {
  std::vector<re2::StringPiece> g(static_cast<size_t>(n));
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size() && match(pos, g.data(), n)) {
    std::string m;
    for (const re2::StringPiece& p : g)
      m += p.data() ? std::to_string(p.data() - text.data()) + ":" + std::to_string(p.size()) + " " : "- ";
    out.push_back(m);
    pos = static_cast<size_t>(g[0].data() - text.data()) + std::max<size_t>(g[0].size(), 1);
  }
  return out;
}

std::vector<std::string> Expected(const RE2& re, std::string_view text) {
  return AllMatches(text, re.NumberOfCapturingGroups() + 1,
                    [&](size_t pos, re2::StringPiece* g, int n) {
                      return re.Match(text, pos, text.size(), RE2::UNANCHORED, g, n);
                    });
}

std::vector<std::string> Got(const RuleMatcher& matcher, std::string_view text) {
  return AllMatches(text, matcher.re().NumberOfCapturingGroups() + 1,
                    [&](size_t pos, re2::StringPiece* g, int n) {
                      return matcher.Match(text, pos, g, n);
                    });
}

TEST(RuleMatcherTest, SameMatchesAndGroupsAsRe2) {
  const std::vector<std::string> patterns = {
      // Shapes of the rules in rules/*/{people,organizations,places}.rules.
      R"(\b(?:Ms|Dr|Mayor|Mme|Sra)\.?\s+(?P<name>\p{Lu}[\p{L}'-]+(?:\s+(?:de|del|van)\s+)*(?:\s+\p{Lu}[\p{L}'-]+){0,3}))",
      R"((?P<name>\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){1,3}),\s+(?:(?:the|our|la)\s+)?(?:[\p{L}'-]+\s+){0,3}?(?i:director|rector|présidente|directora)\b)",
      R"(\b(?:[Ii]n partnership with|[Oo]rganisée? par|[Cc]on el apoyo de)(?: the| la)? (?P<list>\p{Lu}[^.;:()\n]*))",
      // An accented letter under a quantifier: a Latin-1 twin must keep it one character.
      R"(\b(?P<name>(?:municipalité?|gobierno) (?:de |del )\p{Lu}[\p{L}'-]*(?: \p{Lu}[\p{L}'-]*)*))",
      R"((?P<a>é?)(?P<name>\p{Lu}\p{Ll}+) (?i:(É|e)cole))",
      R"((?:(?P<a>é?x)|(?P<b>x))yz)",
      // Beyond Latin-1: the UTF-8 program alone.
      R"((?P<name>\p{Lu}\p{Ll}+)[’'](?:s)\b)",
  };
  const std::vector<std::string> texts = {
      "Mayor Valerie Plante and Dr. Jane van Doe met Ms Ann Lee. Kassa Bourne, the Director of Admin",
      "Mme Valérie Plante, la présidente du conseil; Sra. Ana del Valle Cáceres, directora.",
      "In partnership with United Cities and Local Governments, Habitat Norway and Vibe Lab. "
      "Organisée par la Ville de Montréal (VDM); con el apoyo de la Fundación Pasos Libres.",
      "the municipalit de Quebec, the municipalité de Québec City, gobierno de Nuevo León",
      "éMontreal Ecole, Paris école, eLyon École, Quebec's and Québec’s Centre",
      "xyz and éxyz, Lyon Ecole",
      // Accented matches (read over a Latin-1 copy) beside characters that do
      // not fit Latin-1 (’ « » œ —), at the text's ends and inside a match.
      "Mme Zoé Cáceres—l’École Élan, «Mme Éloïse Œuvre» et Sra. Ana Ñúñez’s, Dr Zoë",
      "Élodie Tremblay, directora—Québec’s; gobierno de León",
      "",
      "Ms\nJane\n\nDoe, rector",
  };
  for (const std::string& p : patterns) {
    const RuleMatcher matcher(p, "test", 1);
    size_t matches = 0;
    for (const std::string& t : texts) {
      const std::vector<std::string> expected = Expected(matcher.re(), t);
      matches += expected.size();
      EXPECT_EQ(Got(matcher, t), expected) << p << " on " << t;
    }
    EXPECT_GE(matches, 2u) << p;  // the texts exercise every pattern
  }
}

TEST(RuleMatcherTest, RejectsABadPatternNamingItsLine) {
  try {
    RuleMatcher bad("(?P<name>unclosed", "rules/en/people.rules", 12);
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("people.rules"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace newsevents
