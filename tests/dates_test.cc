// The date stage in English, and what every language shares: rule-file
// examples, configuration errors, resolution and event-date policy.
#include "pipeline/dates.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "pipeline/config_error.h"
#include "pipeline/date_calendar.h"
#include "pipeline/rule_file.h"
#include "tests/dates_test_util.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;
using testing_dates::DateCase;
using testing_dates::Dates;
using testing_dates::DocumentDates;
using testing_dates::Event;
using testing_dates::Stage;

TEST(DateRules, EveryExampleAndCounterOfEveryLanguagePasses) {
  const DateStage& stage = Stage();
  std::vector<std::string> failures = stage.CheckExamples();
  for (const std::string& f : failures) ADD_FAILURE() << f;
  EXPECT_GT(stage.example_count(), 250u);
  std::vector<std::string> langs = stage.languages();
  for (const char* lang : {"en", "fr", "es"})
    EXPECT_NE(std::find(langs.begin(), langs.end(), lang), langs.end()) << lang;
}

// A copy of the rules with one file replaced, to check load errors.
std::string RulesWith(const std::string& relative, const std::string& text) {
  fs::path root = fs::temp_directory_path() / ("dates_test_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  fs::copy(fs::path(DataRoot()) / "rules", root / "rules", fs::copy_options::recursive);
  std::ofstream(root / relative) << text;
  return root.string();
}

void ExpectConfigError(const std::string& rules_text, const std::string& needle) {
  StageOptions options;
  options.root = RulesWith("rules/en/dates.rules", rules_text);
  try {
    DateStage stage(options);
    ADD_FAILURE() << "no ConfigError for: " << rules_text;
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("dates.rules:"), std::string::npos) << e.what();
  }
  fs::remove_all(options.root);
}

TEST(DateRules, BrokenRulesNameFileAndLine) {
  ExpectConfigError("rule: r\npattern: (?P<month>%nosuchvocab)\nvalue: XXXX-{month}\n",
                    "unknown define or vocabulary");
  ExpectConfigError("rule: r\npattern: (?P<colour>red)\nvalue: 2020\n", "not a date part");
  ExpectConfigError("rule: r\npattern: (?P<year>%year4)\nvalue: {year}-{month}\n",
                    "which the pattern lacks");
  ExpectConfigError("rule: r\npattern: (?P<year>%year4\nvalue: {year}\n", "does not compile");
  ExpectConfigError("rule: r\npattern: (?P<year>%year4)\nvalue: {year}\ncolour: red\n",
                    "unknown field");
  ExpectConfigError("rule: r\npattern: (?P<year>%year4)\nvalue: {year}\nexample: no arrow\n",
                    "example must read");
}

TEST(DateRules, BadReferenceDateIsAConfigError) {
  StageOptions options;
  options.reference_date = "next tuesday";
  EXPECT_THROW(DateStage stage(options), ConfigError);
}

TEST(Calendar, ValuesAndWeekdays) {
  EXPECT_EQ(FormatIso(*ParseCalendarValue("2023-03-07")), "2023-03-07");
  EXPECT_EQ(FormatIso(*ParseCalendarValue("XXXX-06")), "XXXX-06");
  EXPECT_TRUE(ParseCalendarValue("REF-1")->relative);
  EXPECT_FALSE(ParseCalendarValue("2023-02-29"));
  EXPECT_TRUE(ParseCalendarValue("2024-02-29"));
  EXPECT_TRUE(ParseCalendarValue("XXXX-02-29"));
  EXPECT_FALSE(ParseCalendarValue("2023-13"));
  EXPECT_EQ(DayOfWeek(2023, 11, 20), 1);  // a Monday
  EXPECT_EQ(DayOfWeek(2021, 6, 4), 5);    // a Friday
}

TEST(Calendar, AppendPaddedPrintsAsPrintfDoes) {
  for (int width : {0, 1, 2, 4}) {
    for (int v : {0, 1, 7, 9, 10, 12, 99, 100, 2023, 12345, -1, -7, -42, -2023}) {
      char expected[32];
      std::snprintf(expected, sizeof expected, "%0*d", width, v);
      std::string got = "x";
      AppendPadded(&got, v, width);
      std::string want = "x";
      want += expected;
      EXPECT_EQ(got, want) << v << " width " << width;
    }
  }
}

// ------------------------------------------------------------ English

