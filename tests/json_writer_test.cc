#include "pipeline/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <nlohmann/json.hpp>

namespace newsevents {
namespace {

// What the records were written with before JsonWriter, and must still be.
std::string NlohmannDump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Written(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST(JsonWriterTest, StringsAreEscapedAsNlohmannDoes) {
  const std::vector<std::string> cases = {
      "",
      "plain ASCII",
      "quote \" backslash \\ slash /",
      "tab\there, line\nfeed, return\r, bell\a, escape\x1b, nul" + std::string(1, '\0'),
      "\b\f\x01\x1f\x7f",
      "Montr\xc3\xa9" "al \xe2\x80\x99 \xf0\x9f\x98\x80",  // 2-, 3- and 4-byte sequences
      "\xef\xbb\xbf BOM and \xef\xbf\xbd replacement",
      // Not UTF-8: nlohmann replaces, and the writer must replace alike.
      "lone continuation \x80 here",
      "truncated \xc3",
      "truncated \xe2\x80",
      "overlong \xc0\xaf and \xe0\x80\xaf",
      "surrogate \xed\xa0\x80",
      "above U+10FFFF \xf4\x90\x80\x80",
      "\xff\xfe",
      "\xf0\x9f\x98",
  };
  for (const std::string& s : cases)
    EXPECT_EQ(Written(s), NlohmannDump(nlohmann::ordered_json(s))) << s;
}

TEST(JsonWriterTest, RandomBytesAreEscapedAsNlohmannDoes) {
  // Mostly non-ASCII and control bytes, so that many strings are invalid.
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> len(0, 24);
  const std::string alphabet = std::string("ab\"\\\n\x01 ") + "\x80\xbf\xc2\xc3\xa9\xdf\xe0\xa0\xe2"
                               "\xed\x9f\xef\xf0\x90\xf4\x8f\xf5\xff";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    for (int i = len(rng); i > 0; --i) s.push_back(alphabet[pick(rng)]);
    ASSERT_EQ(Written(s), NlohmannDump(nlohmann::ordered_json(s))) << n;
  }
}

// The writer sizes the string ahead and writes through a cursor: long
// strings, many escapes and an invalid byte late in a long string must grow
// it correctly, and what the string held before is kept.
TEST(JsonWriterTest, LongValuesGrowTheStringAndKeepItsStart) {
  std::mt19937 rng(11);
  const std::string alphabet = std::string("abc de\"\\\n\x01") + "\xc3\xa9" + "\xe2\x80\x99";
  for (int n = 0; n < 300; ++n) {
    nlohmann::ordered_json expected = nlohmann::ordered_json::object();
    std::string out = "prefix ";
    JsonWriter w(&out);
    w.BeginObject();
    const int members = static_cast<int>(rng() % 6);
    for (int m = 0; m < members; ++m) {
      std::string s;
      const size_t length = rng() % (n < 150 ? 40 : 6000);
      while (s.size() < length) s += alphabet.substr(rng() % alphabet.size(), 1 + rng() % 3);
      if (n % 7 == 0 && !s.empty()) s[rng() % s.size()] = '\xff';  // nlohmann replaces
      const std::string key = "k" + std::to_string(m);
      w.Key(key);
      w.String(s);
      expected[key] = s;
    }
    w.Key("n");
    w.UInt(n);
    expected["n"] = n;
    w.EndObject();
    EXPECT_EQ(out, "prefix " + NlohmannDump(expected)) << n;
  }
}

TEST(JsonWriterTest, EachTopLevelValueEndsTheString) {
  std::string out;
  JsonWriter w(&out);
  w.UInt(7);
  EXPECT_EQ(out, "7");
  w.BeginArray();
  EXPECT_EQ(out.substr(0, 3), "7,[");  // in the middle of a value: the text so far, then anything
  w.EndArray();
  EXPECT_EQ(out, "7,[]");
  // What the caller appends after a finished value is kept (RecordLine ends
  // its line while the writer is still alive).
  std::string line;
  {
    JsonWriter record(&line);
    record.BeginObject();
    record.EndObject();
    line.push_back('\n');
  }
  EXPECT_EQ(line, "{}\n");
}

TEST(JsonWriterTest, NumbersAreWrittenAsNlohmannDoes) {
  const std::vector<double> doubles = {0.0,    -0.0,   1.0,   0.5,     0.001,  0.1,   0.123,
                                       0.987,  2.0 / 3, 1e20,  1e-7,    123.456, -4.25,
                                       std::numeric_limits<double>::quiet_NaN(),
                                       std::numeric_limits<double>::infinity()};
  for (double d : doubles) {
    std::string out;
    JsonWriter w(&out);
    w.Double(d);
    EXPECT_EQ(out, NlohmannDump(nlohmann::ordered_json(d))) << d;
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{42}, std::numeric_limits<int64_t>::min()}) {
    std::string out;
    JsonWriter(&out).Int(v);
    EXPECT_EQ(out, NlohmannDump(nlohmann::ordered_json(v)));
  }
  std::string out;
  JsonWriter(&out).UInt(std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(out, NlohmannDump(nlohmann::ordered_json(std::numeric_limits<uint64_t>::max())));
}

// Plain strings are copied by blocks (whole, in overlapping halves, or 16
// bytes at a time with an overlapping last block): every length, with one
// byte to escape or one non-ASCII sequence at every place.
TEST(JsonWriterTest, EveryLengthAndPlaceOfAnEscapeIsWrittenAsNlohmannDoes) {
  const std::vector<std::string> odd = {"\"", "\\", "\n", std::string(1, '\0'), "\x1f", "\xc3\xa9",
                                        "\xe2\x80\x99", "\xff"};
  for (size_t n = 0; n <= 70; ++n) {
    std::string plain;
    for (size_t i = 0; i < n; ++i) plain.push_back(static_cast<char>('a' + i % 26));
    ASSERT_EQ(Written(plain), NlohmannDump(nlohmann::ordered_json(plain))) << n;
    for (size_t at = 0; at < n; ++at) {
      for (const std::string& o : odd) {
        const std::string s = plain.substr(0, at) + o + plain.substr(at + 1);
        ASSERT_EQ(Written(s), NlohmannDump(nlohmann::ordered_json(s))) << n << " " << at;
      }
    }
  }
}

TEST(JsonWriterTest, UnsignedNumbersAndPairsAreWrittenAsNlohmannDoes) {
  std::mt19937_64 rng(5);
  std::vector<uint64_t> values = {0, 1, 9, 10, 99, 100, 101, 999, 1000, 65535, 4294967295ull,
                                  4294967296ull, std::numeric_limits<uint64_t>::max()};
  for (uint64_t p = 1; p != 0 && p <= std::numeric_limits<uint64_t>::max() / 10; p *= 10) {
    values.push_back(p - 1);
    values.push_back(p);
  }
  for (int i = 0; i < 2000; ++i) values.push_back(rng() >> (rng() % 64));
  for (size_t i = 0; i < values.size(); ++i) {
    const uint64_t a = values[i], b = values[(i * 7 + 3) % values.size()];
    std::string out;
    JsonWriter w(&out);
    w.BeginArray();
    w.UInt(a);
    w.UIntPair(a, b);
    w.EndArray();
    ASSERT_EQ(out, NlohmannDump(nlohmann::ordered_json::array(
                       {nlohmann::ordered_json(a), nlohmann::ordered_json::array({a, b})})));
  }
}

TEST(JsonWriterTest, CommasGoBetweenMembersAndElements) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("a");
  w.BeginArray();
  w.BeginArray();
  w.UInt(1);
  w.UInt(2);
  w.EndArray();
  w.BeginArray();
  w.EndArray();
  w.Null();
  w.EndArray();
  w.Key("b");
  w.BeginObject();
  w.EndObject();
  w.Key("c");
  w.String("x");
  w.EndObject();
  EXPECT_EQ(out, R"({"a":[[1,2],[],null],"b":{},"c":"x"})");
}

}  // namespace
}  // namespace newsevents
