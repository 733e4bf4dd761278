#include "pipeline/dates.h"

#include <gtest/gtest.h>

#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

TEST(DateRules, ExamplesPass) {
  StageOptions options;
  options.root = DataRoot();
  DateStage stage(options);
  std::vector<std::string> failures = stage.CheckExamples();
  for (const std::string& f : failures) ADD_FAILURE() << f;
  EXPECT_GT(stage.example_count(), 50u);
}

}  // namespace
}  // namespace newsevents
