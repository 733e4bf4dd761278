// ProgressLine: the live one-line status `extract` keeps at the bottom of a
// terminal while a drop runs (files and MB done, MB/s, items, duplicates,
// errors, time left).
//
// The line is redrawn by its own timer thread, at most five times a second,
// so a run that spends a minute in one large file still shows its clock
// moving, and the sink pays only for copying five counters. The drawer and
// anyone else writing to the same stream share one mutex: Pause() erases the
// line and keeps it away while a message is printed, and the destructor
// erases it for good, so summaries and errors never land in the middle of it.
// When disabled (stderr is not a terminal, or --quiet) nothing is written and
// no thread is started.
#ifndef NEWSEVENTS_PROGRESS_H_
#define NEWSEVENTS_PROGRESS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace newsevents {

// What the run has finished so far.
struct ProgressCounts {
  size_t files = 0;
  uint64_t bytes = 0;
  size_t items = 0;
  size_t duplicates = 0;
  size_t errors = 0;
};

// What the run will read in all: known up front from the file sizes.
struct ProgressTotals {
  size_t files = 0;
  uint64_t bytes = 0;
};

// The text of the line (no control characters), at most `width` bytes, e.g.
// "[#####.....] 52%  3/5 files  1.2/2.3 MB  31.0 MB/s  40 items  2 duplicates
// 0 errors  0:03 left". Shorter forms are chosen for narrow terminals.
std::string FormatProgress(const ProgressCounts& done, const ProgressTotals& total,
                           double seconds, size_t width);

// Sum of the sizes of `files`; files that cannot be stat'ed count as 0 (the
// reader reports them).
uint64_t TotalFileBytes(const std::vector<std::string>& files);

// True when `stream` is a terminal that understands "\r" and erase-line
// (not TERM=dumb).
bool IsInteractive(std::FILE* stream);

class ProgressLine {
 public:
  // Draws on `out` only if `enabled`; the first line is drawn at once.
  ProgressLine(std::FILE* out, bool enabled, const ProgressTotals& totals,
               std::chrono::milliseconds period = std::chrono::milliseconds(200));
  ~ProgressLine();  // erases the line and stops the timer
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Records what is finished; drawn at the next tick. Cheap: call it per file.
  void Update(const ProgressCounts& counts);

  // Erases the line; until the returned lock is released nothing is drawn, so
  // the holder can print whole lines to the same stream.
  [[nodiscard]] std::unique_lock<std::mutex> Pause();

  bool enabled() const { return enabled_; }

 private:
  void Loop();
  void DrawLocked();
  void EraseLocked();

  std::FILE* out_;
  const bool enabled_;
  const ProgressTotals totals_;
  const std::chrono::milliseconds period_;
  const std::chrono::steady_clock::time_point start_;

  std::mutex mu_;
  std::condition_variable wake_;
  ProgressCounts counts_;  // guarded by mu_
  bool drawn_ = false;     // a line is on screen
  bool stop_ = false;
  std::thread timer_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_PROGRESS_H_
