// Fuzz entry points: what each fuzz target does with one input.
//
// Shared by the libFuzzer binaries (fuzz/fuzzer.cc, one per target, built
// with -DNEWSEVENTS_FUZZ=ON) and by tests/fuzz_regression_test.cc, which
// replays every input kept in fuzz/regressions/<target>/ in the normal build.
// Header-only so that the test links nothing but newsevents_lib.
//
// Beyond "does not crash", each target checks the promises the code makes
// in its headers (offset maps stay in bounds and monotonic, spans cut the
// text at UTF-8 boundaries, records are valid JSON...). A broken promise
// prints what broke and aborts, which libFuzzer reports as a crash and the
// regression test as a dead test binary.
//
// Targets:
//   reader      DecodeBytes (reader.h)
//   normalize   NormalizeText + FoldText (normalize.h, fold.h)
//   rules       ParseRuleText + Vocabulary::Expand + CompileRulePattern
//   chain       every standard stage, ids, de-duplication and the records
//   stage_NAME  the standard stages up to and including NAME (segment,
//               language, sentences, dates, organizations, places, people,
//               event_type): a shorter run, so more inputs per second
#ifndef NEWSEVENTS_FUZZ_FUZZ_ENTRY_H_
#define NEWSEVENTS_FUZZ_FUZZ_ENTRY_H_

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/utf8.h>

#include <nlohmann/json.hpp>

#include "pipeline/config_error.h"
#include "pipeline/dedup.h"
#include "pipeline/fold.h"
#include "pipeline/normalize.h"
#include "pipeline/offset_map.h"
#include "pipeline/pipeline.h"
#include "pipeline/reader.h"
#include "pipeline/record.h"
#include "pipeline/rule_file.h"
#include "pipeline/shard.h"

