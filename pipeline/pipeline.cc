#include "pipeline/pipeline.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <thread>

#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include "pipeline/normalize.h"
#include "pipeline/record.h"

namespace newsevents {

namespace fs = std::filesystem;

namespace {

bool IsTextFileName(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".txt" || ext == ".text" || ext == ".md";
}

}  // namespace

std::vector<std::string> ListDropFiles(const std::vector<std::string>& paths,
                                       std::vector<std::string>* errors) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec) {
      errors->push_back(path + ": " + (ec == std::errc::too_many_symbolic_link_levels
                                           ? "symbolic link loop"
                                           : ec.message()));
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      fs::directory_iterator it(path, ec), end;
      if (ec) {
        errors->push_back(path + ": cannot list folder: " + ec.message());
        continue;
      }
      for (; it != end; it.increment(ec)) {
        if (ec) {
          errors->push_back(path + ": " + ec.message());
          break;
        }
        std::error_code fec;
        // A folder's other files (gold JSON, images) are not input.
        if (IsTextFileName(it->path()) && !fs::is_directory(it->path(), fec)) {
          found.push_back(it->path().string());
        }
      }
      std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
        return fs::path(a).filename() < fs::path(b).filename();
      });
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);  // named explicitly: read whatever it is
    }
  }
  return files;
}

void Pipeline::ProcessText(Document& doc) const {
  NormalizeDocument(doc);
  for (const auto& stage : stages_) stage->Apply(doc);
  AssignItemIds(doc);
}

Document Pipeline::ProcessFile(const std::string& path, size_t ordinal,
                               const ReadOptions& read) const {
  Document doc;
  doc.path = path;
  doc.name = fs::path(path).filename().string();
  doc.ordinal = ordinal;
  ReadResult r = ReadSourceFile(path, read);
  doc.source_size = r.file_size;
  doc.warnings = std::move(r.warnings);
  if (r.status != ReadStatus::kOk) {
    doc.skipped = true;
    const char* code = r.status == ReadStatus::kEmpty     ? "empty"
                       : r.status == ReadStatus::kSkipped ? "skipped"
                                                          : "unreadable";
    doc.warnings.push_back({code, r.message, std::nullopt});
    return doc;
  }
  doc.original = std::move(r.text);
  doc.original_to_file = std::move(r.to_file);
  try {
    ProcessText(doc);
  } catch (const std::exception& e) {
    // A stage that fails on one file (a bug that file's text found) must not
    // take the drop down with it: that file is reported and skipped, the
    // others are written. The fuzz targets call the stages directly, so such
    // bugs still show there.
    Document failed;
    failed.path = std::move(doc.path);
    failed.name = std::move(doc.name);
    failed.ordinal = ordinal;
    failed.source_size = doc.source_size;
    failed.warnings = std::move(doc.warnings);
    failed.skipped = true;
    failed.warnings.push_back(
        {"failed", std::string("processing failed, file skipped: ") + e.what(), std::nullopt});
    return failed;
  }
  return doc;
}

void Pipeline::Run(const std::vector<std::string>& files, const RunOptions& options,
                   const std::function<void(Document&)>& sink) const {
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  size_t next = 0;
  // A sink that throws (interrupted, output failure) stops the run without
  // letting the exception through tbb: no new file is started, the documents
  // already in flight are drained unread, and the exception is rethrown at
  // the end. A pipeline that tbb cancels leaks the documents that were
  // waiting for the serial sink (oneTBB 2021.8: LeakSanitizer finds them in
  // every interrupted run; pipeline_test counts them).
  std::atomic<bool> stopping{false};
  std::exception_ptr failure;
  tbb::parallel_pipeline(
      static_cast<size_t>(threads) * 2,
      tbb::make_filter<void, size_t>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& fc) -> size_t {
                                       if (next >= files.size() || stopping.load()) {
                                         fc.stop();
                                         return 0;
                                       }
                                       return next++;
                                     }) &
          tbb::make_filter<size_t, std::shared_ptr<Document>>(
              tbb::filter_mode::parallel,
              [&](size_t i) -> std::shared_ptr<Document> {
                if (stopping.load(std::memory_order_relaxed)) return nullptr;
                auto doc = std::make_shared<Document>(ProcessFile(files[i], i, options.read));
                if (options.prepare && !doc->skipped) options.prepare(*doc);
                return doc;
              }) &
          tbb::make_filter<std::shared_ptr<Document>, std::shared_ptr<Document>>(
              tbb::filter_mode::serial_in_order,
              [&](std::shared_ptr<Document> doc) -> std::shared_ptr<Document> {
                if (!doc || failure) return doc;
                try {
                  sink(*doc);
                } catch (...) {
                  failure = std::current_exception();
                  stopping.store(true);
                }
                return doc;
              }) &
          // A document is freed after the serial sink, not in it: freeing its
          // items (records, entity lists, sentences) is a twentieth of what
          // the sink does, and the sink is what bounds the speed-up.
          tbb::make_filter<std::shared_ptr<Document>, void>(
              tbb::filter_mode::parallel, [&](std::shared_ptr<Document> doc) {
                if (doc && options.release) options.release(*doc);
              }));
  if (failure) std::rethrow_exception(failure);
}

}  // namespace newsevents
