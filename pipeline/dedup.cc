#include "pipeline/dedup.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <xxhash.h>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "pipeline/rule_file.h"

#ifndef NEWSEVENTS_VERSION
#define NEWSEVENTS_VERSION "unknown"
#endif

namespace newsevents {

namespace {

std::string ReadSchema(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, 0, "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Deduplicator::Deduplicator(const StageOptions& options, const std::string& state_path)
    : config_(LoadDedupConfig((options.root.empty() ? DataRoot() : options.root) +
                              "/models/dedup/dedup.conf")),
      keys_(config_),
      index_(config_),
      started_at_(UtcNowIso()) {
  if (state_path.empty()) return;
  const std::string root = options.root.empty() ? DataRoot() : options.root;
  state_ = std::make_unique<DedupState>(state_path, ReadSchema(root + "/models/dedup/state.sql"));
  LoadState();
}

Deduplicator::~Deduplicator() = default;

void Deduplicator::LoadState() {
  const std::string& path = state_->path();
  const std::string sketch_key = config_.SketchKey();
  auto bad = [&](const StoredItem& row, const std::string& what) {
    return StateError(path + ": item " + std::to_string(row.seq) + ": " + what);
  };
  const DedupState::Snapshot snap = state_->Load([&](StoredItem&& row) {
    const std::optional<uint64_t> id = ParseItemId(row.id);
    if (!id) throw bad(row, "malformed id '" + row.id + "'");
    if (row.signature.size() != static_cast<size_t>(config_.minhash.bins))
      throw bad(row, "signature of " + std::to_string(row.signature.size()) + " bytes, expected " +
                         std::to_string(config_.minhash.bins));
    const std::optional<LinkKind> link = ParseLinkKind(row.link);
    if (!link) throw bad(row, "unknown link '" + row.link + "'");
    StoryFacts facts;
    try {
      facts = FactsFromJson(nlohmann::json::parse(row.facts));
    } catch (const std::exception& e) {
      throw bad(row, std::string("bad facts: ") + e.what());
    }
    FirstTelling first;
    if (*link != LinkKind::kNone) {
      const std::optional<uint64_t> dup = ParseItemId(row.duplicate_of);
      const std::optional<uint32_t> target = dup ? index_.FindId(*dup) : std::nullopt;
      if (!target) throw bad(row, "duplicate_of '" + row.duplicate_of + "' is not an earlier item");
      first.item = index_.FirstTellingOf(*target);
      first.kind = *link;
      first.via = *target;
    }
    MinHashSketch sketch;
    sketch.signature = std::move(row.signature);
    sketch.shingles = row.shingles;
    const IndexCandidate c = index_.Prepare(row.source_file, row.fingerprint, std::move(sketch), facts);
    index_.Add(c, *id, first);
  });
  if (!snap.sketch_key.empty() && snap.sketch_key != sketch_key)
    throw StateError(path + ": state was built with other sketch settings (" + snap.sketch_key +
                     ") than models/dedup/dedup.conf (" + sketch_key +
                     "); use a new state file or restore the old settings");
  committed_seq_ = snap.last_seq;
  loaded_last_seq_ = snap.last_seq;
  loaded_items_ = index_.size();
}

uint64_t Deduplicator::UniqueId(uint64_t wanted, const StoryKey& key) const {
  if (!index_.FindId(wanted)) return wanted;
  // Derived from the first holder's id, the file and the position, so the
  // same repeat gets the same id in every run.
  const std::string base =
      FormatItemId(wanted) + '\0' + key.source_file + '\0' + std::to_string(key.item_index);
  for (uint64_t attempt = 0;; ++attempt) {
    const std::string k = attempt == 0 ? base : base + '\0' + std::to_string(attempt);
    const uint64_t id = XXH3_64bits(k.data(), k.size());
    if (!index_.FindId(id)) return id;
  }
}

std::vector<bool> Deduplicator::Process(Document& doc) {
  std::vector<StoryKey> keys;
  keys.reserve(doc.items.size());
  for (const Item& item : doc.items) keys.push_back(KeyOf(doc, item));
  return Process(doc, std::move(keys));
}

std::vector<bool> Deduplicator::Process(Document& doc, std::vector<StoryKey> keys) {
  return Process(doc, &keys);
}

std::vector<bool> Deduplicator::Process(Document& doc, std::vector<StoryKey>* keys) {
  if (keys->size() != doc.items.size())
    throw std::invalid_argument("Deduplicator::Process: one key per item expected");
  std::vector<bool> seen(doc.items.size(), false);
  for (size_t i = 0; i < doc.items.size(); ++i) {
    Item& item = doc.items[i];
    Verdict v = Judge((*keys)[i]);
    item.id = std::move(v.id);
    item.duplicate_of = std::move(v.duplicate_of);
    seen[i] = v.seen;
  }
  return seen;
}

Deduplicator::Verdict Deduplicator::Judge(StoryKey& key) {
  Verdict v;
  ++stats_.items;
  const std::optional<uint64_t> wanted = ParseItemId(key.id);
  if (!wanted)
    throw std::invalid_argument("item id '" + key.id + "' is not \"ev-\" + 16 hex digits");

  // Recorded by an earlier run: give back what that run published.
  if (state_ && loaded_last_seq_ > 0) {
    std::vector<StoredItem> rows =
        state_->FindAt(key.source_file, static_cast<int64_t>(key.item_index), key.fingerprint);
    std::erase_if(rows, [&](const StoredItem& r) { return r.seq > loaded_last_seq_; });
    if (!rows.empty()) {
      const std::string at = key.source_file + '\0' + std::to_string(key.item_index) + '\0' +
                             std::to_string(key.fingerprint);
      uint32_t& times = seen_times_[XXH3_64bits(at.data(), at.size())];
      if (times < rows.size()) {
        v.id = rows[times].id;
        v.duplicate_of = rows[times].duplicate_of;
        v.link = ParseLinkKind(rows[times].link).value_or(LinkKind::kNone);
        v.seen = true;
        ++times;
        ++stats_.seen;
        return v;
      }
    }
  }

  const IndexCandidate candidate =
      index_.Prepare(key.source_file, key.fingerprint, std::move(key.sketch), key.facts,
                     std::move(key.block_keys));
  const FirstTelling first = index_.Find(candidate);
  const uint64_t id = UniqueId(*wanted, key);
  index_.Add(candidate, id, first);

  v.id = FormatItemId(id);
  v.duplicate_of = first.found() ? FormatItemId(index_.IdOf(first.item)) : std::string();
  v.link = first.kind;
  stats_.candidates += first.candidates;
  switch (first.kind) {
    case LinkKind::kExact: ++stats_.exact; break;
    case LinkKind::kNear:
    case LinkKind::kContainment: ++stats_.near; break;
    case LinkKind::kDated: ++stats_.dated; break;
    case LinkKind::kNone: break;
  }

  if (state_) {
    StoredItem row;
    row.id = v.id;
    row.source_file = std::move(key.source_file);
    row.item_index = static_cast<int64_t>(key.item_index);
    row.fingerprint = key.fingerprint;
    row.duplicate_of = v.duplicate_of;
    row.link = LinkKindName(first.kind);
    row.shingles = candidate.sketch.shingles;
    row.signature = candidate.sketch.signature;
    row.facts = FactsToJson(key.facts).dump();
    pending_.push_back(std::move(row));
  }
  return v;
}

void Deduplicator::Commit() {
  if (!state_) return;
  for (size_t i = 0; i < pending_.size(); ++i)
    pending_[i].seq = committed_seq_ + static_cast<int64_t>(i) + 1;
  state_->AppendRun(config_.SketchKey(), NEWSEVENTS_VERSION, started_at_, committed_seq_, pending_,
                    before_commit_);
  committed_seq_ += static_cast<int64_t>(pending_.size());
  pending_.clear();
}

Deduplicator::Stats Deduplicator::stats() const {
  Stats s = stats_;
  s.indexed = index_.size();
  s.index_bytes = index_.MemoryBytes();
  s.spilled_bytes = index_.SpilledBytes();
  return s;
}

}  // namespace newsevents