namespace newsevents::fuzz {

// A broken promise: say which, then abort (a crash to libFuzzer, with the
// input saved; a failure to the regression test).
inline void Check(bool ok, const char* what, size_t a = 0, size_t b = 0) {
  if (ok) return;
  std::fprintf(stderr, "fuzz check failed: %s (%zu, %zu)\n", what, a, b);
  std::abort();
}

inline bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

// An offset cuts `s` between two code points (or at an end).
inline bool IsBoundary(std::string_view s, size_t offset) {
  return offset >= s.size() || (static_cast<uint8_t>(s[offset]) & 0xC0) != 0x80;
}

// Every derived offset in [0, derived_size] maps into [0, source_size], and
// a later offset never maps before an earlier one (so a span maps to a span).
inline void CheckOffsetMap(const OffsetMap& map, size_t derived_size, size_t source_size,
                           const char* what) {
  size_t previous = 0;
  for (size_t d = 0; d <= derived_size; ++d) {
    const size_t s = map.ToSource(d);
    Check(s <= source_size, what, d, s);
    Check(s >= previous, what, d, s);
    previous = s;
  }
}

// --- reader -----------------------------------------------------------------

inline void FuzzReader(std::string_view data) {
  ReadResult r = DecodeBytes(std::string(data));
  Check(r.file_size == data.size(), "reader: file_size is the input size");
  if (r.status != ReadStatus::kOk) {
    Check(!r.message.empty(), "reader: a refusal says why");
    return;
  }
  Check(IsValidUtf8(r.text), "reader: text is valid UTF-8");
  CheckOffsetMap(r.to_file, r.text.size(), data.size(), "reader: to_file in bounds, monotonic");
  if (r.warnings.empty()) Check(r.text == data, "reader: clean UTF-8 passes through untouched");
}

// --- normalize --------------------------------------------------------------

inline void FuzzNormalize(std::string_view data) {
  OffsetMap to_original;
  const std::string text = NormalizeText(data, &to_original);
  CheckOffsetMap(to_original, text.size(), data.size(), "normalize: map in bounds, monotonic");
  OffsetMap to_text;
  const std::string folded = FoldText(text, &to_text);
  CheckOffsetMap(to_text, folded.size(), text.size(), "fold: map in bounds, monotonic");
  if (IsValidUtf8(data)) {
    // What the reader hands over is valid UTF-8; what follows must stay so.
    Check(IsValidUtf8(text), "normalize: valid UTF-8 in, valid UTF-8 out");
    Check(IsValidUtf8(folded), "fold: valid UTF-8 in, valid UTF-8 out");
    Check(text.find('\r') == std::string::npos, "normalize: no CR left");
    Check(NormalizeText(text) == text, "normalize: normalized text is a fixed point");
  }
}

// --- rules ------------------------------------------------------------------

// The vocabularies real patterns use, loaded once.
inline const Vocabulary& SharedVocabulary() {
  static const Vocabulary* vocabulary = [] {
    auto* v = new Vocabulary();
    v->LoadDir(DataRoot() + "/rules/en/vocab");
    v->LoadDir(DataRoot() + "/rules/common/vocab");
    return v;
  }();
  return *vocabulary;
}

// The input is a rule file. Besides the keys stages use, `entry: SURFACE`
// adds a surface to a vocabulary %fuzz local to the input, and each
// `example:` is matched against the block's compiled patterns and looked up
// in %fuzz, so that expansion, quoting and folding all see fuzzed text.
inline void FuzzRules(std::string_view data) {
  std::vector<RuleBlock> blocks;
  try {
    blocks = ParseRuleText(data, "fuzz.rules");
  } catch (const ConfigError& e) {
    Check(e.line() >= 0, "rules: error line is not negative");
    return;
  }
  for (const RuleBlock& block : blocks) {
    Check(!block.name().empty(), "rules: a parsed block has a name");
    Check(block.line > 0, "rules: a parsed block has a line");
    try {
      block.CheckKeys({"rule", "pattern", "example", "entry"});
    } catch (const ConfigError& e) {
      Check(e.line() >= block.line, "rules: unknown key reported at or after its block");
    }
    Vocabulary local;
    for (const RuleField* f : block.GetAll("entry")) {
      if (!f->value.empty()) local.Add("fuzz", f->value, f->value);
    }
    std::vector<std::unique_ptr<RE2>> compiled;
    for (const RuleField* f : block.GetAll("pattern")) {
      const Vocabulary& vocabulary =
          f->value.find("%fuzz") != std::string::npos ? local : SharedVocabulary();
      try {
        compiled.push_back(
            CompileRulePattern(vocabulary.Expand(f->value, block.file, f->line), block.file,
                               f->line));
      } catch (const ConfigError& e) {
        Check(e.line() == f->line, "rules: pattern error names the pattern's line");
      }
    }
    for (const RuleField* f : block.GetAll("example")) {
      for (const auto& re : compiled) RE2::PartialMatch(f->value, *re);
      if (auto value = local.Lookup("fuzz", f->value)) {
        Check(FoldText(*value) == FoldText(f->value), "rules: lookup finds its own surface");
      }
    }
  }
}

// --- stages -----------------------------------------------------------------

// The standard stages, loaded once (as `extract` does) from the source tree.
inline const Pipeline& StandardPipeline() {
  static const Pipeline* pipeline = [] {
    StageOptions options;
    options.root = DataRoot();
    return new Pipeline(LoadStandardStages(options));
  }();
  return *pipeline;
}

// How many standard stages "stage_NAME" runs: up to and including NAME.
// Aborts on an unknown name (a typo in a target list must not fuzz nothing).
inline size_t StagePrefix(std::string_view name) {
  const auto& stages = StandardPipeline().stages();
  for (size_t i = 0; i < stages.size(); ++i) {
    if (name == stages[i]->name()) return i + 1;
  }
  std::fprintf(stderr, "fuzz: no stage named '%.*s'\n", static_cast<int>(name.size()),
               name.data());
  std::abort();
}

// A span of the document: in bounds, ordered, cut at code point boundaries,
// and mapping to a span of the file.
inline void CheckSpan(const Document& doc, const Span& s, const char* what) {
  Check(s.begin <= s.end && s.end <= doc.text.size(), what, s.begin, s.end);
  Check(IsBoundary(doc.text, s.begin) && IsBoundary(doc.text, s.end), what, s.begin, s.end);
  const Span f = doc.ToFile(s);
  Check(f.begin <= f.end && f.end <= doc.source_size, what, f.begin, f.end);
}

inline void CheckInside(const Span& inner, const Span& outer, const char* what) {
  Check(inner.empty() || outer.Contains(inner), what, inner.begin, inner.end);
}

inline void CheckDocument(const Document& doc) {
  Check(IsValidUtf8(doc.text), "document: text is valid UTF-8");
  Check(IsValidUtf8(doc.folded), "document: folded is valid UTF-8");
  size_t previous_end = 0;
  for (const Item& item : doc.items) {
    CheckSpan(doc, item.span, "item span");
    Check(item.span.begin >= previous_end, "items do not overlap", item.span.begin, previous_end);
    previous_end = item.span.end;
    CheckSpan(doc, item.title, "item title");
    CheckInside(item.title, item.span, "title inside its item");
    CheckSpan(doc, item.body, "item body");
    CheckInside(item.body, item.span, "body inside its item");
    for (const Span& p : item.paragraphs) CheckSpan(doc, p, "paragraph");
    for (const Span& s : item.sentences) CheckSpan(doc, s, "sentence");
    for (const DateMention& d : item.dates) {
      CheckSpan(doc, d.span, "date span");
      Check(IsValidUtf8(d.text), "date text is valid UTF-8");
    }
    for (const Organization& o : item.organizations) {
      for (const Span& m : o.mentions) CheckSpan(doc, m, "organization mention");
      Check(IsValidUtf8(o.name), "organization name is valid UTF-8");
    }
    for (const Place& p : item.places) {
      for (const Span& m : p.mentions) CheckSpan(doc, m, "place mention");
      Check(IsValidUtf8(p.name), "place name is valid UTF-8");
    }
    for (const Person& p : item.people) {
      for (const Span& m : p.mentions) CheckSpan(doc, m, "person mention");
      Check(IsValidUtf8(p.name), "person name is valid UTF-8");
    }
    for (const TypeCue& c : item.type_cues) CheckSpan(doc, c.span, "type cue");
  }
}

// A document as the pipeline builds one from a file holding `data`.
inline Document DocumentFrom(std::string_view data) {
  Document doc;
  doc.path = doc.name = "fuzz.txt";
  ReadResult r = DecodeBytes(std::string(data));
  doc.source_size = r.file_size;
  doc.warnings = std::move(r.warnings);
  if (r.status != ReadStatus::kOk) {
    doc.skipped = true;
    return doc;
  }
  doc.original = std::move(r.text);
  doc.original_to_file = std::move(r.to_file);
  NormalizeDocument(doc);
  return doc;
}

inline void FuzzStages(std::string_view data, size_t stage_count) {
  Document doc = DocumentFrom(data);
  if (doc.skipped) return;
  const auto& stages = StandardPipeline().stages();
  for (size_t i = 0; i < stage_count && i < stages.size(); ++i) stages[i]->Apply(doc);
  CheckDocument(doc);
}

// Every stage, then what `extract` does with the document (cli_extract.cc):
// ids, records rendered before de-duplication (with --explain too, and as
// shard lines), story keys, the de-duplicator (in memory, fresh for each
// input), and the ids and links filled into the rendered lines.
inline void FuzzChain(std::string_view data) {
  Document doc = DocumentFrom(data);
  if (doc.skipped) return;
  const Pipeline& pipeline = StandardPipeline();
  for (const auto& stage : pipeline.stages()) stage->Apply(doc);
  CheckDocument(doc);
  for (Item& item : doc.items) item.id = ItemId(doc, item);
  static const StageOptions options = [] {
    StageOptions o;
    o.root = DataRoot();
    return o;
  }();
  Deduplicator dedup(options, "");
  std::vector<std::string> rendered;
  std::vector<StoryKey> keys;
  for (const Item& item : doc.items) {
    rendered.push_back(RecordLine(doc, item));
    keys.push_back(dedup.KeyOf(doc, item));
    std::string explained = RecordLine(doc, item, /*explain=*/true);
    Check(!nlohmann::json::parse(explained, nullptr, false).is_discarded(),
          "record: valid JSON with --explain");
    explained.pop_back();
    const std::string shard = ShardItemLine(explained, keys.back());
    Check(!nlohmann::json::parse(shard, nullptr, false).is_discarded(), "shard line: valid JSON");
  }
  dedup.Process(doc, std::move(keys));
  for (size_t i = 0; i < doc.items.size(); ++i) {
    const Item& item = doc.items[i];
    const std::string line = FillRecord(rendered[i], item.id, item.duplicate_of);
    Check(line == RecordLine(doc, item), "record: filled line is the line rendered with the ids");
    Check(!line.empty() && line.back() == '\n' && line.find('\n') == line.size() - 1,
          "record: exactly one line");
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    Check(!record.is_discarded(), "record: valid JSON");
    Check(record["id"] == item.id, "record: carries the item's id");
  }
}

// --- dispatch ---------------------------------------------------------------

// Runs target `name` on `data`. Stage prefixes are looked up once per name.
inline void Run(std::string_view name, std::string_view data) {
  if (name == "reader") return FuzzReader(data);
  if (name == "normalize") return FuzzNormalize(data);
  if (name == "rules") return FuzzRules(data);
  if (name == "chain") return FuzzChain(data);
  if (name.substr(0, 6) == "stage_") return FuzzStages(data, StagePrefix(name.substr(6)));
  std::fprintf(stderr, "fuzz: no target named '%.*s'\n", static_cast<int>(name.size()),
               name.data());
  std::abort();
}

// Loads what a target needs before the first input, so that loading time
// and memory are not charged to an input.
inline void Prepare(std::string_view name) {
  if (name == "rules") SharedVocabulary();
  if (name == "chain" || name.substr(0, 6) == "stage_") StandardPipeline();
}

}  // namespace newsevents::fuzz

#endif  // NEWSEVENTS_FUZZ_FUZZ_ENTRY_H_
