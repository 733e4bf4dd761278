#include "pipeline/dedup_config.h"

#include <cmath>
#include <map>
#include <sstream>

#include "pipeline/config_error.h"
#include "pipeline/rule_file.h"

namespace newsevents {

namespace {

double ParseNumber(const RuleField& field, const std::string& file, double lo, double hi) {
  try {
    size_t used = 0;
    const double v = std::stod(field.value, &used);
    if (used == field.value.size() && std::isfinite(v)) {
      if (v < lo || v > hi) {
        std::ostringstream range;
        range << "'" << field.key << "' must be between " << lo << " and " << hi << ", got "
              << field.value;
        throw ConfigError(file, field.line, range.str());
      }
      return v;
    }
  } catch (const std::invalid_argument&) {
  } catch (const std::out_of_range&) {
  }
  throw ConfigError(file, field.line,
                    "'" + field.key + "' must be a number, got '" + field.value + "'");
}

int ParseInt(const RuleField& field, const std::string& file, int lo, int hi) {
  const double v = ParseNumber(field, file, lo, hi);
  if (v != std::floor(v))
    throw ConfigError(file, field.line,
                      "'" + field.key + "' must be a whole number, got '" + field.value + "'");
  return static_cast<int>(v);
}

bool ParseYesNo(const RuleField& field, const std::string& file) {
  if (field.value == "yes") return true;
  if (field.value == "no") return false;
  throw ConfigError(file, field.line,
                    "'" + field.key + "' must be yes or no, got '" + field.value + "'");
}

std::vector<std::string> ParseList(const RuleField& field) {
  std::vector<std::string> out;
  std::stringstream ss(field.value);
  std::string part;
  while (std::getline(ss, part, ',')) {
    const size_t b = part.find_first_not_of(" \t");
    const size_t e = part.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
  }
  return out;
}

}  // namespace

std::string DedupConfig::SketchKey() const {
  // Everything that decides the bytes of a stored signature; the index
  // built from them at load time follows the current settings. "v1" names
  // the tokenizer and hashing scheme of minhash.cc.
  std::ostringstream key;
  key << "minhash-oph-b8-v1 shingle_words=" << minhash.shingle_words
      << " bins=" << minhash.bins << " seed=" << minhash.seed;
  return key.str();
}

DedupConfig LoadDedupConfig(const std::string& path) {
  DedupConfig c;
  std::map<std::string, const RuleBlock*> seen;
  const std::vector<RuleBlock> blocks = ParseRuleFile(path);
  for (const RuleBlock& b : blocks) {
    const std::string& name = b.name();
    if (name == "sketch") {
      b.CheckKeys({"rule", "shingle_words", "bins", "seed", "min_shingles"});
      c.minhash.shingle_words = ParseInt(b.Required("shingle_words"), path, 1, 8);
      c.minhash.bins = ParseInt(b.Required("bins"), path, 8, 1024);
      c.minhash.seed = static_cast<uint64_t>(ParseInt(b.Required("seed"), path, 0, 1 << 30));
      c.min_shingles = ParseInt(b.Required("min_shingles"), path, 1, 1000);
    } else if (name == "lsh") {
      b.CheckKeys({"rule", "bands", "rows", "max_items_per_band"});
      c.lsh_bands = ParseInt(b.Required("bands"), path, 1, 256);
      c.lsh_rows = ParseInt(b.Required("rows"), path, 1, 32);
      c.max_items_per_band = ParseInt(b.Required("max_items_per_band"), path, 1, 1000000);
    } else if (name == "near") {
      b.CheckKeys({"rule", "jaccard"});
      c.near_jaccard = ParseNumber(b.Required("jaccard"), path, 0, 1);
    } else if (name == "containment") {
      b.CheckKeys({"rule", "containment", "min_shingles"});
      c.containment = ParseNumber(b.Required("containment"), path, 0, 1);
      c.containment_min_shingles = ParseInt(b.Required("min_shingles"), path, 1, 100000);
    } else if (name == "dated") {
      b.CheckKeys({"rule", "jaccard", "min_shared_entities", "month_min_shared_entities",
                   "max_days_per_item", "max_keys_per_item", "max_items_per_key"});
      c.dated_jaccard = ParseNumber(b.Required("jaccard"), path, 0, 1);
      c.min_shared_entities = ParseInt(b.Required("min_shared_entities"), path, 1, 100);
      c.month_min_shared_entities =
          ParseInt(b.Required("month_min_shared_entities"), path, 0, 100);
      c.max_days_per_item = ParseInt(b.Required("max_days_per_item"), path, 0, 255);
      c.max_keys_per_item = ParseInt(b.Required("max_keys_per_item"), path, 0, 1000);
      c.max_items_per_key = ParseInt(b.Required("max_items_per_key"), path, 1, 100000);
    } else if (name == "facts") {
      b.CheckKeys({"rule", "broad_place_kinds", "weak_links_across_files_only"});
      c.broad_place_kinds = ParseList(b.Required("broad_place_kinds"));
      c.weak_links_across_files_only =
          ParseYesNo(b.Required("weak_links_across_files_only"), path);
    } else {
      throw ConfigError(path, b.line,
                        "unknown block '" + name +
                            "' (expected sketch, lsh, near, containment, dated, facts)");
    }
    seen[name] = &b;
  }
  for (const char* required : {"sketch", "lsh", "near", "containment", "dated", "facts"})
    if (!seen.count(required))
      throw ConfigError(path, 0, std::string("missing block 'rule: ") + required + "'");
  if (c.lsh_bands * c.lsh_rows > c.minhash.bins)
    throw ConfigError(path, seen["lsh"]->line,
                      "bands x rows (" + std::to_string(c.lsh_bands * c.lsh_rows) +
                          ") must not exceed the sketch's bins (" +
                          std::to_string(c.minhash.bins) + ")");
  return c;
}

}  // namespace newsevents