const DateCase kEnglish[] = {
    // Days, months, years in the orders news writers use.
    {"From March 7 to 9, 2023, the ICPC was pleased to take part in the World Police Summit.",
     "March 7 to 9, 2023=2023-03-07/2023-03-09"},
    {"It was held online from November 21 to 22, 2023.",
     "November 21 to 22, 2023=2023-11-21/2023-11-22"},
    {"The deadline for applying is July 30, 2021.", "July 30, 2021=2021-07-30"},
    {"On 7 March 2023, the mayor opened the forum.", "7 March 2023=2023-03-07"},
    {"We were honoured to participate, on December 12 2023, in the first webinar.",
     "December 12 2023=2023-12-12"},
    {"The meeting was held on April 17,  2024, in Córdoba.", "April 17,  2024=2024-04-17"},
    {"The DG met actors in Paris on May 17, 2022, and in Brussels on May 23.",
     "May 17, 2022=2022-05-17 | May 23=2022-05-23"},
    {"On July 4 and 5, 2018, the ICPC presented its work.", "July 4 and 5, 2018=2018-07-04/2018-07-05"},
    {"The ICPC took part in the summit on the 26 and 27 of November 2018.",
     "26 and 27 of November 2018=2018-11-26/2018-11-27"},
    {"Training sessions took place between September 19 and 21, 2016 in Lyon.",
     "September 19 and 21, 2016=2016-09-19/2016-09-21"},
    {"The session took place from 10 to 12 November 2021.",
     "10 to 12 November 2021=2021-11-10/2021-11-12"},
    {"The exhibition runs from March 30 to April 2, 2023.",
     "March 30 to April 2, 2023=2023-03-30/2023-04-02"},
    {"The programme ran from December 28, 2023 to January 3, 2024.",
     "December 28, 2023 to January 3, 2024=2023-12-28/2024-01-03"},
    {"The congress, scheduled for April 20-27, 2020, was postponed to March 7-12, 2021.",
     "April 20-27, 2020=2020-04-20/2020-04-27 | March 7-12, 2021=2021-03-07/2021-03-12"},
    {"The local safety audit will be finished in June 2021.", "June 2021=2021-06"},
    {"On mission in Europe during the month of May 2022, the ICPC met partners.",
     "May 2022=2022-05"},
    {"Read the press release: Press release (April 2021)", "April 2021=2021-04"},
    {"The survey was conducted from June to August 2022.", "June to August 2022=2022-06/2022-08"},
    {"During the fall of 2022, the ICPC participated in the coordination meeting.",
     "the fall of 2022=2022-09/2022-11"},
    {"The strategy will be reviewed in spring 2024.", "spring 2024=2024-03/2024-05"},
    {"The project, funded for 2023-2025, started in 2023.", "2023-2025=2023/2025 | 2023=2023"},
    {"Since 2019, this collaboration has grown.", "2019=2019"},
    {"Founded in 1990, UBP stands out for its approach.", "1990=1990"},
    {"The data cover the years from 2015 to 2020.", "2015 to 2020=2015/2020"},
    {"He was, between 2019 and 2020, the Principal Consultant (2019-2020).",
     "2019 and 2020=2019/2020 | 2019-2020=2019/2020"},
    {"The report was posted on 2023-03-07 on our site.", "2023-03-07=2023-03-07"},
    {"The form is dated 3/7/2023.", "3/7/2023=2023-03-07"},
    {"The ICPC took part in the last 2023 RAPS meeting", "2023=2023"},
    {"the DataJam Pasos Libres 2021 that will take place worldwide", "2021=2021"},
    {"The reform, launched in mid-2023, is still under way.", "mid-2023=2023"},
    // Not dates.
    {"Ann Champoux shared the work of the ICPC for almost 30 years.", ""},
    {"Length: 2-day accelerated training course, a three year project.", ""},
    {"A project for youth aged 12 to 25, including 4 youth under 30.", ""},
    {"To watch Oscar Figueroa's intervention (22min10-1hour16) :", ""},
    {"The ICPC attended the 7th Meeting of National Authorities and the 24th edition.", ""},
    {"info@cipc-icpc.org +1-514-288-6731", ""},
    {"Each team received $2,000 and 1500 participants attended.", ""},
    {"In its resolution 72/192, the General Assembly decided.", ""},
    {"Day 1 - USLab: a model. The impact of COVID-19 on transport.", ""},
    {"The UN's New Urban Agenda and Agenda 2030 and the 2030 Agenda for Sustainable Development.",
     ""},
    {"Our office at 2050 Sherbrooke Street West welcomes visitors.", ""},
    {"Theresa May met the March of Dimes; we may march in the fall in crime rates.", ""},
    {"It was the last meeting of the year.", ""},
};

TEST(DatesEnglish, Mentions) {
  for (const DateCase& c : kEnglish) EXPECT_EQ(Dates("en", c.text), c.expected) << c.text;
}

