#include "pipeline/feed_schema.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/record_sink.h"
#include "re2/re2.h"

namespace newsevents {

namespace fs = std::filesystem;

std::string FeedSchemaDir() {
  if (const char* home = std::getenv("NEWSEVENTS_HOME"); home && *home) {
    const fs::path dir = fs::path(home) / "pipeline" / "sql";
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return dir.string();
  }
  return (fs::path(NEWSEVENTS_SOURCE_DIR) / "pipeline" / "sql").string();
}

std::vector<SchemaStep> LoadFeedSchema(const std::string& dir) {
  std::vector<SchemaStep> steps;
  static const RE2 migration(R"(migrate_v([0-9]+)\.sql)");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    int version = 0;
    if (name == "schema_v1.sql") {
      version = 1;
    } else if (std::string digits; RE2::FullMatch(name, migration, &digits)) {
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
      if (ec != std::errc() || end != digits.data() + digits.size())
        throw SinkError(entry.path().string() + ": version number out of range");
      if (version < 2) throw SinkError(entry.path().string() + ": migrations start at v2");
    } else {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw SinkError("cannot read " + entry.path().string());
    steps.push_back({version, entry.path().string(), text.str()});
  }
  if (ec) throw SinkError("schema folder " + dir + ": " + ec.message());
  std::sort(steps.begin(), steps.end(),
            [](const SchemaStep& a, const SchemaStep& b) { return a.version < b.version; });
  for (size_t i = 0; i < steps.size(); ++i) {
    if (i > 0 && steps[i].version == steps[i - 1].version) {
      throw SinkError("schema folder " + dir + ": two files for version " +
                      std::to_string(steps[i].version));
    }
    if (steps[i].version != static_cast<int>(i) + 1) {
      throw SinkError("schema folder " + dir + ": no file for version " +
                      std::to_string(i + 1) +
                      (i == 0 ? " (schema_v1.sql)" : " (migrate_v" + std::to_string(i + 1) + ".sql)"));
    }
  }
  if (steps.empty()) throw SinkError("schema folder " + dir + ": no schema_v1.sql");
  return steps;
}

}  // namespace newsevents
