#include "pipeline/dedup_key.h"

#include <cstdio>
#include <sstream>
#include <stdexcept>

#include <xxhash.h>

#include "pipeline/dedup_index.h"  // BlockKeysOf


namespace newsevents {

namespace {

// Seeds the text fingerprint so that it is independent of the record id
// (XXH3-64 of the same text with seed 0): an id collision then never implies
// a fingerprint collision.
constexpr uint64_t kFingerprintSeed = 0x6e65777364656475ull;  // "newsdedu"

constexpr char kHex[] = "0123456789abcdef";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string Hex64(uint64_t v) {
  char buf[17];
  for (int i = 15; i >= 0; --i, v >>= 4) buf[i] = kHex[v & 15];
  return std::string(buf, 16);
}

[[noreturn]] void Bad(const std::string& what) { throw std::runtime_error("story key: " + what); }

const nlohmann::ordered_json& Field(const nlohmann::ordered_json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) Bad(std::string("missing '") + name + "'");
  return *it;
}

const std::string& StringField(const nlohmann::ordered_json& j, const char* name) {
  const nlohmann::ordered_json& v = Field(j, name);
  if (!v.is_string()) Bad(std::string("'") + name + "' is not a string");
  return v.get_ref<const std::string&>();
}

uint64_t CountField(const nlohmann::ordered_json& j, const char* name) {
  const nlohmann::ordered_json& v = Field(j, name);
  if (!v.is_number_unsigned()) Bad(std::string("'") + name + "' is not a count");
  return v.get<uint64_t>();
}

}  // namespace

std::string FormatItemId(uint64_t v) { return "ev-" + Hex64(v); }

std::optional<uint64_t> ParseItemId(const std::string& id) {
  if (id.size() != 19 || id.compare(0, 3, "ev-") != 0) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 3; i < id.size(); ++i) {
    const int d = HexDigit(id[i]);
    if (d < 0) return std::nullopt;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return v;
}

StoryKeyMaker::StoryKeyMaker(const DedupConfig& config)
    : config_(config), hasher_(config.minhash) {}

StoryKey StoryKeyMaker::KeyOf(const Document& doc, const Item& item) const {
  StoryKey key;
  thread_local std::string scratch;  // the story text, without an allocation per item
  // Kept by the ids step when it made it (AssignItemIds), else made here.
  const bool kept = !item.story_text.empty() && item.story_text.end <= doc.story_texts.size();
  const std::string_view text =
      kept ? std::string_view(doc.story_texts).substr(item.story_text.begin, item.story_text.size())
           : StoryTextOf(doc, item.span, &scratch);
  key.id = item.id.empty() ? FormatItemId(XXH3_64bits(text.data(), text.size())) : item.id;
  key.source_file = doc.name;
  key.item_index = item.index;
  key.fingerprint = XXH3_64bits_withSeed(text.data(), text.size(), kFingerprintSeed);
  key.sketch = hasher_.Sketch(text);
  key.facts = FactsOfItem(item, config_);
  key.block_keys = BlockKeysOf(key.facts, config_);
  return key;
}

std::string StoryKeyMaker::Settings() const {
  // "text-v1" names the normalization and fingerprint of this file,
  // "facts-v1" FactsOfItem; the numbers are the dedup.conf values they read.
  std::ostringstream s;
  s << config_.SketchKey() << "; text-v1; facts-v1 max_days_per_item=" << config_.max_days_per_item
    << " broad_place_kinds=";
  for (size_t i = 0; i < config_.broad_place_kinds.size(); ++i)
    s << (i ? "," : "") << config_.broad_place_kinds[i];
  return s.str();
}

nlohmann::ordered_json StoryKeyToJson(const StoryKey& key) {
  std::string signature;
  signature.reserve(key.sketch.signature.size() * 2);
  for (uint8_t b : key.sketch.signature) {
    signature.push_back(kHex[b >> 4]);
    signature.push_back(kHex[b & 15]);
  }
  nlohmann::ordered_json j;
  j["id"] = key.id;
  j["file"] = key.source_file;
  j["item"] = key.item_index;
  j["fingerprint"] = Hex64(key.fingerprint);
  j["shingles"] = key.sketch.shingles;
  j["signature"] = std::move(signature);
  j["facts"] = FactsToJson(key.facts);
  return j;
}

StoryKey StoryKeyFromJson(const nlohmann::ordered_json& j, int bins) {
  if (!j.is_object()) Bad("expected a JSON object");
  StoryKey key;
  key.id = StringField(j, "id");
  if (!ParseItemId(key.id)) Bad("id '" + key.id + "' is not \"ev-\" + 16 hex digits");
  key.source_file = StringField(j, "file");
  key.item_index = CountField(j, "item");
  const std::optional<uint64_t> fingerprint = ParseItemId("ev-" + StringField(j, "fingerprint"));
  if (!fingerprint) Bad("'fingerprint' is not 16 hex digits");
  key.fingerprint = *fingerprint;
  const uint64_t shingles = CountField(j, "shingles");
  if (shingles > UINT32_MAX) Bad("'shingles' out of range");
  key.sketch.shingles = static_cast<uint32_t>(shingles);
  const std::string& hex = StringField(j, "signature");
  if (hex.size() != static_cast<size_t>(bins) * 2)
    Bad("'signature' of " + std::to_string(hex.size() / 2) + " bytes, expected " +
        std::to_string(bins));
  key.sketch.signature.resize(static_cast<size_t>(bins));
  for (size_t i = 0; i < key.sketch.signature.size(); ++i) {
    const int hi = HexDigit(hex[2 * i]), lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) Bad("'signature' is not hex");
    key.sketch.signature[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  key.facts = FactsFromJson(Field(j, "facts"));
  return key;
}

}  // namespace newsevents
