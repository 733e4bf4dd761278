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

// Seeds the text fingerprint so that it is independent of the record id
// (XXH3-64 of the same text with seed 0): an id collision then never implies
// a fingerprint collision.
constexpr uint64_t kFingerprintSeed = 0x6e65777364656475ull;  // "newsdedu"

// Folded text with every run of spaces, tabs and line feeds made one space,
// trimmed: the text two exact repeats share.
std::string NormalizedText(std::string_view text) {
  const std::string folded = FoldText(text);
  std::string out;
  out.reserve(folded.size());
  for (char c : folded) {
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string FormatId(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "ev-%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// "ev-" + 16 lower-case hex digits; nullopt otherwise.
std::optional<uint64_t> ParseId(const std::string& id) {
  if (id.size() != 19 || id.compare(0, 3, "ev-") != 0) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 3; i < id.size(); ++i) {
    const char c = id[i];
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return std::nullopt;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return v;
}

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
      hasher_(config_.minhash),
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
    const std::optional<uint64_t> id = ParseId(row.id);
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
      const std::optional<uint64_t> dup = ParseId(row.duplicate_of);
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

uint64_t Deduplicator::UniqueId(uint64_t wanted, const Document& doc, const Item& item) const {
  if (!index_.FindId(wanted)) return wanted;
  // Derived from the first holder's id, the file and the position, so the
  // same repeat gets the same id in every run.
  const std::string base = FormatId(wanted) + '\0' + doc.name + '\0' + std::to_string(item.index);
  for (uint64_t attempt = 0;; ++attempt) {
    const std::string key = attempt == 0 ? base : base + '\0' + std::to_string(attempt);
    const uint64_t id = XXH3_64bits(key.data(), key.size());
    if (!index_.FindId(id)) return id;
  }
}

std::vector<bool> Deduplicator::Process(Document& doc) {
  std::vector<bool> seen(doc.items.size(), false);
  for (size_t i = 0; i < doc.items.size(); ++i) {
    Item& item = doc.items[i];
    ++stats_.items;
    const std::string text = NormalizedText(doc.Slice(item.span));
    const uint64_t fingerprint = XXH3_64bits_withSeed(text.data(), text.size(), kFingerprintSeed);
    if (item.id.empty()) item.id = FormatId(XXH3_64bits(text.data(), text.size()));
    const std::optional<uint64_t> wanted = ParseId(item.id);
    if (!wanted)
      throw std::invalid_argument("item id '" + item.id + "' is not \"ev-\" + 16 hex digits");

    // Recorded by an earlier run: give back what that run published.
    if (state_ && loaded_last_seq_ > 0) {
      std::vector<StoredItem> rows = state_->FindAt(doc.name, static_cast<int64_t>(item.index),
                                                    fingerprint);
      std::erase_if(rows, [&](const StoredItem& r) { return r.seq > loaded_last_seq_; });
      if (!rows.empty()) {
        std::string key = doc.name + '\0' + std::to_string(item.index) + '\0' +
                          std::to_string(fingerprint);
        uint32_t& times = seen_times_[XXH3_64bits(key.data(), key.size())];
        if (times < rows.size()) {
          item.id = rows[times].id;
          item.duplicate_of = rows[times].duplicate_of;
          ++times;
          seen[i] = true;
          ++stats_.seen;
          continue;
        }
      }
    }

    MinHashSketch sketch = hasher_.Sketch(text);
    const StoryFacts facts = FactsOfItem(item, config_);
    const IndexCandidate candidate = index_.Prepare(doc.name, fingerprint, std::move(sketch), facts);
    const FirstTelling first = index_.Find(candidate);
    const uint64_t id = UniqueId(*wanted, doc, item);
    index_.Add(candidate, id, first);

    item.id = FormatId(id);
    item.duplicate_of = first.found() ? FormatId(index_.IdOf(first.item)) : std::string();
    switch (first.kind) {
      case LinkKind::kExact: ++stats_.exact; break;
      case LinkKind::kNear:
      case LinkKind::kContainment: ++stats_.near; break;
      case LinkKind::kDated: ++stats_.dated; break;
      case LinkKind::kNone: break;
    }

    if (state_) {
      StoredItem row;
      row.id = item.id;
      row.source_file = doc.name;
      row.item_index = static_cast<int64_t>(item.index);
      row.fingerprint = fingerprint;
      row.duplicate_of = item.duplicate_of;
      row.link = LinkKindName(first.kind);
      row.shingles = candidate.sketch.shingles;
      row.signature = candidate.sketch.signature;
      row.facts = FactsToJson(facts).dump();
      pending_.push_back(std::move(row));
    }
  }
  return seen;
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
  return s;
}

}  // namespace newsevents
