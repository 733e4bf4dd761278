#include "pipeline/output_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace newsevents {

namespace fs = std::filesystem;

namespace {

// Tests simulate a full disk by capping how many bytes may be written
// (NEWSEVENTS_TEST_WRITE_LIMIT), like LevelDB's fault-injection Env.
uint64_t WriteLimit() {
  const char* v = std::getenv("NEWSEVENTS_TEST_WRITE_LIMIT");
  return v && *v ? std::strtoull(v, nullptr, 10) : UINT64_MAX;
}

}  // namespace

OutputFile::OutputFile(const std::string& path) : path_(path), write_limit_(WriteLimit()) {
  if (path == "-") {
    direct_ = true;
    fd_ = STDOUT_FILENO;
    return;
  }
  // A device or a pipe (/dev/null, a FIFO) is written to as it is: renaming
  // a temporary file over it would replace the device node.
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) throw OutputError("cannot write " + path + ": is a folder");
    fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) throw OutputError("cannot write " + path + ": " + std::strerror(errno));
    direct_ = true;
    owns_fd_ = true;
    return;
  }
  fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  temp_path_ = path + ".tmp-" + std::to_string(::getpid());
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw OutputError("cannot write " + path + ": " + std::strerror(errno));
  }
}

OutputFile::~OutputFile() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
  if (direct_) return;
  if (fd_ >= 0) ::close(fd_);
  if (!finished_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void OutputFile::Write(std::string_view lines) {
  size_t done = 0;
  while (done < lines.size()) {
    size_t want = lines.size() - done;
    const uint64_t at = committed_ + done;
    if (at + want > write_limit_) want = at < write_limit_ ? write_limit_ - at : 0;
    ssize_t k = want == 0 ? (errno = ENOSPC, -1) : ::write(fd_, lines.data() + done, want);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      const int err = k < 0 ? errno : ENOSPC;
      // Cut back to the last whole line, so no torn record is left.
      if (!direct_ && ::ftruncate(fd_, static_cast<off_t>(committed_)) == 0) {
        ::lseek(fd_, static_cast<off_t>(committed_), SEEK_SET);
      }
      throw OutputError("cannot write " + path_ + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(k);
  }
  committed_ += lines.size();
}

void OutputFile::Finish() {
  if (finished_) return;
  finished_ = true;
  if (direct_) return;
  const bool synced = ::fsync(fd_) == 0;
  ::close(fd_);
  fd_ = -1;
  if (!synced || ::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp_path_.c_str());
    throw OutputError("cannot write " + path_ + ": " + std::strerror(err));
  }
}

}  // namespace newsevents