TEST(DatesEnglish, YearlessDatesKeepAnUnknownYearWithoutContext) {
  EXPECT_EQ(Dates("en", "On June 8th, the ICPC was invited by Efus."), "June 8th=XXXX-06-08");
  EXPECT_EQ(Dates("en", "On the 21st of May at The Cybersecurity Revolution"),
            "21st of May=XXXX-05-21");
  EXPECT_EQ(Dates("en", "on Monday 20 November we had the pleasure"), "20 November=XXXX-11-20");
  EXPECT_EQ(Dates("en", "The latest edition that took place in June focused on"), "June=XXXX-06");
  EXPECT_EQ(Dates("en", "They will meet in the fall, and lastly"), "the fall=XXXX-09/XXXX-11");
  // A relative year with nothing to anchor it names no year: not a date.
  EXPECT_EQ(Dates("en", "The ICPC is co-organizing a webinar series this year."), "");
}

TEST(DatesEnglish, ResolutionFromTheItem) {
  // Nearest written year before, else after.
  EXPECT_EQ(Dates("en", "On October 30, 2023, ICPC met partners. On December 12, it spoke."),
            "October 30, 2023=2023-10-30 | December 12=2023-12-12");
  EXPECT_EQ(Dates("en", "On June 4th the teams met. The final was on June 8, 2021."),
            "June 4th=2021-06-04 | June 8, 2021=2021-06-08");
  // A bare year earlier in the same sentence anchors; one in another sentence
  // (background) does not.
  EXPECT_EQ(Dates("en", "The first session of the 2023 Community was held on April 26."),
            "2023=2023 | April 26=2023-04-26");
  EXPECT_EQ(Dates("en", "On July 24, we spoke in Querétaro. The Lab was implemented in 2020.",
                  "2024-09-01"),
            "July 24=2024-07-24 | 2020=2020");
}

TEST(DatesEnglish, ResolutionFromHeadingNeighboursAndNow) {
  // Year heading of an archive.
  EXPECT_EQ(DocumentDates("en", {{"On June 14, the ICPC attended the meeting.", "2022"}})[0],
            "June 14=2022-06-14");
  // The heading outranks a background date later in the item.
  EXPECT_EQ(DocumentDates("en", {{"From September 12 to 15, the ICPC took part in a school "
                                  "created after the Paris attacks in January 2015.",
                                  "2016"}})[0],
            "September 12 to 15=2016-09-12/2016-09-15 | January 2015=2015-01");
  // Neighbouring items: the nearest dated story.
  std::vector<std::string> d = DocumentDates(
      "en", {{"On July 24, we shared our expertise.", ""},
             {"A meeting was held on April 17, 2024.", ""},
             {"On December 14, we attended the launch.", ""},
             {"It was held online from November 21 to 22, 2023.", ""}});
  EXPECT_EQ(d[0], "July 24=2024-07-24");
  EXPECT_EQ(d[2], "December 14=2023-12-14");
  // An undated story between does not hide the dated ones beyond it; a date
  // between two stories of different years takes the year between them.
  d = DocumentDates("en", {{"The webinar took place on April 25, 2023.", ""},
                           {"She was a director from 2012 to 2020.", ""},
                           {"From February 6 to 10, a delegation travelled to Dakar.", ""},
                           {"The workshop was held on October 5, 2022.", ""}});
  EXPECT_EQ(d[2], "February 6 to 10=2023-02-06/2023-02-10");
  // One dated story near: the year that puts the date nearest to it.
  d = DocumentDates("en", {{"She was elected on December 10, 2024.", ""},
                           {"On February 4, she was interviewed by the radio.", ""}});
  EXPECT_EQ(d[1], "February 4=2025-02-04");
  // A yearless date before a later anchor of its item is the year before it.
  EXPECT_EQ(Dates("en", "The week planned for November 18 to 22 is postponed to the spring of 2025."),
            "November 18 to 22=2024-11-18/2024-11-22 | the spring of 2025=2025-03/2025-05");
  // "Now" from --reference-date, with tense as the tie-breaker.
  EXPECT_EQ(Dates("en", "On December 14, we attended the launch.", "2024-02-10"),
            "December 14=2023-12-14");
  EXPECT_EQ(Dates("en", "The forum will open on March 3.", "2024-11-20"), "March 3=2025-03-03");
  EXPECT_EQ(Dates("en", "The webinar took place in June.", "2021-09-01"), "June=2021-06");
  // Relative years take now's year plus their offset.
  EXPECT_EQ(Dates("en", "Last year, the Centre published a report; next spring it will publish "
                        "another one this year.",
                  "2024-05-02"),
            "Last year=2023 | next spring=2025-03/2025-05 | this year=2024");
  // Without a reference date, now is the document's newest dated story.
  d = DocumentDates("en", {{"The deadline for applying is July 30, 2021.", ""},
                           {"The ICPC is co-organizing a webinar series this year.", ""}});
  EXPECT_EQ(d[1], "this year=2021");
}

