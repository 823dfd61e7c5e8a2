#include "splitcheck/testkit/faults/fault_injecting_file_system.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"

namespace splitcheck::testkit {
namespace {

// Buffers what is appended, so that a torn close can write half of it.
class FaultyWritableFile final : public WritableFile {
 public:
  FaultyWritableFile(FaultPoints* points, std::unique_ptr<WritableFile> file)
      : points_(points), file_(std::move(file)) {}

  void append(std::string_view data) override {
    if (closed_) throw UsageError("\"" + file_->path() + "\": append after close");
    buffer_.append(data);
    if (!data.empty()) ends_.push_back(buffer_.size());
  }

  void close() override {
    if (closed_) throw UsageError("\"" + file_->path() + "\": closed twice");
    closed_ = true;
    const std::string what = "close " + file_->path();
    if (const auto mode = points_->count(what)) {
      if (*mode == FaultMode::kTorn) {
        file_->append(std::string_view(buffer_).substr(0, buffer_.size() / 2));
        file_->close();
      }
      FaultPoints::raise(*mode, what);
    }
    // Append by append, so that the base file system knows where each ended
    // (a crash may cut the bytes at any of them).
    std::size_t begin = 0;
    for (const std::size_t end : ends_) {
      file_->append(std::string_view(buffer_).substr(begin, end - begin));
      begin = end;
    }
    file_->close();
  }

  const std::string& path() const override { return file_->path(); }

 private:
  FaultPoints* const points_;
  const std::unique_ptr<WritableFile> file_;
  std::string buffer_;
  std::vector<std::size_t> ends_;  // of each append in buffer_
  bool closed_ = false;
};

}  // namespace

FaultInjectingFileSystem::FaultInjectingFileSystem(std::shared_ptr<FileSystem> base,
                                                   std::shared_ptr<FaultPoints> points)
    : FileSystemWrapper(std::move(base)),
      points_(points != nullptr ? std::move(points) : std::make_shared<FaultPoints>()) {}

std::unique_ptr<WritableFile> FaultInjectingFileSystem::create(const std::string& path) {
  const std::string what = "create " + path;
  if (const auto mode = points_->count(what)) FaultPoints::raise(*mode, what);
  return std::make_unique<FaultyWritableFile>(points_.get(), base().create(path));
}

void FaultInjectingFileSystem::rename(const std::string& from, const std::string& to) {
  const std::string what = "rename " + from + " -> " + to;
  if (const auto mode = points_->count(what)) FaultPoints::raise(*mode, what);
  base().rename(from, to);
}

bool FaultInjectingFileSystem::remove(const std::string& path) {
  const std::string what = "remove " + path;
  if (const auto mode = points_->count(what)) FaultPoints::raise(*mode, what);
  return base().remove(path);
}

bool FaultInjectingFileSystem::remove_directory(const std::string& path) {
  const std::string what = "remove_directory " + path;
  if (const auto mode = points_->count(what)) FaultPoints::raise(*mode, what);
  return base().remove_directory(path);
}

void FaultInjectingFileSystem::sync(const std::string& path) {
  const std::string what = "sync " + path;
  if (const auto mode = points_->count(what)) FaultPoints::raise(*mode, what);
  base().sync(path);
}

void FaultInjectingFileSystem::sync_directory(const std::string& directory) {
  const std::string what = "sync_directory " + directory;
  if (const auto mode = points_->count(what)) FaultPoints::raise(*mode, what);
  base().sync_directory(directory);
}

std::string FaultInjectingFileSystem::debug_string() const {
  return "fault-injecting(" + base().debug_string() + ")";
}

}  // namespace splitcheck::testkit
