#include "pipeline/eval_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>
#include <vector>

namespace newsevents {
namespace {

using nlohmann::ordered_json;
using json = nlohmann::ordered_json;

std::string Ratio(double v) {
  if (std::isnan(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

json RatioJson(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

json PrfJson(const PrfCounts& c) {
  return {{"precision", RatioJson(c.precision())}, {"recall", RatioJson(c.recall())},
          {"f1", RatioJson(c.f1())}, {"gold", c.gold}, {"predicted", c.predicted},
          {"matched", c.matched}};
}

json AccuracyJson(const AccuracyCounts& c) {
  return {{"accuracy", RatioJson(c.accuracy())}, {"n", c.n}, {"correct", c.correct}};
}

// A table of left-aligned first column and right-aligned others.
class Table {
 public:
  void Row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::string Render() const {
    std::vector<size_t> width;
    for (const auto& row : rows_) {
      if (row.size() > width.size()) width.resize(row.size(), 0);
      for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows_) {
      std::string line;
      for (size_t i = 0; i < width.size(); ++i) {
        const std::string cell = i < row.size() ? row[i] : "";
        const std::string pad(width[i] - cell.size(), ' ');
        if (i == 0) {
          line += cell + pad;
        } else {
          line += "  " + pad + cell;
        }
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

void PrfRow(Table& t, const char* name, const PrfCounts& c) {
  t.Row({name, std::to_string(c.gold), std::to_string(c.predicted), std::to_string(c.matched),
         Ratio(c.precision()), Ratio(c.recall()), Ratio(c.f1()), ""});
}

void AccuracyRow(Table& t, const char* name, const AccuracyCounts& c) {
  t.Row({name, std::to_string(c.n), "", std::to_string(c.correct), "", "", "",
         Ratio(c.accuracy())});
}

}  // namespace

std::string FormatReportTable(const EvalReport& r) {
  Table t;
  t.Row({"field", "gold", "predicted", "matched", "precision", "recall", "f1", "accuracy"});
  PrfRow(t, "items", r.items);
  PrfRow(t, "dates", r.dates);
  AccuracyRow(t, "date_values", r.date_values);
  AccuracyRow(t, "event_date", r.event_date);
  PrfRow(t, "organizations", r.organizations);
  PrfRow(t, "places", r.places);
  PrfRow(t, "people", r.people);
  PrfRow(t, "duplicates", r.duplicates);
  AccuracyRow(t, "event_type", r.event_type);
  std::string out = t.Render();
  out += "(accuracy rows: gold = items or mentions scored, matched = correct)\n";

  if (!r.type_confusion.empty()) {
    std::set<std::string> predicted_types;
    for (const auto& [gold, row] : r.type_confusion) {
      for (const auto& [pred, n] : row) predicted_types.insert(pred);
    }
    Table c;
    std::vector<std::string> header = {"gold \\ predicted"};
    header.insert(header.end(), predicted_types.begin(), predicted_types.end());
    header.push_back("total");
    c.Row(header);
    for (const auto& [gold, row] : r.type_confusion) {
      std::vector<std::string> cells = {gold};
      size_t total = 0;
      for (const std::string& pred : predicted_types) {
        auto it = row.find(pred);
        const size_t n = it == row.end() ? 0 : it->second;
        total += n;
        cells.push_back(n ? std::to_string(n) : ".");
      }
      cells.push_back(std::to_string(total));
      c.Row(cells);
    }
    out += "\nevent type confusion (rows: gold, columns: predicted)\n" + c.Render();
  }
  return out;
}

std::string FormatDiffs(const EvalReport& r) {
  size_t where_width = 0, field_width = 0;
  for (const EvalDiff& d : r.diffs) {
    where_width = std::max(where_width, d.where.size() + 1);
    field_width = std::max(field_width, d.field.size() + 1);
  }
  // The file part of "file#3" or "file@1234".
  auto file_of = [](const std::string& where) { return where.substr(0, where.find_last_of("#@")); };
  std::string out;
  const EvalDiff* previous = nullptr;
  for (const EvalDiff& d : r.diffs) {
    // A matched item's differences form a block under its headline; one-line
    // entries (missed items, stray records) of a file stay together.
    if (previous && d.where != previous->where &&
        (!d.context.empty() || !previous->context.empty() ||
         file_of(d.where) != file_of(previous->where))) {
      out += "\n";
    }
    if (!d.context.empty() && (!previous || d.where != previous->where)) {
      out += d.where + "  " + d.context + "\n";
    }
    previous = &d;
    std::string line = d.where + ":";
    line.append(where_width + 1 - line.size(), ' ');
    std::string field = d.field + ":";
    field.append(field_width + 1 - field.size(), ' ');
    line += field;
    if (d.kind == "missed") {
      line += "missed    " + d.expected;
      if (!d.got.empty()) line += ", got " + d.got;
    } else if (d.kind == "spurious") {
      line += "spurious  " + d.got;
    } else {
      line += "wrong     expected " + d.expected + ", got " + d.got;
    }
    out += line + "\n";
  }
  return out;
}

ordered_json ReportToJson(const EvalReport& r, bool with_diffs) {
  json confusion = json::object();
  for (const auto& [gold, row] : r.type_confusion) {
    for (const auto& [pred, n] : row) confusion[gold][pred] = n;
  }
  json event_type = AccuracyJson(r.event_type);
  event_type["confusion"] = confusion;
  json out = {{"items", PrfJson(r.items)},
              {"dates", PrfJson(r.dates)},
              {"date_values", AccuracyJson(r.date_values)},
              {"event_date", AccuracyJson(r.event_date)},
              {"organizations", PrfJson(r.organizations)},
              {"places", PrfJson(r.places)},
              {"people", PrfJson(r.people)},
              {"duplicates", PrfJson(r.duplicates)},
              {"event_type", event_type}};
  if (with_diffs) {
    json diffs = json::array();
    for (const EvalDiff& d : r.diffs) {
      diffs.push_back({{"where", d.where}, {"field", d.field}, {"kind", d.kind},
                       {"expected", d.expected}, {"got", d.got}, {"context", d.context}});
    }
    out["diffs"] = diffs;
  }
  return out;
}

}  // namespace newsevents
