#include "pipeline/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace newsevents {
namespace {

// 1234567 -> "1,234,567": item counts are read at a glance.
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Clock(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

std::string Megabytes(uint64_t bytes) {
  char buf[32];
  const double mb = bytes / 1e6;
  std::snprintf(buf, sizeof buf, mb < 10 ? "%.2f" : mb < 1000 ? "%.1f" : "%.0f", mb);
  return buf;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += "  ";
    out += p;
  }
  return out;
}

size_t TerminalWidth(std::FILE* out) {
  winsize ws{};
  if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

}  // namespace

std::string FormatProgress(const ProgressCounts& done, const ProgressTotals& total,
                           double seconds, size_t width) {
  const double fraction =
      total.bytes > 0 ? std::min(1.0, static_cast<double>(done.bytes) / total.bytes)
      : total.files > 0 ? std::min(1.0, static_cast<double>(done.files) / total.files)
                        : 0.0;
  char pct[16];
  std::snprintf(pct, sizeof pct, "%3d%%", static_cast<int>(fraction * 100));

  std::string bar = "[";
  constexpr int kBarCells = 20;
  const int full = static_cast<int>(fraction * kBarCells);
  bar.append(full, '#');
  bar.append(kBarCells - full, '.');
  bar += ']';

  const std::string files = std::to_string(done.files) + "/" + std::to_string(total.files) + " files";
  const std::string mb = Megabytes(done.bytes) + "/" + Megabytes(total.bytes) + " MB";
  std::string rate = "-- MB/s";
  std::string left = "--:-- left";
  // Until a file is done there is no speed to speak of.
  if (seconds > 0 && done.bytes > 0) {
    const double bytes_per_s = done.bytes / seconds;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB/s", bytes_per_s / 1e6);
    rate = buf;
    const uint64_t remaining = total.bytes > done.bytes ? total.bytes - done.bytes : 0;
    left = Clock(remaining / bytes_per_s) + " left";
  }
  const std::string items = Grouped(done.items) + " items";
  const std::string dups = Grouped(done.duplicates) + " duplicates";
  const std::string errors = Grouped(done.errors) + (done.errors == 1 ? " error" : " errors");

  // From the fullest form down to the essentials, the first that fits.
  const std::vector<std::string> forms = {
      Join({bar + ' ' + pct, files, mb, rate, items, dups, errors, left}),
      Join({pct, files, mb, rate, items, dups, errors, left}),
      Join({pct, files, mb, rate, items, left}),
      Join({pct, files, rate, left}),
      Join({pct, left}),
  };
  for (const std::string& form : forms) {
    if (form.size() <= width) return form;
  }
  return forms.back().substr(0, width);
}

uint64_t TotalFileBytes(const std::vector<std::string>& files) {
  uint64_t total = 0;
  for (const std::string& f : files) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(f, ec);
    if (!ec) total += size;
  }
  return total;
}

bool IsInteractive(std::FILE* stream) {
  if (!isatty(fileno(stream))) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

ProgressLine::ProgressLine(std::FILE* out, bool enabled, const ProgressTotals& totals,
                           std::chrono::milliseconds period)
    : out_(out),
      enabled_(enabled),
      totals_(totals),
      period_(period),
      start_(std::chrono::steady_clock::now()) {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    DrawLocked();
  }
  timer_ = std::thread([this] { Loop(); });
}

ProgressLine::~ProgressLine() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    EraseLocked();
  }
  wake_.notify_all();
  timer_.join();
}

void ProgressLine::Update(const ProgressCounts& counts) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  counts_ = counts;
}

std::unique_lock<std::mutex> ProgressLine::Pause() {
  if (!enabled_) return {};
  std::unique_lock<std::mutex> lock(mu_);
  EraseLocked();
  return lock;
}

void ProgressLine::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    // wait_for, not sleep: the destructor must not wait out a period.
    if (wake_.wait_for(lock, period_, [this] { return stop_; })) break;
    DrawLocked();
  }
}

void ProgressLine::DrawLocked() {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // One column short of the width: writing the last column wraps some terminals.
  const size_t width = std::max<size_t>(TerminalWidth(out_), 2) - 1;
  // One write per redraw: stderr is unbuffered, and pieces would flicker.
  std::string line = "\r";
  line += FormatProgress(counts_, totals_, seconds, width);
  line += "\x1b[K";
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
  drawn_ = true;
}

void ProgressLine::EraseLocked() {
  if (!drawn_) return;
  std::fputs("\r\x1b[K", out_);
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace newsevents
