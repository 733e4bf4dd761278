// Showing an EvalReport: the aligned table people read, the JSON that scripts
// and CI compare, and the per-item list of differences developers work from.
#ifndef NEWSEVENTS_EVAL_REPORT_H_
#define NEWSEVENTS_EVAL_REPORT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/eval.h"

namespace newsevents {

// `field  gold  predicted  matched  precision  recall  f1  accuracy`, one row
// per measure (P/R/F1 rows leave accuracy blank and vice versa), then the
// event type confusion table (gold rows x predicted columns).
std::string FormatReportTable(const EvalReport& report);

// One line per difference, grouped by gold item in corpus order:
//   001_x.txt#7: organizations: missed    European Forum for Urban Safety (Efus)
//   001_x.txt#7: event_type:    wrong     expected meeting, got conference
std::string FormatDiffs(const EvalReport& report);

// {"items":{"precision":..,"recall":..,"f1":..,"gold":..,"predicted":..,
//  "matched":..}, "dates":{..}, "date_values":{"accuracy":..,"n":..,
//  "correct":..}, ..., "event_type":{..,"confusion":{gold:{pred:count}}}}.
// Undefined ratios are null. With `with_diffs`, adds "diffs":[{where, field,
// kind, expected, got, context}].
nlohmann::ordered_json ReportToJson(const EvalReport& report, bool with_diffs = false);

}  // namespace newsevents

#endif  // NEWSEVENTS_EVAL_REPORT_H_
