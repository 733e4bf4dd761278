#include "pipeline/event_type.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include <gtest/gtest.h>

#include "tests/event_type_gold.h"

namespace newsevents {
namespace {

StageOptions Options() {
  StageOptions o;
  o.root = DataRoot();
  return o;
}

TEST(EventTypeGoldTest, AccuracyOnGoldAtLeast90Percent) {
  const EventTypeStage stage(Options());
  auto golds = testing::LoadGoldDocuments(DataRoot());
  int total = 0, right = 0;
  std::map<std::string, std::map<std::string, int>> confusion;  // gold -> predicted
  for (auto& gd : golds) {
    stage.Apply(gd.doc);
    for (size_t i = 0; i < gd.doc.items.size(); ++i) {
      const Item& item = gd.doc.items[i];
      ++total;
      const bool ok = item.event_type == gd.types[i];
      right += ok;
      ++confusion[gd.types[i]][item.event_type];
      if (!ok || std::getenv("EVENT_TYPE_VERBOSE")) {
        std::string cues;
        for (const TypeCue& c : item.type_cues) cues += " " + c.cue;
        const auto scores = stage.Scores(gd.doc, item);
        std::string all;
        for (size_t t = 0; t < scores.size(); ++t)
          if (scores[t] > 0)
            all += " " + stage.taxonomy().types[t].name + "=" + std::to_string(scores[t]).substr(0, 5);
        std::printf("%s %s#%zu gold=%s got=%s (%.2f) [%s ] {%s } %s\n", ok ? "  " : "XX",
                    gd.doc.name.substr(0, 3).c_str(), i, gd.types[i].c_str(),
                    item.event_type.c_str(), item.event_type_confidence, cues.c_str(),
                    all.c_str(), std::string(gd.doc.Slice(item.title)).substr(0, 60).c_str());
        std::string organizers;
        for (const std::string& o : item.organizers) organizers += o + "; ";
        std::printf("     facts: participants=%d nationalities=%d attendance=%s role=%s "
                    "organizers=%s\n",
                    item.participants.value_or(-1), item.nationalities.value_or(-1),
                    item.attendance.c_str(), item.role.c_str(), organizers.c_str());
      }
    }
  }
  for (const auto& [gold, row] : confusion) {
    std::string line;
    for (const auto& [pred, n] : row) line += " " + pred + ":" + std::to_string(n);
    std::printf("confusion %-13s%s\n", gold.c_str(), line.c_str());
  }
  std::printf("event type accuracy: %d/%d = %.3f\n", right, total,
              total ? static_cast<double>(right) / total : 0.0);
  ASSERT_EQ(total, 31);
  EXPECT_GE(static_cast<double>(right) / total, 0.90);
}

}  // namespace
}  // namespace newsevents