TEST(DatesEnglish, WeekdayMovesTheYear) {
  // June 4th is a Friday in 2021, not in 2024.
  EXPECT_EQ(Dates("en", "Friday June 4th, at the end of the DataJam, the winners were announced.",
                  "2024-04-17"),
            "June 4th=2021-06-04");
  // 20 November is a Monday in 2023.
  EXPECT_EQ(Dates("en", "On Monday 20 November we had the pleasure of attending.", "2024-02-05"),
            "20 November=2023-11-20");
}

TEST(DatesEnglish, RangesWrapIntoTheNextYear) {
  EXPECT_EQ(Dates("en", "The office will be closed from December 28 to January 3.", "2023-12-01"),
            "December 28 to January 3=2023-12-28/2024-01-03");
  EXPECT_EQ(Dates("en", "Classes resume in winter 2022."), "winter 2022=2022-12/2023-02");
}

TEST(DatesEnglish, EventDates) {
  EXPECT_EQ(Event("en", "On June 8th, 2021, the ICPC was invited by the European Forum."),
            "2021-06-08");
  EXPECT_EQ(Event("en", "The ICPC had the privilege of participating in the conference, held "
                        "online from November 21 to 22, 2023."),
            "2023-11-21/2023-11-22");
  EXPECT_EQ(Event("en", "The ICPC is looking for an analyst. The deadline for applying is July "
                        "30, 2021."),
            "2021-07-30");
  EXPECT_EQ(Event("en", "Interested candidates are invited to send their resume by February 5, "
                        "2024."),
            "2024-02-05");
  // A future plan and background years are not the event.
  EXPECT_EQ(Event("en", "The ICPC met local actors. The audit will be finished in June 2021."),
            "none");
  EXPECT_EQ(Event("en", "Founded in 1994, the ICPC has been active since 2020."), "none");
  // The rescheduled dates, not the cancelled ones.
  EXPECT_EQ(Event("en", "The Congress, scheduled to be held in Kyoto, April 20-27, 2020, has "
                        "been postponed to March 7-12, 2021."),
            "2021-03-07/2021-03-12");
  // Two dated events of one story span the story.
  EXPECT_EQ(Event("en", "On July 24, 2024, we spoke at the Congress. In addition, on August 21, "
                        "2024, we spoke in Nuevo León."),
            "2024-07-24/2024-08-21");
}

// "held ... on <date>": the event verb holds at most 40 characters (not
// bytes) before the date, none of them '.' or ';' (its gap is checked by
// reading bytes, not by the cue set: EventDateRules::GapHolds).
TEST(DatesEnglish, EventVerbGapCountsCharacters) {
  auto reason = [](const std::string& gap) {
    DateStage stage{StageOptions{}};
    Document doc = testing_dates::MakeDocument("en", {{"The forum was held" + gap + "March 7, 2023.", "2023"}});
    stage.Apply(doc);
    return doc.items[0].event_date ? doc.items[0].event_date->reason : std::string("none");
  };
  std::string accents;
  for (int i = 0; i < 10; ++i) accents += "\xC3\xA9";  // "é", two bytes, one character
  const std::string gap40 = " " + accents + std::string(28, 'x') + " ";  // 40 characters
  EXPECT_NE(reason(gap40).find("event_verb_before"), std::string::npos) << reason(gap40);
  EXPECT_EQ(reason(" x" + gap40).find("event_verb_before"), std::string::npos) << reason(" x" + gap40);
  EXPECT_EQ(reason(" there; then ").find("event_verb_before"), std::string::npos);
  EXPECT_NE(reason(" there, then ").find("event_verb_before"), std::string::npos);
}

TEST(DatesEnglish, ExplainNamesTheYearSource) {
  StageOptions options;
  options.explain = true;
  DateStage stage(options);
  Document doc = testing_dates::MakeDocument("en", {{"On June 14, the ICPC attended.", "2022"}});
  stage.Apply(doc);
  ASSERT_EQ(doc.items[0].dates.size(), 1u);
  EXPECT_EQ(doc.items[0].dates[0].rule, "month_day; year from heading");
  EXPECT_EQ(doc.items[0].dates[0].precision, "day");
  ASSERT_TRUE(doc.items[0].event_date);
  EXPECT_NE(doc.items[0].event_date->reason.find("on_date"), std::string::npos);
}

TEST(DatesEnglish, UndeterminedLanguageReadsAsEnglish) {
  Document doc = testing_dates::MakeDocument("und", {{"Held on March 7, 2023.", ""}});
  doc.lang = "und";
  Stage().Apply(doc);
  EXPECT_EQ(testing_dates::FormatDates(doc.items[0]), "March 7, 2023=2023-03-07");
}

}  // namespace
}  // namespace newsevents
