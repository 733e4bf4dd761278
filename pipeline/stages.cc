// The extraction stages, in the order the pipeline runs them. The order
// matters: languages need items, dates need languages and sentences, places
// skip what organizations already claimed, people skip both, and the event
// type reads every fact before it.
#include "pipeline/dates.h"
#include "pipeline/event_type.h"
#include "pipeline/language.h"
#include "pipeline/pipeline.h"
#include "pipeline/organizations.h"
#include "pipeline/people.h"
#include "pipeline/places.h"
#include "pipeline/segment.h"
#include "pipeline/sentences.h"

namespace newsevents {

std::vector<std::unique_ptr<AnyStage>> LoadStandardStages(const StageOptions& options) {
  std::vector<std::unique_ptr<AnyStage>> stages;
  stages.push_back(std::make_unique<NamedStage<SegmentStage>>("segment", options));
  stages.push_back(std::make_unique<NamedStage<LanguageStage>>("language", options));
  stages.push_back(std::make_unique<NamedStage<SentenceStage>>("sentences", options));
  stages.push_back(std::make_unique<NamedStage<DateStage>>("dates", options));
  stages.push_back(std::make_unique<NamedStage<OrganizationStage>>("organizations", options));
  stages.push_back(std::make_unique<NamedStage<PlaceStage>>("places", options));
  stages.push_back(std::make_unique<NamedStage<PersonStage>>("people", options));
  stages.push_back(std::make_unique<NamedStage<EventTypeStage>>("event_type", options));
  return stages;
}

}  // namespace newsevents
