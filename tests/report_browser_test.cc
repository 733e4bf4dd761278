// The report page as an analyst meets it, in a real browser: Debian's
// Chromium, headless, driven by playwright-core (tests/browser/, installed
// here with `npm ci`). The corpus report must open without a console error,
// show one row per record, and filter by type; a page of 100,000 events must
// load, filter, search and sort quickly. The pages, their records, the
// browser's log and a screenshot are left in <build>/report-browser/.
//
// Needs chromium and node (./setup.sh --deps-only installs them) and the npm
// registry, or npm's cache, for playwright-core.
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace newsevents {
namespace {

namespace fs = std::filesystem;

int Shell(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// `n` records made from the corpus's: each line again with a new id, so the
// snippets still come from the corpus files. Retellings keep pointing at the
// first copy of their story, which makes groups of hundreds of retellings.
void WriteLargeRecords(const fs::path& from, const fs::path& to, size_t n) {
  std::vector<std::string> lines;
  {
    std::ifstream in(from);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) lines.push_back(line);
    }
  }
  ASSERT_FALSE(lines.empty());
  const std::string id_field = "{\"id\":\"ev-";
  std::ofstream out(to, std::ios::binary);
  for (size_t k = 0; k < n; ++k) {
    std::string line = lines[k % lines.size()];
    if (k >= lines.size()) {
      ASSERT_EQ(line.rfind(id_field, 0), 0u) << "records start with their id";
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016zx", k);
      line.replace(id_field.size(), 16, hex);
    }
    out << line << '\n';
  }
}

TEST(ReportBrowserTest, CorpusAndLargeReportsInChromium) {
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(Shell("command -v chromium >/dev/null && command -v node >/dev/null && "
                  "command -v npm >/dev/null"),
            0)
      << "chromium, node and npm are needed: run ./setup.sh --deps-only";
  const std::string bin = NEWSEVENTS_BINARY;
  const fs::path out = fs::path(NEWSEVENTS_BINARY).parent_path() / "report-browser";
  fs::remove_all(out);
  fs::create_directories(out);
  const fs::path records = out / "events.jsonl", page = out / "report.html";
  const fs::path big_records = out / "events-100k.jsonl", big_page = out / "report-100k.html";
  const fs::path log = out / "browser.log", shot = out / "report.png";

  ASSERT_EQ(Shell(bin + " extract corpus/ -q -o " + records.string()), 0);
  ASSERT_EQ(Shell(bin + " report " + records.string() + " -q -o " + page.string()), 0);
  constexpr size_t kLarge = 100000;
  WriteLargeRecords(records, big_records, kLarge);
  const auto t_big = std::chrono::steady_clock::now();
  ASSERT_EQ(Shell(bin + " report " + big_records.string() + " -q -o " + big_page.string()), 0);
  const double big_seconds = SecondsSince(t_big);
  std::printf("report of %zu events: %.2f s, %.1f MB page\n", kLarge, big_seconds,
              fs::file_size(big_page) / 1e6);
  fs::remove(big_records);  // 130 MB that nobody needs afterwards

  // --prefer-offline: npm's cache is enough once it has the package.
  const auto t_npm = std::chrono::steady_clock::now();
  ASSERT_EQ(Shell("cd tests/browser && npm ci --prefer-offline --no-audit --no-fund "
                  "--loglevel=error > " + (out / "npm.log").string() + " 2>&1"),
            0)
      << ReadFile(out / "npm.log");
  std::printf("npm ci: %.1f s\n", SecondsSince(t_npm));

  const auto t_browser = std::chrono::steady_clock::now();
  const int rc = Shell("node tests/browser/check_report.mjs --report " + page.string() +
                       " --records " + records.string() + " --screenshot " + shot.string() +
                       " --big " + big_page.string() + " --big-count " + std::to_string(kLarge) +
                       " > " + log.string() + " 2>&1");
  const std::string checks = ReadFile(log);
  std::printf("%s", checks.c_str());
  std::printf("browser checks: %.1f s; whole test: %.1f s\n", SecondsSince(t_browser),
              SecondsSince(t0));
  EXPECT_EQ(rc, 0) << checks;
  EXPECT_NE(checks.find("all checks passed"), std::string::npos);
  EXPECT_GT(fs::exists(shot) ? fs::file_size(shot) : 0, 10000u) << "a screenshot of the page";
}

}  // namespace
}  // namespace newsevents
