// The local disk, through POSIX calls (see file_system.h).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/file_system.h"

namespace splitcheck {
namespace {

[[noreturn]] void fail(std::string_view operation, const std::string& path, int error) {
  throw InputError("local file system: " + std::string(operation) + " \"" + path +
                   "\": " + std::strerror(error));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

class LocalReadableFile final : public ReadableFile {
 public:
  LocalReadableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::size_t read(char* buffer, std::size_t n) override {
    for (;;) {
      const ssize_t got = ::read(fd_.get(), buffer, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR) fail("read", path_, errno);
    }
  }

  const std::string& path() const override { return path_; }

 private:
  const std::string path_;
  Fd fd_;
};

// Buffers appends (a sink appends a few bytes per record) and writes
// 256 KiB at a time; close() writes the rest.
class LocalWritableFile final : public WritableFile {
 public:
  static constexpr std::size_t kBuffer = 1 << 18;

  LocalWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {
    buffer_.reserve(kBuffer);
  }

  void append(std::string_view data) override {
    if (fd_.get() < 0)
      throw UsageError("local file system: append to \"" + path_ + "\" after close");
    if (buffer_.size() + data.size() > kBuffer) {
      flush();
      if (data.size() >= kBuffer) return write_all(data);
    }
    buffer_.append(data);
  }

  void close() override {
    if (fd_.get() < 0) throw UsageError("local file system: \"" + path_ + "\" closed twice");
    flush();
    const int fd = fd_.release();
    if (::close(fd) != 0) fail("close", path_, errno);
  }

  const std::string& path() const override { return path_; }

 private:
  void flush() {
    write_all(buffer_);
    buffer_.clear();
  }

  void write_all(std::string_view data) {
    while (!data.empty()) {
      const ssize_t wrote = ::write(fd_.get(), data.data(), data.size());
      if (wrote < 0) {
        if (errno == EINTR) continue;
        fail("write", path_, errno);
      }
      data.remove_prefix(static_cast<std::size_t>(wrote));
    }
  }

  const std::string path_;
  Fd fd_;
  std::string buffer_;
};

void make_parent_directories(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) fail("create directories for", path, error.value());
}

class LocalFileSystem final : public FileSystem {
 public:
  std::optional<FileMetadata> stat(const std::string& path) const override {
    struct ::stat st;
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
      fail("stat", path, errno);
    }
    if (!S_ISREG(st.st_mode)) return std::nullopt;
    return FileMetadata{path, static_cast<std::int64_t>(st.st_size)};
  }

  std::optional<std::string> what_is_at(const std::string& path) const override {
    struct ::stat st;
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    if (S_ISREG(st.st_mode)) return std::nullopt;
    if (S_ISDIR(st.st_mode)) return "a directory";
    if (S_ISFIFO(st.st_mode)) return "a FIFO";
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device";
    if (S_ISSOCK(st.st_mode)) return "a socket";
    return "a special file";
  }

  std::vector<FileMetadata> list(const std::string& directory) const override {
    std::vector<FileMetadata> out;
    const std::filesystem::path root = directory.empty() ? "." : directory;
    std::error_code error;
    if (!std::filesystem::is_directory(root, error)) return out;
    auto it = std::filesystem::recursive_directory_iterator(root, error);
    if (error) fail("list", directory, error.value());
    for (; it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      if (error) fail("list", directory, error.value());
      if (!it->is_regular_file(error)) continue;
      const std::string relative = it->path().lexically_relative(root).string();
      std::string path = directory.empty()         ? relative
                         : directory.back() == '/' ? directory + relative
                                                   : directory + "/" + relative;
      const std::uintmax_t size = it->file_size(error);
      if (error) continue;  // vanished while listing
      out.push_back({std::move(path), static_cast<std::int64_t>(size)});
    }
    if (error) fail("list", directory, error.value());
    std::sort(out.begin(), out.end(),
              [](const FileMetadata& a, const FileMetadata& b) { return a.path < b.path; });
    return out;
  }

  std::unique_ptr<ReadableFile> open(const std::string& path, std::int64_t offset) const override {
    if (offset < 0) {
      throw UsageError("local file system: open \"" + path + "\" at negative offset " +
                       std::to_string(offset));
    }
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail("open", path, errno);
    struct ::stat st;
    if (::fstat(fd.get(), &st) != 0) fail("stat", path, errno);
    if (S_ISDIR(st.st_mode)) fail("open", path, EISDIR);
    if (offset > 0 && ::lseek(fd.get(), offset, SEEK_SET) < 0) {
      fail("seek to offset " + std::to_string(offset) + " of", path, errno);
    }
    return std::make_unique<LocalReadableFile>(path, fd.release());
  }

  std::unique_ptr<WritableFile> create(const std::string& path) override {
    make_parent_directories(path);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("create", path, errno);
    return std::make_unique<LocalWritableFile>(path, fd);
  }

  void rename(const std::string& from, const std::string& to) override {
    make_parent_directories(to);
    if (::rename(from.c_str(), to.c_str()) != 0) {
      throw InputError("local file system: rename \"" + from + "\" to \"" + to +
                       "\": " + std::strerror(errno));
    }
  }

  bool remove(const std::string& path) override {
    if (::unlink(path.c_str()) == 0) return true;
    if (errno == ENOENT) return false;
    fail("remove", path, errno);
  }

  bool remove_directory(const std::string& path) override {
    if (::rmdir(path.c_str()) == 0) return true;
    if (errno == ENOENT) return false;
    fail("remove directory", path, errno);
  }

  void sync(const std::string& path) override {
    // fsync applies to the file, not the descriptor: any descriptor of it
    // flushes what every writer wrote.
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail("sync", path, errno);
    if (::fsync(fd.get()) != 0) fail("sync", path, errno);
  }

  void sync_directory(const std::string& directory) override {
    const std::string dir = directory.empty() ? "." : directory;
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 && errno == ENOENT) return;  // no entries to make durable
    if (fd.get() < 0) fail("sync directory", dir, errno);
    if (::fsync(fd.get()) != 0) fail("sync directory", dir, errno);
  }

  std::string debug_string() const override { return "local file system"; }
};

}  // namespace

std::shared_ptr<FileSystem> local_file_system() {
  static const std::shared_ptr<FileSystem> fs = std::make_shared<LocalFileSystem>();
  return fs;
}

}  // namespace splitcheck
