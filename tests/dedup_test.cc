#include "pipeline/dedup.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/config_error.h"
#include "tests/dedup_test_util.h"

namespace newsevents {
namespace {

using dedup_testing::DefaultOptions;
using dedup_testing::ItemSpec;
using dedup_testing::MakeDocument;
using dedup_testing::RootWithConf;
using dedup_testing::TempDir;

// ------------------------------------------------------------ texts
// Items of the sample corpus (corpus/000 and corpus/003), with the facts its
// gold annotations give them.

const char kConversation[] =
    "The ICPC invited to a conversation on urban security\n\nOn June 8th, the ICPC was invited by "
    "the European Forum for Urban Safety (Efus) and by the Canadian Municipal Network on Crime "
    "Prevention (CMNCP) to take part in an informal conversation on urban safety. The main "
    "subjects discussed were each of the invited organizations challenges in the face of "
    "COVID-19, their on-going projects, and their up-coming events.\n\nAmong the attendees were "
    "the United Nations Office on Drugs and Crime (UNODC) and the United Nations Human "
    "Settlement Programme (UN-Habitat), both ICPC members.";

// The yearly archive's retelling of kConversation, in other words.
const char kConversationRetold[] =
    "On June 8, 2021, the ICPC participated in an online open discussion hosted by the European "
    "Forum for Urban Safety and the Canadian Municipal Crime Prevention Network. The discussion "
    "brought together several member and partner agencies and institutions, such as UNODC and "
    "UN-HABITAT, to address issues related to challenges of urban security, and challenges they "
    "have faced in the face of the COVID-19 pandemic";

const char kWebinar[] =
    "ICPC continues to participate in the \u201cChange the World\u201d webinar series\n\nOn "
    "February 10, ICPC participated as a panelist in the webinar entitled \"Knowledge Systems to "
    "Enable Urban Safety\" organized by the Alliance of NGOs on Crime Prevention and Criminal "
    "Justice in collaboration with the African Policing Civilian Oversight Forum (APCOF) ainsi "
    "que l\u2019organisation Fixed. This webinar addressed opportunities and concerns linked to "
    "knowledge building, data, adaptive learning and the link between knowledge, policy and "
    "practice. Among the questions addressed were: How to democratize the safe use of data? How "
    "to integrate different types of data? How to build the credibility and usability of "
    "qualitative data? How to better manage data and knowledge to support good policy?";

const char kWebinarRetold[] =
    "It is with great pleasure that the ICPC continued the \"Change the World\" webinar series "
    "organized by the Alliance of NGOs on crime Prevention and Criminal Justice in collaboration "
    "with the African Policing Civilian Oversight Forum and the Fixed organization, by "
    "participating in its fourth edition on February 10, 2021, under the theme of Knowledge "
    "Systems to Enable Urban Safety.";

const char kSaintMichel[] =
    "Problem solving activity in Saint-Michel\n\nThe ICPC held an online meeting for exchange "
    "with stakeholders from the Montreal Borough of Villeray-Saint-Michel-Parc-Extension to "
    "conduct a problem-solving activity related to certain urban safety issues experienced at "
    "Fran\u00e7ois-Perreault Park.\n\nThe problem-solving approach, from a social development "
    "perspective, aims to coordinate the efforts of local stakeholders around a collectively "
    "defined urban safety issue. This approach therefore allows this group of participants to "
    "work together on common objectives in order, ultimately, to develop courses of action and "
    "future solutions.";

// kSaintMichel lightly edited: a clause dropped, a word changed.
const char kSaintMichelEdited[] =
    "Problem solving activity in Saint-Michel\n\nThe ICPC held an online meeting for exchange "
    "with stakeholders from the Montreal Borough of Villeray-Saint-Michel-Parc-Extension to "
    "conduct a problem-solving activity related to certain urban safety issues experienced at "
    "Fran\u00e7ois-Perreault Park.\n\nThe problem-solving approach aims to coordinate the efforts "
    "of local stakeholders around a collectively defined urban safety issue. This approach "
    "therefore allows this group of participants to work together on shared objectives in "
    "order, ultimately, to develop courses of action and future solutions.";

// kSaintMichel's template told of another borough.
const char kLachine[] =
    "Problem solving activity in Lachine\n\nThe ICPC held an online meeting for exchange with "
    "stakeholders from the Montreal Borough of Lachine to conduct a problem-solving activity "
    "related to certain urban safety issues experienced at Lachine Park.\n\nThe problem-solving "
    "approach, from a social development perspective, aims to coordinate the efforts of local "
    "stakeholders around a collectively defined urban safety issue. This approach therefore "
    "allows this group of participants to work together on common objectives in order, "
    "ultimately, to develop courses of action and future solutions.";

// Items 6 and 9 of corpus/000: alike, but two different sessions (gold note).
const char kMontrealNorthSession[] =
    "Working session with community and social development workers in the borough of Montreal "
    "North\n\nAs part of the development of a local safety audit, ICPC met with community and "
    "social development workers in the borough of Montreal North to present the procedure used "
    "to respond to a current urban safety issue.\n\nThis online discussion allowed the "
    "stakeholders to take ownership of the different steps of this process, which aims to "
    "prevent and reduce violence committed and sustained by youth, as well as to better "
    "understand the realities on the ground in the borough.";
const char kMontrealNorthCommittee[] =
    "Work session in the borough of Montr\u00e9al Nord\n\nThe ICPC, in collaboration with "
    "professors Mariam Hassaoui (TELUQ) and Victor Armony (UQAM), held its first meeting of the "
    "steering committee to begin work on a portrait of urban safety issues in the borough of "
    "Montr\u00e9al-Nord.\n\nThis online exchange session allowed the various local stakeholders "
    "involved in the project to take ownership of the different stages of this approach, which "
    "aims to prevent and reduce violence inflicted and sustained by the borough's youth.\n\nThe "
    "results of the project will be presented in March 2021.";

// Paragraphs of corpus/003 on talks at two different congresses of 2017,
// written with one template.
const char kTalkAtConference[] =
    "The ICPC took part in the conference as a speaker in a workshop called \"Radicalisation\". "
    "The presentation focused on the research-action currently being carried out in France which "
    "aims to develop a prevention and intervention response to radicalization leading to "
    "violence within the probation system.";
const char kTalkAtCongress[] =
    "The ICPC took part in the congress as a speaker in a workshop called \"Evidence-Based "
    "Theories and Practices involving Offenders with Special Needs\". The presentation focused "
    "on the research-action currently being carried out in France which aims to develop a "
    "prevention and intervention response to radicalization leading to violence within the "
    "probation system.";

// Two coordination meetings of one network, told with one template.
const char kNetworkMeeting2022[] =
    "On January 11, 2022, was held online the first coordination meeting of the year of the "
    "UNODC's United Nations Crime Prevention and Criminal Justice Programme Network, of which the "
    "ICPC has been a member for several years. The members exchanged on the next session of the "
    "Commission on Crime Prevention and Criminal Justice.";
const char kNetworkMeeting2023[] =
    "On January 10, 2023, was held online the first coordination meeting of the year of the "
    "UNODC's United Nations Crime Prevention and Criminal Justice Programme Network, of which the "
    "ICPC has been a member for several years. The members exchanged on the next session of the "
    "Commission on Crime Prevention and Criminal Justice.";

using Orgs = std::vector<std::pair<std::string, std::vector<std::string>>>;

ItemSpec Conversation() {
  ItemSpec s;
  s.text = kConversation;
  s.event_start = "2021-06-08";
  s.days = {"2021-06-08"};
  s.orgs = Orgs{{"International Centre for the Prevention of Crime", {"ICPC"}},
                {"European Forum for Urban Safety", {"Efus"}},
                {"Canadian Municipal Network on Crime Prevention", {"CMNCP"}},
                {"United Nations Office on Drugs and Crime", {"UNODC"}},
                {"United Nations Human Settlement Programme", {"UN-Habitat"}}};
  s.organizers = {"European Forum for Urban Safety", "Canadian Municipal Network on Crime Prevention"};
  return s;
}

ItemSpec ConversationRetold() {
  ItemSpec s;
  s.text = kConversationRetold;
  s.event_start = "2021-06-08";
  s.days = {"2021-06-08"};
  s.orgs = Orgs{{"International Centre for the Prevention of Crime", {"ICPC"}},
                {"European Forum for Urban Safety", {}},
                {"Canadian Municipal Crime Prevention Network", {}},
                {"UNODC", {}},
                {"UN-HABITAT", {}}};
  s.organizers = {"European Forum for Urban Safety", "Canadian Municipal Crime Prevention Network"};
  return s;
}

ItemSpec Webinar() {
  ItemSpec s;
  s.text = kWebinar;
  s.event_start = "2021-02-10";
  s.days = {"2021-02-10"};
  s.orgs = Orgs{{"International Centre for the Prevention of Crime", {"ICPC"}},
                {"Alliance of NGOs on Crime Prevention and Criminal Justice", {}},
                {"African Policing Civilian Oversight Forum", {"APCOF"}},
                {"Fixed", {}}};
  return s;
}

ItemSpec WebinarRetold() {
  ItemSpec s = Webinar();
  s.text = kWebinarRetold;
  return s;
}

ItemSpec Montreal(const char* text, const char* borough) {
  ItemSpec s;
  s.text = text;
  s.places = {{"Montreal", "city"}, {borough, "city"}};
  s.country = "CA";
  s.orgs = Orgs{{"International Centre for the Prevention of Crime", {"ICPC"}}};
  return s;
}

ItemSpec Plain(const char* text, const std::string& event = "") {
  ItemSpec s;
  s.text = text;
  s.event_start = event;
  if (event.size() == 10) s.days = {event};
  return s;
}

// Runs one in-memory de-duplicator over the documents, in order.
std::vector<Document> Dedup(std::vector<Document> docs, Deduplicator::Stats* stats = nullptr) {
  Deduplicator dedup(DefaultOptions(), "");
  for (Document& d : docs) dedup.Process(d);
  if (stats) *stats = dedup.stats();
  return docs;
}

// ------------------------------------------------------------ exact repeats

TEST(DedupTest, ExactRepeatLinksToFirstTellingWithItsOwnId) {
  Deduplicator::Stats stats;
  std::vector<Document> docs = Dedup({MakeDocument("000.txt", {Conversation(), Webinar()}),
                                    MakeDocument("002.txt", {Plain(kLachine), Conversation()})},
                                   &stats);
  const Item& first = docs[0].items[0];
  const Item& repeat = docs[1].items[1];
  EXPECT_EQ(first.duplicate_of, "");
  EXPECT_EQ(repeat.duplicate_of, first.id);
  EXPECT_NE(repeat.id, first.id);
  EXPECT_EQ(repeat.id.size(), 19u);
  EXPECT_EQ(repeat.id.rfind("ev-", 0), 0u);
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
  EXPECT_EQ(stats.exact, 1u);
  EXPECT_EQ(stats.near + stats.dated, 0u);

  // The derived id is a function of the first id, the file and the index.
  std::vector<Document> again = Dedup({MakeDocument("000.txt", {Conversation(), Webinar()}),
                                     MakeDocument("002.txt", {Plain(kLachine), Conversation()})});
  EXPECT_EQ(again[1].items[1].id, repeat.id);
  std::vector<Document> elsewhere = Dedup({MakeDocument("000.txt", {Conversation(), Webinar()}),
                                         MakeDocument("005.txt", {Plain(kLachine), Conversation()})});
  EXPECT_NE(elsewhere[1].items[1].id, repeat.id);
}

TEST(DedupTest, ExactRepeatIgnoresCaseAccentsAndSpacing) {
  ItemSpec shouted = Conversation();
  shouted.text = "THE ICPC   INVITED to a conversation ON urban security\n\n\n" +
                 std::string(kConversation).substr(std::string(kConversation).find("On June"));
  std::vector<Document> docs = Dedup({MakeDocument("a.txt", {Conversation()}),
                                    MakeDocument("b.txt", {shouted})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[0].id);
}

TEST(DedupTest, ThreeTellingsAllLinkToTheFirstAndIdsStayUnique) {
  std::vector<Document> docs = Dedup({MakeDocument("a.txt", {Webinar(), Webinar()}),
                                    MakeDocument("b.txt", {Webinar()})});
  const std::string first = docs[0].items[0].id;
  EXPECT_EQ(docs[0].items[1].duplicate_of, first);
  EXPECT_EQ(docs[1].items[0].duplicate_of, first);
  std::set<std::string> ids = {first, docs[0].items[1].id, docs[1].items[0].id};
  EXPECT_EQ(ids.size(), 3u);
}

TEST(DedupTest, FillsMissingIdsAndRejectsMalformedOnes) {
  Document doc = MakeDocument("a.txt", {Webinar()});
  const std::string lead_id = doc.items[0].id;
  doc.items[0].id.clear();
  Deduplicator dedup(DefaultOptions(), "");
  dedup.Process(doc);
  EXPECT_EQ(doc.items[0].id, lead_id);  // the pipeline's definition

  Document bad = MakeDocument("b.txt", {Conversation()});
  bad.items[0].id = "item-1";
  EXPECT_THROW(dedup.Process(bad), std::invalid_argument);
}

// ------------------------------------------------------------ near repeats

TEST(DedupTest, LightlyEditedCopyIsANearRepeat) {
  Deduplicator::Stats stats;
  std::vector<Document> docs =
      Dedup({MakeDocument("a.txt", {Montreal(kSaintMichel, "Saint-Michel")}),
           MakeDocument("b.txt", {Montreal(kSaintMichelEdited, "Saint-Michel")})},
          &stats);
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[0].id);
  EXPECT_EQ(stats.near, 1u);
}

TEST(DedupTest, SameTemplateInAnotherBoroughIsNotARepeat) {
  // The texts share most shingles; the places tell the events apart.
  std::vector<Document> docs = Dedup({MakeDocument("a.txt", {Montreal(kSaintMichel, "Saint-Michel"),
                                                           Montreal(kLachine, "Lachine")})});
  EXPECT_EQ(docs[0].items[1].duplicate_of, "");
}

TEST(DedupTest, NearCopyWithAnotherDayIsNotARepeat) {
  ItemSpec a = Montreal(kSaintMichel, "Saint-Michel");
  a.event_start = "2021-03-04";
  ItemSpec b = Montreal(kSaintMichelEdited, "Saint-Michel");
  b.event_start = "2021-03-11";
  std::vector<Document> docs = Dedup({MakeDocument("a.txt", {a}), MakeDocument("b.txt", {b})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
  // A coarser date that holds the other is no contradiction.
  b.event_start = "2021-03";
  docs = Dedup({MakeDocument("a.txt", {a}), MakeDocument("b.txt", {b})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[0].id);
}

TEST(DedupTest, MeetingsOfOneNetworkAYearApartAreNotMerged) {
  std::vector<Document> docs = Dedup({MakeDocument("a.txt", {Plain(kNetworkMeeting2022, "2022-01-11")}),
                                    MakeDocument("b.txt", {Plain(kNetworkMeeting2023, "2023-01-10")})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
  // Year precision only: 2022 vs 2023 still disagree.
  docs = Dedup({MakeDocument("a.txt", {Plain(kNetworkMeeting2022, "2022")}),
              MakeDocument("b.txt", {Plain(kNetworkMeeting2023, "2023")})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
}

TEST(DedupTest, TemplateParagraphsOfTwoCongressesAreNotRepeats) {
  // Nothing but the text to go by, and the text is a template: J2 0.71, and
  // 96% of the shorter paragraph inside the longer.
  auto talk = [](const char* text) {
    ItemSpec s = Plain(text);
    s.places = {{"France", "country"}};
    s.country = "FR";
    s.orgs = Orgs{{"International Centre for the Prevention of Crime", {"ICPC"}}};
    return s;
  };
  std::vector<Document> docs =
      Dedup({MakeDocument("003.txt", {talk(kTalkAtConference), talk(kTalkAtCongress)})});
  EXPECT_EQ(docs[0].items[1].duplicate_of, "");
}

TEST(DedupTest, DifferentOrganizersAreNotARepeat) {
  ItemSpec a = Plain(kNetworkMeeting2022);
  a.organizers = {"UNODC"};
  ItemSpec b = Plain(kNetworkMeeting2022);
  b.text += " Photos.";
  b.organizers = {"Efus"};
  std::vector<Document> docs = Dedup({MakeDocument("a.txt", {a}), MakeDocument("b.txt", {b})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
}

// ------------------------------------------------------------ retellings

TEST(DedupTest, ArchiveRetellingInOtherWordsIsLinkedByItsDayAndActors) {
  Deduplicator::Stats stats;
  std::vector<Document> docs =
      Dedup({MakeDocument("000.txt", {Conversation(), Webinar()}),
           MakeDocument("003.txt", {ConversationRetold(), WebinarRetold()})},
          &stats);
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[0].id);
  EXPECT_EQ(docs[1].items[1].duplicate_of, docs[0].items[1].id);
  EXPECT_EQ(stats.dated + stats.near, 2u);
}

TEST(DedupTest, RetellingNeedsTheSameDay) {
  ItemSpec other_day = ConversationRetold();
  other_day.event_start = "2021-06-09";
  other_day.days = {"2021-06-09"};
  std::vector<Document> docs =
      Dedup({MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {other_day})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");

  ItemSpec undated = ConversationRetold();
  undated.event_start.clear();
  undated.days.clear();
  docs = Dedup({MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {undated})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
}

TEST(DedupTest, RetellingNeedsASharedActor) {
  ItemSpec strangers = ConversationRetold();
  strangers.orgs.clear();
  strangers.organizers.clear();
  std::vector<Document> docs =
      Dedup({MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {strangers})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
}

// The yearly archive's retelling, dated by its month only ("In June, ...").
ItemSpec ConversationRetoldInJune() {
  ItemSpec s = ConversationRetold();
  s.event_start = "2021-06";
  s.days.clear();
  return s;
}

TEST(DedupTest, RetellingDatedByItsMonthIsLinkedToTheDayInIt) {
  Deduplicator::Stats stats;
  std::vector<Document> docs = Dedup(
      {MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {ConversationRetoldInJune()})},
      &stats);
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[0].id);
  EXPECT_EQ(stats.dated, 1u);

  // Whichever comes first: the day item finds the month item by its month.
  docs = Dedup({MakeDocument("000.txt", {ConversationRetoldInJune()}),
                MakeDocument("003.txt", {Conversation()})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[0].id);

  // Days of a range inside the month count as well.
  ItemSpec two_days = Conversation();
  two_days.event_end = "2021-06-09";
  docs = Dedup({MakeDocument("000.txt", {two_days}),
                MakeDocument("003.txt", {ConversationRetoldInJune()})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[0].id);
}

TEST(DedupTest, RetellingDatedByAnotherMonthIsNotLinked) {
  ItemSpec july = ConversationRetoldInJune();
  july.event_start = "2021-07";
  std::vector<Document> docs =
      Dedup({MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {july})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
}

TEST(DedupTest, MonthRetellingNeedsMoreActorsThanADayOne) {
  // Two organizations in common link a retelling of the same day, not one of
  // the month: a month is weaker evidence (models/dedup/dedup.conf).
  ItemSpec two = ConversationRetold();
  two.orgs = Orgs{{"ICPC", {}}, {"UNODC", {}}};
  two.organizers.clear();
  std::vector<Document> docs =
      Dedup({MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {two})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[0].id);

  ItemSpec two_in_june = two;
  two_in_june.event_start = "2021-06";
  two_in_june.days.clear();
  docs = Dedup({MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {two_in_june})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");

  ItemSpec three_in_june = two_in_june;
  three_in_june.orgs.push_back({"European Forum for Urban Safety", {}});
  docs = Dedup({MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {three_in_june})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[0].id);
}

TEST(DedupTest, TwoItemsDatedByOneMonthAreNotLinkedByIt) {
  ItemSpec june = Conversation();
  june.event_start = "2021-06";
  june.days.clear();
  std::vector<Document> docs = Dedup(
      {MakeDocument("000.txt", {june}), MakeDocument("003.txt", {ConversationRetoldInJune()})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
}

bool Holds(std::vector<uint32_t> set, const std::vector<uint32_t>& keys) {
  std::sort(set.begin(), set.end());
  return std::all_of(keys.begin(), keys.end(), [&](uint32_t k) {
    return std::binary_search(set.begin(), set.end(), k);
  });
}

TEST(DedupTest, MonthItemsAreFoundThroughTheDaysOfTheirMonth) {
  DedupConfig config;
  config.month_min_shared_entities = 3;
  StoryFacts june;
  june.event_start = "2021-06";
  june.organizations = {{"efus", "european forum for urban safety"}, {"icpc"}};
  june.specific_places = {"lyon"};
  const BlockKeys month_keys = BlockKeysOf(june, config);
  EXPECT_EQ(month_keys.months.size(), 4u);        // the month with each name
  EXPECT_TRUE(month_keys.days.empty());
  EXPECT_EQ(month_keys.probed.size(), 30u * 4u);  // every day of June with each

  StoryFacts day = june;
  day.event_start = "2021-06-08";
  day.days = {"2021-06-08"};
  const BlockKeys day_keys = BlockKeysOf(day, config);
  EXPECT_EQ(day_keys.days.size(), 4u);
  std::vector<uint32_t> day_probed = day_keys.probed;
  std::sort(day_probed.begin(), day_probed.end());
  EXPECT_EQ(day_probed, month_keys.months);  // its month's keys
  EXPECT_TRUE(Holds(month_keys.probed, day_keys.days));
  EXPECT_EQ(month_keys.names_per_day, 4u);  // probed a day at a time
  EXPECT_EQ(day_keys.names_per_day, 0u);
  EXPECT_EQ(month_keys.month, 2021 * 12 + 5);
  EXPECT_EQ(day_keys.month, month_keys.month);

  StoryFacts july_day = day;
  july_day.event_start = "2021-07-01";
  july_day.days = {"2021-07-01"};
  const BlockKeys july_keys = BlockKeysOf(july_day, config);
  for (uint32_t k : july_keys.days) EXPECT_FALSE(Holds(month_keys.probed, {k}));

  StoryFacts leap = june;
  leap.event_start = "2024-02";
  EXPECT_EQ(BlockKeysOf(leap, config).probed.size(), 29u * 4u);
  StoryFacts months = june;
  months.event_end = "2021-07";  // a range of months is no month
  EXPECT_TRUE(BlockKeysOf(months, config).probed.empty());

  config.month_min_shared_entities = 0;
  EXPECT_TRUE(BlockKeysOf(june, config).months.empty());
  EXPECT_TRUE(BlockKeysOf(day, config).probed.empty());
}

TEST(DedupTest, CalendarMonthsAreWholeMonthsOnly) {
  EXPECT_TRUE(IsCalendarMonth(RangeOfIso("2021-06", "")));
  EXPECT_TRUE(IsCalendarMonth(RangeOfIso("2024-02", "")));
  EXPECT_TRUE(IsCalendarMonth(RangeOfIso("2023-12", "")));
  EXPECT_TRUE(IsCalendarMonth(RangeOfIso("2021-06-01", "2021-06-30")));
  EXPECT_FALSE(IsCalendarMonth(RangeOfIso("2021-06-01", "2021-06-29")));
  EXPECT_FALSE(IsCalendarMonth(RangeOfIso("2021-06-08", "")));
  EXPECT_FALSE(IsCalendarMonth(RangeOfIso("2021", "")));
  EXPECT_FALSE(IsCalendarMonth(RangeOfIso("2021-06", "2021-07")));
  EXPECT_FALSE(IsCalendarMonth(DayRange{}));
}

// Note i of the newsletter on `day`, naming only its own organization.
ItemSpec IcpcNotice(int i, const std::string& day) {
  ItemSpec s = Plain("", day);
  s.text = "Notice " + std::to_string(i) + ": the ICPC published a note on topic " +
           std::to_string(i * 7) + " of its yearly programme of work and events.";
  s.orgs = Orgs{{"International Centre for the Prevention of Crime", {"ICPC"}}};
  return s;
}

// Conversation() with three actors: the ICPC, Efus and Lyon.
ItemSpec ConversationWithThreeActors() {
  ItemSpec s = Conversation();
  s.orgs = Orgs{{"International Centre for the Prevention of Crime", {"ICPC"}},
                {"European Forum for Urban Safety", {}}};
  s.places = {{"Lyon", "city"}};
  return s;
}

TEST(DedupTest, BusyDayOfTheNewsletterStillLinksRetellings) {
  // 40 other items of the same day naming only the newsletter's own
  // organization saturate the (day, ICPC) key; the retelling still meets its
  // first telling through the event's other organizations.
  std::vector<ItemSpec> busy;
  for (int i = 0; i < 40; ++i) {
    busy.push_back(IcpcNotice(i, "2021-06-08"));
  }
  busy.push_back(Conversation());
  std::vector<Document> docs = Dedup({MakeDocument("000.txt", busy),
                                      MakeDocument("003.txt", {ConversationRetold()})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[40].id);
  for (int i = 1; i < 40; ++i) EXPECT_EQ(docs[0].items[i].duplicate_of, "") << i;
}

TEST(DedupTest, BusyDayOfTheNewsletterStillLinksAMonthRetelling) {
  // As above, the (day, ICPC) keys are saturated; the retelling dated by its
  // month shares three actors with its first telling, one of them ICPC, so
  // only two of its looked-up keys meet it, and the saturated ones count too.
  std::vector<ItemSpec> busy;
  for (int i = 0; i < 40; ++i) {
    busy.push_back(IcpcNotice(i, "2021-06-08"));
  }
  const ItemSpec first = ConversationWithThreeActors();
  busy.push_back(first);
  ItemSpec retold = ConversationRetoldInJune();
  retold.orgs = first.orgs;  // the three actors in common, no more
  retold.places = first.places;
  std::vector<Document> docs =
      Dedup({MakeDocument("000.txt", busy), MakeDocument("003.txt", {retold})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[40].id);
}

TEST(DedupTest, AMonthRetellingJudgesOnlyItemsThatMayBeItsFirstTelling) {
  // A busy June 8 saturates (day, ICPC); ten notes of other June days name
  // the ICPC only. The retelling meets none of them through enough of its
  // keys (the saturated keys of June 8 say nothing of other days' items), so
  // it judges its first telling alone.
  std::vector<ItemSpec> june;
  for (int i = 0; i < 50; ++i) {
    june.push_back(IcpcNotice(i, i < 40 ? "2021-06-08" : "2021-06-1" + std::to_string(i - 40)));
  }
  const ItemSpec first = ConversationWithThreeActors();
  june.push_back(first);
  ItemSpec retold = ConversationRetoldInJune();
  retold.orgs = first.orgs;  // the three actors in common, no more
  retold.places = first.places;

  Deduplicator::Stats without, with;
  Dedup({MakeDocument("000.txt", june)}, &without);
  std::vector<Document> docs =
      Dedup({MakeDocument("000.txt", june), MakeDocument("003.txt", {retold})}, &with);
  EXPECT_EQ(docs[1].items[0].duplicate_of, docs[0].items[50].id);
  EXPECT_EQ(with.candidates - without.candidates, 1u);
}

// Items that share most of their words (a template) and nothing else: their
// event years differ, so none retells another.
std::vector<Document> TemplatedItems(int n) {
  std::vector<Document> docs;
  for (int i = 0; i < n; ++i) {
    ItemSpec s;
    s.text = "The network of prevention practitioners met again this season to review the "
             "projects of its members, to share the lessons of the past year with the partners "
             "of the programme, and to agree on the priorities of the coming months for safer "
             "streets, schools and public transport in the cities that take part. Meeting " +
             std::to_string(i) + " was chaired by member " + std::to_string(i * 7919 % 1000) +
             ".";
    s.event_start = std::to_string(1700 + i);  // a year of its own
    docs.push_back(MakeDocument(std::to_string(i) + ".txt", {s}));
  }
  return docs;
}

TEST(DedupTest, BoilerplateBandsAreSaturated) {
  // Band keys of a shared template meet every item; once a key holds
  // max_items_per_band items it proposes none, so an item's candidates stay
  // bounded (bands x max) however many came before. Unbounded, the last
  // items meet nearly all the earlier ones.
  auto candidates_of_last = [](const StageOptions& options, int n) {
    Deduplicator dedup(options, "");
    std::vector<Document> docs = TemplatedItems(n);
    for (int i = 0; i + 1 < n; ++i) dedup.Process(docs[i]);
    const size_t before = dedup.stats().candidates;
    dedup.Process(docs.back());
    for (const Document& d : docs) EXPECT_EQ(d.items[0].duplicate_of, "") << d.name;
    return dedup.stats().candidates - before;
  };
  TempDir small, unbounded;
  EXPECT_LE(candidates_of_last(RootWithConf(small, "max_items_per_band: 64", "max_items_per_band: 8"), 300),
            10u * 8u);
  EXPECT_GT(candidates_of_last(RootWithConf(unbounded, "max_items_per_band: 64",
                                            "max_items_per_band: 1000000"), 300),
            200u);
}

TEST(DedupTest, RetellingsAreSoughtInOtherFilesOnly) {
  // One issue telling of a day twice, in other words, tells two stories.
  std::vector<Document> docs = Dedup({MakeDocument("000.txt", {Conversation(), ConversationRetold()})});
  EXPECT_EQ(docs[0].items[1].duplicate_of, "");
  // A close copy is a repeat wherever it is.
  docs = Dedup({MakeDocument("000.txt", {Montreal(kSaintMichel, "Saint-Michel"),
                                         Montreal(kSaintMichelEdited, "Saint-Michel")})});
  EXPECT_EQ(docs[0].items[1].duplicate_of, docs[0].items[0].id);
}

TEST(DedupTest, EmptyItemsRepeatNothing) {
  std::vector<Document> docs = Dedup({MakeDocument("a.txt", {Plain("..."), Plain("...")})});
  EXPECT_EQ(docs[0].items[1].duplicate_of, "");
  EXPECT_NE(docs[0].items[1].id, docs[0].items[0].id);
}

TEST(DedupTest, OneSharedOrganizationIsNotEnoughForARetelling) {
  // Only the newsletter's own organization in common.
  ItemSpec thin = ConversationRetold();
  thin.orgs = Orgs{{"ICPC", {}}};
  thin.organizers.clear();
  std::vector<Document> docs =
      Dedup({MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {thin})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
}

TEST(DedupTest, SameDayButUnrelatedTextIsNotARepeat) {
  ItemSpec other = Webinar();
  other.event_start = "2021-06-08";
  other.days = {"2021-06-08"};
  std::vector<Document> docs =
      Dedup({MakeDocument("000.txt", {Conversation()}), MakeDocument("003.txt", {other})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
}

TEST(DedupTest, AlikeSessionsOfOneBoroughAreNotRepeats) {
  // Gold note of corpus/000: items 6 and 9 are alike but not duplicates.
  ItemSpec session = Montreal(kMontrealNorthSession, "Montr\u00e9al-Nord");
  ItemSpec committee = Montreal(kMontrealNorthCommittee, "Montr\u00e9al-Nord");
  std::vector<Document> docs = Dedup({MakeDocument("000.txt", {session, committee})});
  EXPECT_EQ(docs[0].items[1].duplicate_of, "");
}

TEST(DedupTest, RepeatOfARetellingLinksToTheFirstTelling) {
  // 003 retells 000's story; 004 copies 003's wording: all lead to 000.
  std::vector<Document> docs = Dedup({MakeDocument("000.txt", {Conversation()}),
                                    MakeDocument("003.txt", {ConversationRetold()}),
                                    MakeDocument("004.txt", {ConversationRetold()})});
  const std::string first = docs[0].items[0].id;
  EXPECT_EQ(docs[1].items[0].duplicate_of, first);
  EXPECT_EQ(docs[2].items[0].duplicate_of, first);
}

TEST(DedupTest, ShortTextsAreOnlyExactRepeats) {
  // "Photo credits" lines: 2 shingles, under min_shingles.
  std::vector<Document> docs = Dedup({MakeDocument("a.txt", {Plain("Photo credits: Zied.")}),
                                    MakeDocument("b.txt", {Plain("Photo credits: Ann.")}),
                                    MakeDocument("c.txt", {Plain("Photo credits: Zied.")})});
  EXPECT_EQ(docs[1].items[0].duplicate_of, "");
  EXPECT_EQ(docs[2].items[0].duplicate_of, docs[0].items[0].id);
}

// ------------------------------------------------------------ determinism

// A drop of synthetic documents mixing originals, exact repeats, edited
// copies, retellings and look-alikes.
std::vector<Document> SyntheticDrop() {
  ItemSpec saint_michel_dated = Montreal(kSaintMichel, "Saint-Michel");
  saint_michel_dated.event_start = "2021-03-04";
  return {
      MakeDocument("000.txt", {Conversation(), Webinar(), Montreal(kSaintMichel, "Saint-Michel")}),
      MakeDocument("001.txt", {Plain(kNetworkMeeting2022, "2022-01-11"), Conversation()}),
      MakeDocument("002.txt", {Montreal(kLachine, "Lachine"),
                               Montreal(kSaintMichelEdited, "Saint-Michel"), WebinarRetold()}),
      MakeDocument("003.txt", {ConversationRetold(), Plain(kNetworkMeeting2023, "2023-01-10"),
                               Montreal(kMontrealNorthSession, "Montr\u00e9al-Nord")}),
      MakeDocument("004.txt", {Montreal(kMontrealNorthCommittee, "Montr\u00e9al-Nord"),
                               Webinar(), saint_michel_dated, Plain(kNetworkMeeting2022, "2022-01-11")}),
  };
}

struct Outcome {
  std::vector<std::string> ids, duplicates;
  std::vector<bool> seen;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

void Collect(const Document& doc, const std::vector<bool>& seen, Outcome* out) {
  for (size_t i = 0; i < doc.items.size(); ++i) {
    out->ids.push_back(doc.items[i].id);
    out->duplicates.push_back(doc.items[i].duplicate_of);
    out->seen.push_back(seen[i]);
  }
}

Outcome RunWithState(const std::string& state, std::vector<Document> docs, bool commit = true) {
  Outcome out;
  Deduplicator dedup(DefaultOptions(), state);
  for (Document& d : docs) Collect(d, dedup.Process(d), &out);
  if (commit) dedup.Commit();
  return out;
}

TEST(DedupTest, SyntheticDropLinksAsExpected) {
  std::vector<Document> docs = Dedup(SyntheticDrop());
  auto id = [&](int d, int i) { return docs[d].items[i].id; };
  auto dup = [&](int d, int i) { return docs[d].items[i].duplicate_of; };
  EXPECT_EQ(dup(1, 1), id(0, 0));  // exact
  EXPECT_EQ(dup(2, 0), "");        // other borough
  EXPECT_EQ(dup(2, 1), id(0, 2));  // edited copy
  EXPECT_EQ(dup(2, 2), id(0, 1));  // retelling
  EXPECT_EQ(dup(3, 0), id(0, 0));  // retelling
  EXPECT_EQ(dup(3, 1), "");        // a year later
  EXPECT_EQ(dup(3, 2), "");
  EXPECT_EQ(dup(4, 0), "");        // alike, another session
  EXPECT_EQ(dup(4, 1), id(0, 1));  // exact
  EXPECT_EQ(dup(4, 2), id(0, 2));  // same text, now dated: no contradiction
  EXPECT_EQ(dup(4, 3), id(1, 0));  // exact
  std::set<std::string> ids;
  for (const Document& d : docs)
    for (const Item& item : d.items) ids.insert(item.id);
  EXPECT_EQ(ids.size(), 15u);
}

// Keys bring their blocking keys made (in extract's parallel part); keys
// read back from a shard do not, and the index makes them: the same links.
TEST(DedupTest, KeysWithOrWithoutTheirBlockingKeysJudgeAlike) {
  std::vector<Document> with = SyntheticDrop(), without = SyntheticDrop();
  Deduplicator a(DefaultOptions(), ""), b(DefaultOptions(), "");
  for (size_t d = 0; d < with.size(); ++d) {
    std::vector<StoryKey> keys, bare;
    for (const Item& item : with[d].items) {
      keys.push_back(a.KeyOf(with[d], item));
      ASSERT_TRUE(keys.back().block_keys.has_value());
      EXPECT_EQ(*keys.back().block_keys, BlockKeysOf(keys.back().facts, LoadDedupConfig(
                                             DefaultOptions().root + "/models/dedup/dedup.conf")));
      bare.push_back(keys.back());
      bare.back().block_keys.reset();
    }
    a.Process(with[d], std::move(keys));
    b.Process(without[d], std::move(bare));
    for (size_t i = 0; i < with[d].items.size(); ++i) {
      EXPECT_EQ(with[d].items[i].id, without[d].items[i].id);
      EXPECT_EQ(with[d].items[i].duplicate_of, without[d].items[i].duplicate_of);
    }
  }
  EXPECT_EQ(a.stats().dated, b.stats().dated);
  EXPECT_GT(a.stats().dated, 0u);  // the blocking keys were used
}

// Keys judged in place (extract frees them outside its serial sink) give the
// same ids and links; what the judge does not keep is left in them.
TEST(DedupTest, KeysJudgedInPlaceAreLeftToTheCaller) {
  std::vector<Document> in_place = SyntheticDrop(), moved = SyntheticDrop();
  Deduplicator a(DefaultOptions(), ""), b(DefaultOptions(), "");
  for (size_t d = 0; d < in_place.size(); ++d) {
    std::vector<StoryKey> keys, copies;
    for (const Item& item : in_place[d].items) keys.push_back(a.KeyOf(in_place[d], item));
    copies = keys;
    a.Process(in_place[d], &keys);
    b.Process(moved[d], std::move(copies));
    ASSERT_EQ(keys.size(), in_place[d].items.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      EXPECT_EQ(in_place[d].items[i].id, moved[d].items[i].id);
      EXPECT_EQ(in_place[d].items[i].duplicate_of, moved[d].items[i].duplicate_of);
      EXPECT_EQ(keys[i].facts, a.KeyOf(in_place[d], in_place[d].items[i]).facts);
    }
  }
}

TEST(DedupTest, OneFileAtATimeWithAStateGivesTheSameLinksAsOneRun) {
  TempDir dir;
  const Outcome all_at_once = RunWithState(dir.File("once.db"), SyntheticDrop());
  Outcome in_memory;
  {
    Deduplicator dedup(DefaultOptions(), "");
    std::vector<Document> docs = SyntheticDrop();
    for (Document& d : docs) Collect(d, dedup.Process(d), &in_memory);
  }
  EXPECT_EQ(all_at_once, in_memory);

  Outcome one_by_one;
  std::vector<Document> docs = SyntheticDrop();
  for (Document& d : docs) {
    Outcome part = RunWithState(dir.File("incremental.db"), {d});
    one_by_one.ids.insert(one_by_one.ids.end(), part.ids.begin(), part.ids.end());
    one_by_one.duplicates.insert(one_by_one.duplicates.end(), part.duplicates.begin(),
                                 part.duplicates.end());
    one_by_one.seen.insert(one_by_one.seen.end(), part.seen.begin(), part.seen.end());
  }
  EXPECT_EQ(one_by_one, all_at_once);
  for (bool s : one_by_one.seen) EXPECT_FALSE(s);
}

TEST(DedupTest, SameDropTwiceIsAllSeenWithTheSameIdsAndLinks) {
  TempDir dir;
  const std::string state = dir.File("state.db");
  const Outcome first = RunWithState(state, SyntheticDrop());
  const Outcome second = RunWithState(state, SyntheticDrop());
  EXPECT_EQ(second.ids, first.ids);
  EXPECT_EQ(second.duplicates, first.duplicates);
  for (bool s : second.seen) EXPECT_TRUE(s);

  // A grown drop: old files seen, the new one linked against them.
  std::vector<Document> grown = SyntheticDrop();
  grown.push_back(MakeDocument("005.txt", {Webinar(), Plain(kLachine)}));
  const Outcome third = RunWithState(state, grown);
  const size_t old_items = first.ids.size();
  for (size_t i = 0; i < old_items; ++i) EXPECT_TRUE(third.seen[i]);
  EXPECT_FALSE(third.seen[old_items]);
  EXPECT_EQ(third.duplicates[old_items], first.ids[1]);  // 000.txt's webinar
}

TEST(DedupTest, EditedFileIsNewButLinked) {
  TempDir dir;
  const std::string state = dir.File("state.db");
  RunWithState(state, {MakeDocument("a.txt", {Montreal(kSaintMichel, "Saint-Michel")})});
  const Outcome edited =
      RunWithState(state, {MakeDocument("a.txt", {Montreal(kSaintMichelEdited, "Saint-Michel")})});
  EXPECT_FALSE(edited.seen[0]);
  EXPECT_NE(edited.duplicates[0], "");
}

TEST(DedupTest, TwoFilesOfOneNameKeepTheirOwnIdsAcrossRuns) {
  TempDir dir;
  const std::string state = dir.File("state.db");
  auto drop = [] {
    return std::vector<Document>{MakeDocument("news.txt", {Webinar()}),
                                 MakeDocument("news.txt", {Webinar()})};
  };
  const Outcome first = RunWithState(state, drop());
  EXPECT_NE(first.ids[0], first.ids[1]);
  const Outcome second = RunWithState(state, drop());
  EXPECT_EQ(second.ids, first.ids);
  EXPECT_EQ(second.seen, (std::vector<bool>{true, true}));
}

TEST(DedupTest, NothingIsWrittenWithoutCommit) {
  TempDir dir;
  const std::string state = dir.File("state.db");
  RunWithState(state, SyntheticDrop(), /*commit=*/false);
  EXPECT_FALSE(std::filesystem::exists(state));
  RunWithState(state, {MakeDocument("000.txt", {Conversation()})});
  const Outcome later = RunWithState(state, SyntheticDrop(), /*commit=*/false);
  EXPECT_TRUE(later.seen[0]);
  for (size_t i = 1; i < later.seen.size(); ++i) EXPECT_FALSE(later.seen[i]) << i;
  // The uncommitted run left nothing: the same holds again.
  const Outcome again = RunWithState(state, SyntheticDrop(), /*commit=*/false);
  EXPECT_EQ(again.seen, later.seen);
}

TEST(DedupTest, ConcurrentRunsCannotBothCommit) {
  TempDir dir;
  const std::string state = dir.File("state.db");
  RunWithState(state, {MakeDocument("000.txt", {Conversation()})});
  Deduplicator a(DefaultOptions(), state), b(DefaultOptions(), state);
  std::vector<Document> da = {MakeDocument("001.txt", {Webinar()})};
  std::vector<Document> db = {MakeDocument("002.txt", {Plain(kLachine)})};
  a.Process(da[0]);
  b.Process(db[0]);
  a.Commit();
  EXPECT_THROW(b.Commit(), StateError);
  // b's item is not in the state; a's is.
  const Outcome check = RunWithState(state, {MakeDocument("001.txt", {Webinar()}),
                                             MakeDocument("002.txt", {Plain(kLachine)})},
                                     /*commit=*/false);
  EXPECT_EQ(check.seen, (std::vector<bool>{true, false}));
}

// ------------------------------------------------------------ configuration

TEST(DedupTest, StateRefusesOtherSketchSettings) {
  TempDir dir;
  const std::string state = dir.File("state.db");
  RunWithState(state, {MakeDocument("000.txt", {Conversation()})});
  TempDir root;
  const StageOptions other = RootWithConf(root, "shingle_words: 2", "shingle_words: 3");
  EXPECT_THROW(Deduplicator(other, state), StateError);
  // Thresholds may change.
  TempDir root2;
  const StageOptions tuned = RootWithConf(root2, "jaccard: 0.85", "jaccard: 0.9");
  EXPECT_NO_THROW(Deduplicator(tuned, state));
}

TEST(DedupTest, BadConfigurationNamesFileAndLine) {
  struct Case {
    std::string from, to, message;
  };
  for (const Case& c : std::vector<Case>{
           {"bins: 128", "bins: many", "must be a number"},
           {"bins: 128", "bins: 4", "between"},
           {"rows: 4", "rows: 4\nwidth: 3", "unknown field 'width'"},
           {"jaccard: 0.85", "jaccard: 1.5", "between"},
           {"max_items_per_key: 32", "max_items_per_key: 0", "between"},
           {"max_items_per_band: 64", "max_items_per_band: 0", "between"},
           {"weak_links_across_files_only: yes", "weak_links_across_files_only: 1", "yes or no"},
           {"rule: facts", "rule: fact", "unknown block 'fact'"},
           {"bands: 10", "bands: 40", "must not exceed"},
       }) {
    TempDir root;
    const StageOptions options = RootWithConf(root, c.from, c.to);
    try {
      Deduplicator dedup(options, "");
      ADD_FAILURE() << "no error for " << c.to;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("dedup.conf:"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace newsevents

// The story text behind ids and fingerprints ("text-v1"): folded, each run of
// spaces, tabs and line feeds one space, no space at either end.
TEST(StoryText, SpacesAreCollapsedAndTrimmed) {
  EXPECT_EQ(newsevents::NormalizedStoryText("  Le Québec\t\tet  la\n\nVille \n"), "le quebec et la ville");
  EXPECT_EQ(newsevents::NormalizedStoryText("one"), "one");
  EXPECT_EQ(newsevents::NormalizedStoryText(" \t\n "), "");
  EXPECT_EQ(newsevents::NormalizedStoryText(""), "");
}
