// The extraction stages, in the order the pipeline runs them.
#include "pipeline/pipeline.h"

namespace newsevents {

std::vector<std::unique_ptr<AnyStage>> LoadStandardStages(const StageOptions& options) {
  std::vector<std::unique_ptr<AnyStage>> stages;
  // Stages are added here as they land.
  return stages;
}

}  // namespace newsevents
