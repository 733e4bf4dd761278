// Stage: the shape every step of the pipeline has.
//
// A stage is loaded once from the rule and model files (its constructor throws
// ConfigError naming the file and line of anything it cannot use), then
// applied to many documents, from many threads at once: Apply() is const and
// must not touch shared mutable state.
//
//   class DateStage {
//    public:
//     explicit DateStage(const StageOptions& options);   // loads rules/*/dates.rules
//     void Apply(Document& doc) const;                    // fills item.dates ...
//   };
#ifndef NEWSEVENTS_STAGE_H_
#define NEWSEVENTS_STAGE_H_

#include <string>

namespace newsevents {

struct StageOptions {
  std::string root;            // folder holding rules/ and models/
  std::string lang = "auto";   // "auto", or force "en", "fr", "es"
  std::string reference_date;  // YYYY-MM-DD from --reference-date, or ""
  bool explain = false;        // keep the cues behind each decision
};

}  // namespace newsevents

#endif  // NEWSEVENTS_STAGE_H_
