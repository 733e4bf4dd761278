#include "pipeline/drop_loader.h"

#include <chrono>
#include <cstdio>

#include <xxhash.h>

#include "pipeline/data_version.h"
#include "pipeline/dedup_state.h"  // UtcNowIso
#include "pipeline/postgres_sink.h"
#include "pipeline/sqlite_sink.h"

namespace newsevents {
namespace {

// Runs fn and adds the time it took to `seconds`.
template <typename Fn>
auto Timed(double& seconds, Fn&& fn) {
  struct Clock {
    double& seconds;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    ~Clock() {
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  } clock{seconds};
  return fn();
}

}  // namespace

struct DropLoader::Digest {
  Digest() : state(XXH3_createState()) { XXH3_64bits_reset(state); }
  ~Digest() { XXH3_freeState(state); }
  XXH3_state_t* state;
};

std::vector<std::unique_ptr<RecordSink>> OpenSinks(const std::string& sqlite_path,
                                                   const std::string& postgres_url) {
  std::vector<std::unique_ptr<RecordSink>> sinks;
  if (!sqlite_path.empty()) sinks.push_back(std::make_unique<SqliteSink>(sqlite_path));
  if (!postgres_url.empty()) sinks.push_back(std::make_unique<PostgresSink>(postgres_url));
  return sinks;
}

std::unique_ptr<DropLoader> OpenDropLoader(const std::string& sqlite_path,
                                           const std::string& postgres_url,
                                           const std::string& command,
                                           const std::vector<std::string>& inputs,
                                           const std::string& data_root) {
  if (sqlite_path.empty() && postgres_url.empty()) return nullptr;
  DropInfo info;
  info.command = command;
  for (const std::string& in : inputs) info.source += (info.source.empty() ? "" : " ") + in;
  try {
    info.data_version = DataVersion(data_root);
  } catch (const std::exception& e) {
    throw SinkError(std::string("rules and models version: ") + e.what());
  }
  info.tool_version = NEWSEVENTS_VERSION;
  info.started_at = UtcNowIso();
  return std::make_unique<DropLoader>(OpenSinks(sqlite_path, postgres_url), info);
}

DropLoader::DropLoader(std::vector<std::unique_ptr<RecordSink>> sinks, const DropInfo& info)
    : sinks_(std::move(sinks)), seconds_(sinks_.size()), digest_(std::make_unique<Digest>()) {
  for (size_t i = 0; i < sinks_.size(); ++i) Timed(seconds_[i], [&] { sinks_[i]->Begin(info); });
}

DropLoader::~DropLoader() = default;

bool DropLoader::AddLine(std::string_view line, std::string* error) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  EventRows rows;
  try {
    rows = ParseRecord(line);
  } catch (const RecordError& e) {
    *error = e.what();
    return false;
  }
  if (!ids_.insert(rows.id).second) {
    *error = "id " + rows.id + " appears twice in this drop: the first record is kept";
    return false;
  }
  XXH3_64bits_update(digest_->state, line.data(), line.size());
  XXH3_64bits_update(digest_->state, "\n", 1);
  ++taken_;
  for (size_t i = 0; i < sinks_.size(); ++i) Timed(seconds_[i], [&] { sinks_[i]->Add(rows); });
  return true;
}

void DropLoader::AddLines(std::string_view lines) {
  while (!lines.empty()) {
    const size_t nl = lines.find('\n');
    const std::string_view line = lines.substr(0, nl);
    lines.remove_prefix(nl == std::string_view::npos ? lines.size() : nl + 1);
    std::string error;
    if (!AddLine(line, &error)) throw SinkError("record refused: " + error);
  }
}

std::vector<DropCounts> DropLoader::Commit() {
  char hex[24];
  std::snprintf(hex, sizeof hex, "xxh3-%016llx",
                static_cast<unsigned long long>(XXH3_64bits_digest(digest_->state)));
  std::vector<DropCounts> counts;
  for (size_t i = 0; i < sinks_.size(); ++i) {
    counts.push_back(Timed(seconds_[i], [&] { return sinks_[i]->Commit(hex); }));
    counts.back().seconds = seconds_[i];
    committed_.push_back(counts.back());
  }
  return counts;
}

std::vector<std::string> DropLoader::Report() const {
  std::vector<std::string> lines;
  for (size_t i = 0; i < committed_.size(); ++i)
    lines.push_back(DescribeCounts(*sinks_[i], committed_[i]));
  return lines;
}

std::string DescribeCounts(const RecordSink& sink, const DropCounts& c) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                ": %lld records: %lld added, %lld changed, %lld unchanged;"
                " %lld rows written in %.2f s (%.0f rows/s)",
                static_cast<long long>(c.records), static_cast<long long>(c.added),
                static_cast<long long>(c.changed), static_cast<long long>(c.unchanged),
                static_cast<long long>(c.rows), c.seconds,
                c.seconds > 0 ? static_cast<double>(c.rows) / c.seconds : 0.0);
  std::string run = c.run_id ? ", run " + std::to_string(c.run_id) : ", no run recorded (nothing changed)";
  return sink.Describe() + run + buf;
}

}  // namespace newsevents
