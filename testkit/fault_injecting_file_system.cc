#include "splitcheck/testkit/fault_injecting_file_system.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/runner/runner_policy.h"

namespace splitcheck::testkit {
namespace {

[[noreturn]] void raise(FaultMode mode, const std::string& what) {
  throw InjectedFailure(std::string("injected ") + fault_mode_name(mode) + " at \"" + what + "\"");
}

// Buffers what is appended, so that a torn close can write half of it.
class FaultyWritableFile final : public WritableFile {
 public:
  FaultyWritableFile(FaultInjectingFileSystem* fs, std::unique_ptr<WritableFile> file)
      : fs_(fs), file_(std::move(file)) {}

  void append(std::string_view data) override {
    if (closed_) throw UsageError("\"" + file_->path() + "\": append after close");
    buffer_.append(data);
  }

  void close() override {
    if (closed_) throw UsageError("\"" + file_->path() + "\": closed twice");
    closed_ = true;
    const std::string what = "close " + file_->path();
    if (const auto mode = fs_->count(what)) {
      if (*mode == FaultMode::kTorn) {
        file_->append(std::string_view(buffer_).substr(0, buffer_.size() / 2));
        file_->close();
      }
      raise(*mode, what);
    }
    file_->append(buffer_);
    file_->close();
  }

  const std::string& path() const override { return file_->path(); }

 private:
  FaultInjectingFileSystem* const fs_;
  const std::unique_ptr<WritableFile> file_;
  std::string buffer_;
  bool closed_ = false;
};

}  // namespace

const char* fault_mode_name(FaultMode mode) {
  switch (mode) {
    case FaultMode::kFail:
      return "failure";
    case FaultMode::kCrash:
      return "crash";
    case FaultMode::kTorn:
      return "torn write";
  }
  return "fault";
}

FaultInjectingFileSystem::FaultInjectingFileSystem(std::shared_ptr<FileSystem> base)
    : base_(std::move(base)) {
  if (base_ == nullptr) throw UsageError("FaultInjectingFileSystem: the base must not be null");
}

void FaultInjectingFileSystem::inject(std::int64_t index, FaultMode mode) {
  if (index < 0) throw UsageError("FaultInjectingFileSystem: negative operation index");
  internal::MutexLock lock(&mu_);
  fault_at_ = operations_ + index;
  mode_ = mode;
  fired_ = false;
}

std::int64_t FaultInjectingFileSystem::operations() const {
  internal::MutexLock lock(&mu_);
  return operations_;
}

std::vector<std::string> FaultInjectingFileSystem::trace() const {
  internal::MutexLock lock(&mu_);
  return trace_;
}

bool FaultInjectingFileSystem::fired() const {
  internal::MutexLock lock(&mu_);
  return fired_;
}

std::optional<FaultMode> FaultInjectingFileSystem::count(const std::string& what) {
  internal::MutexLock lock(&mu_);
  const bool fault = fault_at_.has_value() && *fault_at_ == operations_;
  ++operations_;
  trace_.push_back(fault ? "! " + what : what);
  if (!fault) return std::nullopt;
  fired_ = true;
  fault_at_.reset();
  return mode_;
}

std::optional<FileMetadata> FaultInjectingFileSystem::stat(const std::string& path) const {
  return base_->stat(path);
}

std::vector<FileMetadata> FaultInjectingFileSystem::list(const std::string& directory) const {
  return base_->list(directory);
}

std::unique_ptr<ReadableFile> FaultInjectingFileSystem::open(const std::string& path,
                                                             std::int64_t offset) const {
  return base_->open(path, offset);
}

std::unique_ptr<WritableFile> FaultInjectingFileSystem::create(const std::string& path) {
  const std::string what = "create " + path;
  if (const auto mode = count(what)) raise(*mode, what);
  return std::make_unique<FaultyWritableFile>(this, base_->create(path));
}

void FaultInjectingFileSystem::rename(const std::string& from, const std::string& to) {
  const std::string what = "rename " + from + " -> " + to;
  if (const auto mode = count(what)) raise(*mode, what);
  base_->rename(from, to);
}

bool FaultInjectingFileSystem::remove(const std::string& path) {
  const std::string what = "remove " + path;
  if (const auto mode = count(what)) raise(*mode, what);
  return base_->remove(path);
}

bool FaultInjectingFileSystem::remove_directory(const std::string& path) {
  const std::string what = "remove_directory " + path;
  if (const auto mode = count(what)) raise(*mode, what);
  return base_->remove_directory(path);
}

std::string FaultInjectingFileSystem::debug_string() const {
  return "fault-injecting(" + base_->debug_string() + ")";
}

}  // namespace splitcheck::testkit
