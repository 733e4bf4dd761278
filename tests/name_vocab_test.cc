#include "pipeline/name_vocab.h"

#include <string>

#include <gtest/gtest.h>

#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

TEST(NameVocabTest, ClassesSayWhichListsHoldAWord) {
  const NameVocab vocab = NameVocab::Load(DataRoot());
  EXPECT_TRUE(vocab.ClassesOf("university") & NameVocab::kHead);
  EXPECT_TRUE(vocab.ClassesOf("of") & NameVocab::kConnector);
  EXPECT_FALSE(vocab.ClassesOf("of") & NameVocab::kHead);
  EXPECT_EQ(vocab.ClassesOf("montreal"), 0u);
  // Every list member is found with its list's bit.
  for (const std::string& w : vocab.stopwords) EXPECT_TRUE(vocab.ClassesOf(w) & NameVocab::kStopword) << w;
  for (const std::string& w : vocab.roles) EXPECT_TRUE(vocab.ClassesOf(w) & NameVocab::kRole) << w;
  for (const auto& [w, head] : vocab.org_heads) {
    const uint32_t c = vocab.ClassesOf(w);
    EXPECT_TRUE(c & NameVocab::kHead) << w;
    EXPECT_EQ((c & NameVocab::kHeadLowerCase) != 0, head.lower_case) << w;
  }
}

TEST(NameVocabTest, TokensAreClassifiedOnceForVocabulariesWithTheSameLists) {
  const NameVocab a = NameVocab::Load(DataRoot());
  const NameVocab b = NameVocab::Load(DataRoot());
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  Document doc;
  doc.text = "The University of Montreal and the City of Laval";
  Item item;
  item.span = {0, doc.text.size()};
  const std::vector<NameToken>& t = ClassifiedNameTokens(doc, item, a);
  ASSERT_EQ(t.size(), 9u);
  EXPECT_TRUE(t[1].classes & NameVocab::kHead);       // University
  EXPECT_TRUE(t[2].classes & NameVocab::kConnector);  // of
  EXPECT_EQ(t[3].classes, 0u);                        // Montreal
  const auto* cut = item.name_tokens.get();
  ClassifiedNameTokens(doc, item, b);
  EXPECT_EQ(item.name_tokens.get(), cut);  // reused, not cut again

  NameVocab c = NameVocab::Load(DataRoot());
  c.org_heads.erase("university");
  c.IndexClasses();
  EXPECT_NE(c.fingerprint(), a.fingerprint());
  const std::vector<NameToken>& again = ClassifiedNameTokens(doc, item, c);
  EXPECT_NE(item.name_tokens.get(), cut);
  EXPECT_FALSE(again[1].classes & NameVocab::kHead);
}

}  // namespace
}  // namespace newsevents
