#include "pipeline/rule_file.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"

namespace newsevents {

namespace fs = std::filesystem;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string ReadFileOrThrow(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, 0, "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

const std::string& RuleBlock::name() const { return Required("rule").value; }

bool RuleBlock::Has(std::string_view key) const {
  return std::any_of(fields.begin(), fields.end(),
                     [&](const RuleField& f) { return f.key == key; });
}

const RuleField& RuleBlock::Required(std::string_view key) const {
  const RuleField* found = nullptr;
  for (const RuleField& f : fields) {
    if (f.key != key) continue;
    if (found) throw ConfigError(file, f.line, "field '" + f.key + "' given twice");
    found = &f;
  }
  if (!found) throw ConfigError(file, line, "missing field '" + std::string(key) + "'");
  return *found;
}

std::string RuleBlock::Get(std::string_view key, std::string fallback) const {
  for (const RuleField& f : fields)
    if (f.key == key) return f.value;
  return fallback;
}

std::vector<const RuleField*> RuleBlock::GetAll(std::string_view key) const {
  std::vector<const RuleField*> out;
  for (const RuleField& f : fields)
    if (f.key == key) out.push_back(&f);
  return out;
}

void RuleBlock::CheckKeys(std::initializer_list<std::string_view> allowed) const {
  for (const RuleField& f : fields) {
    if (std::find(allowed.begin(), allowed.end(), f.key) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      throw ConfigError(file, f.line,
                        "unknown field '" + f.key + "' (expected one of: " + list + ")");
    }
  }
}

std::vector<RuleBlock> ParseRuleText(std::string_view text,
                                     const std::string& file_name) {
  std::vector<RuleBlock> blocks;
  RuleBlock current;
  auto flush = [&] {
    if (current.fields.empty()) return;
    if (current.fields.front().key != "rule")
      throw ConfigError(file_name, current.line,
                        "a block must start with 'rule: NAME'");
    if (current.fields.front().value.empty())
      throw ConfigError(file_name, current.line, "empty rule name");
    blocks.push_back(std::move(current));
    current = RuleBlock();
  };
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    std::string_view line = Trim(raw);
    if (line.empty()) {
      flush();
      if (nl == text.size()) break;
      continue;
    }
    if (line.front() == '#') continue;
    size_t k = 0;
    while (k < line.size() && IsKeyChar(line[k])) ++k;
    if (k == 0 || k >= line.size() || line[k] != ':')
      throw ConfigError(file_name, line_no,
                        "expected 'key: value', got '" + std::string(line) + "'");
    RuleField field;
    field.key = std::string(line.substr(0, k));
    field.value = std::string(Trim(line.substr(k + 1)));
    field.line = line_no;
    if (current.fields.empty()) {
      current.file = file_name;
      current.line = line_no;
    } else if (field.key == "rule") {
      throw ConfigError(file_name, line_no,
                        "'rule:' starts a new block: leave a blank line before it");
    }
    current.fields.push_back(std::move(field));
    if (nl == text.size()) break;
  }
  flush();
  // Names identify rules in --explain output and tests: they must be unique.
  for (size_t i = 0; i < blocks.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (blocks[i].name() == blocks[j].name())
        throw ConfigError(file_name, blocks[i].line,
                          "rule '" + blocks[i].name() + "' already defined at line " +
                              std::to_string(blocks[j].line));
  return blocks;
}

std::vector<RuleBlock> ParseRuleFile(const std::string& path) {
  return ParseRuleText(ReadFileOrThrow(path), path);
}

void Vocabulary::Add(const std::string& name, const std::string& surface,
                     const std::string& value) {
  Table& t = tables_[name];
  t.entries.emplace_back(surface, value);
  t.by_folded.emplace(FoldText(surface), value);
}

void Vocabulary::LoadDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".tsv") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    const std::string name = p.stem().string();
    if (tables_.count(name)) continue;  // the language's own table wins
    const std::string text = ReadFileOrThrow(p.string());
    tables_[name];  // an empty table is still a known name
    std::istringstream in(text);
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      std::string_view l = Trim(line);
      if (l.empty() || l.front() == '#') continue;
      size_t tab = l.find('\t');
      std::string surface(Trim(l.substr(0, tab)));
      std::string value = tab == std::string_view::npos
                              ? std::string()
                              : std::string(Trim(l.substr(tab + 1)));
      if (surface.empty())
        throw ConfigError(p.string(), line_no, "empty surface form");
      Add(name, surface, value);
    }
  }
}

bool Vocabulary::Has(std::string_view name) const {
  return tables_.find(name) != tables_.end();
}

std::optional<std::string> Vocabulary::Lookup(std::string_view name,
                                              std::string_view surface) const {
  auto t = tables_.find(name);
  if (t == tables_.end()) return std::nullopt;
  thread_local std::string folded;
  folded.clear();
  AppendFoldedText(surface, &folded);
  auto e = t->second.by_folded.find(std::string_view(folded));
  if (e == t->second.by_folded.end()) return std::nullopt;
  return e->second;
}

const std::vector<std::pair<std::string, std::string>>& Vocabulary::Entries(
    std::string_view name) const {
  static const std::vector<std::pair<std::string, std::string>> kEmpty;
  auto t = tables_.find(name);
  return t == tables_.end() ? kEmpty : t->second.entries;
}

std::string Vocabulary::Alternation(std::string_view name) const {
  std::vector<std::string> surfaces;
  for (const auto& [surface, value] : Entries(name)) surfaces.push_back(surface);
  // Longest first, so that "Sept." is tried before "Sep".
  std::stable_sort(surfaces.begin(), surfaces.end(),
                   [](const std::string& a, const std::string& b) {
                     return a.size() > b.size();
                   });
  std::string out = "(?:";
  for (size_t i = 0; i < surfaces.size(); ++i) {
    if (i) out += '|';
    out += RE2::QuoteMeta(surfaces[i]);
  }
  out += ')';
  return out;
}

std::string Vocabulary::Expand(std::string_view pattern, const std::string& file,
                               int line) const {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {  // keep escapes, including \%
      out += c;
      out += pattern[++i];
      continue;
    }
    if (c != '%') {
      out += c;
      continue;
    }
    size_t j = i + 1;
    while (j < pattern.size() && IsKeyChar(pattern[j])) ++j;
    std::string_view name = pattern.substr(i + 1, j - i - 1);
    if (name.empty()) throw ConfigError(file, line, "'%' must be followed by a vocabulary name");
    if (!Has(name))
      throw ConfigError(file, line, "unknown vocabulary '%" + std::string(name) + "'");
    out += Alternation(name);
    i = j - 1;
  }
  return out;
}

RE2::Options RulePatternOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  return options;
}

std::unique_ptr<RE2> CompileRulePattern(const std::string& pattern,
                                        const std::string& file, int line) {
  auto re = std::make_unique<RE2>(pattern, RulePatternOptions());
  if (!re->ok())
    throw ConfigError(file, line, "pattern does not compile: " + re->error());
  return re;
}

std::string DataRoot() {
  if (const char* home = std::getenv("NEWSEVENTS_HOME"); home && *home) return home;
  return NEWSEVENTS_SOURCE_DIR;
}

}  // namespace newsevents
