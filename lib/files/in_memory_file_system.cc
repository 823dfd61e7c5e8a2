#include "splitcheck/lib/files/in_memory_file_system.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/internal/crash_states.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"

namespace splitcheck {
namespace {

using internal::NamespaceChange;
using internal::parent_of;

// "a/" for "a" or "a/": what the paths under a directory start with; "" for
// the top.
std::string directory_prefix(const std::string& directory) {
  std::string prefix = directory;
  if (!prefix.empty() && prefix.back() != '/') prefix.push_back('/');
  return prefix;
}

// The first path of `files` under `prefix` (a directory_prefix), or null.
template <typename Files>
const std::string* first_path_under(const Files& files, const std::string& prefix) {
  const auto it = files.lower_bound(prefix);
  if (it == files.end() || it->first.compare(0, prefix.size(), prefix) != 0) return nullptr;
  return &it->first;
}

}  // namespace

struct InMemoryFileSystem::State {
  mutable internal::Mutex mu;
  // Path -> file, as every call sees it.
  internal::Namespace files SPLITCHECK_GUARDED_BY(mu);
  // Path -> file, as a crash would leave the directories: an entry changes
  // here only when a sync makes a pending change durable.
  internal::Namespace durable_files SPLITCHECK_GUARDED_BY(mu);
  // The directories every call has made (never "": the top is always
  // there), and those a crash keeps. Removing a directory is not modelled:
  // once made it stays, empty and invisible to list().
  internal::Directories directories SPLITCHECK_GUARDED_BY(mu);
  internal::Directories durable_directories SPLITCHECK_GUARDED_BY(mu);
  // The changes of `files` and `directories` not in `durable_files` and
  // `durable_directories` yet, in order.
  std::vector<NamespaceChange> pending SPLITCHECK_GUARDED_BY(mu);

  // Makes the directories above `path` that are missing, each a pending
  // change of its parent, the topmost first.
  void make_parents(const std::string& path) SPLITCHECK_REQUIRES(mu) {
    std::vector<std::string> missing;
    for (std::string dir = parent_of(path); !dir.empty(); dir = parent_of(dir)) {
      if (directories.count(dir) != 0) break;
      missing.push_back(dir);
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
      directories.insert(*it);
      pending.push_back({NamespaceChange::Kind::kMakeDirectory, *it, "", nullptr});
    }
  }

  // Makes the directories above `path` durably (a test's layout).
  void make_parents_durably(const std::string& path) SPLITCHECK_REQUIRES(mu) {
    for (std::string dir = parent_of(path); !dir.empty(); dir = parent_of(dir)) {
      directories.insert(dir);
      durable_directories.insert(dir);
    }
  }
};

class InMemoryReadableFile final : public ReadableFile {
 public:
  InMemoryReadableFile(const InMemoryFileSystem* fs, std::string path, std::int64_t offset)
      : fs_(fs), path_(std::move(path)), offset_(offset) {}

  std::size_t read(char* buffer, std::size_t n) override {
    const std::shared_ptr<const std::string> bytes = fs_->bytes_for_read(path_, "read");
    const auto size = static_cast<std::int64_t>(bytes->size());
    if (offset_ >= size) return 0;
    const std::size_t count = std::min(n, static_cast<std::size_t>(size - offset_));
    std::memcpy(buffer, bytes->data() + offset_, count);
    offset_ += static_cast<std::int64_t>(count);
    return count;
  }

  const std::string& path() const override { return path_; }

 private:
  const InMemoryFileSystem* const fs_;
  const std::string path_;
  std::int64_t offset_;
};

// Writes to its file (whatever it is called by then) when closed.
class InMemoryWritableFile final : public WritableFile {
 public:
  InMemoryWritableFile(InMemoryFileSystem* fs, std::string path,
                       std::shared_ptr<InMemoryInode> inode)
      : fs_(fs), path_(std::move(path)), inode_(std::move(inode)) {}

  void append(std::string_view data) override {
    if (closed_) throw UsageError("in-memory file system: append to \"" + path_ + "\" after close");
    buffer_.append(data);
    if (!data.empty()) ends_.push_back(buffer_.size());
  }

  void close() override {
    if (closed_) throw UsageError("in-memory file system: \"" + path_ + "\" closed twice");
    closed_ = true;
    fs_->apply(*inode_, std::move(buffer_), std::move(ends_));
  }

  const std::string& path() const override { return path_; }

 private:
  InMemoryFileSystem* const fs_;
  const std::string path_;
  const std::shared_ptr<InMemoryInode> inode_;
  std::string buffer_;
  std::vector<std::size_t> ends_;  // of each append in buffer_
  bool closed_ = false;
};

InMemoryFileSystem::InMemoryFileSystem() : state_(std::make_unique<State>()) {}
InMemoryFileSystem::~InMemoryFileSystem() = default;

std::shared_ptr<const std::string> InMemoryFileSystem::bytes_for_read(const std::string& path,
                                                                      const char* operation) const {
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  auto it = st.files.find(path);
  if (it == st.files.end()) {
    throw InputError("in-memory file system: " + std::string(operation) + " \"" + path +
                     "\": no such file");
  }
  if (!it->second->readable) {
    throw InputError("in-memory file system: " + std::string(operation) + " \"" + path +
                     "\": permission denied");
  }
  return it->second->applied;
}

void InMemoryFileSystem::apply(InMemoryInode& inode, std::string bytes,
                               std::vector<std::size_t> append_ends) {
  auto shared = std::make_shared<const std::string>(std::move(bytes));
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  inode.applied = std::move(shared);
  inode.append_ends = std::move(append_ends);
}

std::optional<FileMetadata> InMemoryFileSystem::stat(const std::string& path) const {
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  auto it = st.files.find(path);
  if (it == st.files.end()) return std::nullopt;
  return FileMetadata{path, static_cast<std::int64_t>(it->second->applied->size())};
}

std::optional<std::string> InMemoryFileSystem::what_is_at(const std::string& path) const {
  if (path.empty()) return std::nullopt;
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  if (first_path_under(st.files, directory_prefix(path)) != nullptr) return "a directory";
  return std::nullopt;
}

std::vector<FileMetadata> InMemoryFileSystem::list(const std::string& directory) const {
  const std::string prefix = directory_prefix(directory);
  std::vector<FileMetadata> out;
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  for (auto it = st.files.lower_bound(prefix); it != st.files.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back({it->first, static_cast<std::int64_t>(it->second->applied->size())});
  }
  return out;
}

std::unique_ptr<ReadableFile> InMemoryFileSystem::open(const std::string& path,
                                                       std::int64_t offset) const {
  if (offset < 0) {
    throw UsageError("in-memory file system: open \"" + path + "\" at negative offset " +
                     std::to_string(offset));
  }
  bytes_for_read(path, "open");
  return std::make_unique<InMemoryReadableFile>(this, path, offset);
}

std::unique_ptr<WritableFile> InMemoryFileSystem::create(const std::string& path) {
  if (path.empty() || path.back() == '/') {
    throw InputError("in-memory file system: create \"" + path + "\": not a file name");
  }
  std::shared_ptr<InMemoryInode> inode;
  {
    State& st = *state_;
    internal::MutexLock lock(&st.mu);
    auto& entry = st.files[path];
    if (entry == nullptr) {
      entry = std::make_shared<InMemoryInode>();
      st.make_parents(path);
      st.pending.push_back({NamespaceChange::Kind::kCreate, path, "", entry});
    } else {
      // Truncates the existing file; its durable bytes stay until synced.
      entry->applied = std::make_shared<const std::string>();
      entry->append_ends.clear();
    }
    inode = entry;
  }
  return std::make_unique<InMemoryWritableFile>(this, path, std::move(inode));
}

void InMemoryFileSystem::rename(const std::string& from, const std::string& to) {
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  auto it = st.files.find(from);
  if (it == st.files.end()) {
    throw InputError("in-memory file system: rename \"" + from + "\" to \"" + to +
                     "\": no such file");
  }
  if (from == to) return;
  std::shared_ptr<InMemoryInode> inode = std::move(it->second);
  st.files.erase(it);
  st.make_parents(to);
  st.pending.push_back({NamespaceChange::Kind::kRename, from, to, inode});
  st.files[to] = std::move(inode);
}

bool InMemoryFileSystem::remove(const std::string& path) {
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  auto it = st.files.find(path);
  if (it == st.files.end()) return false;
  st.pending.push_back({NamespaceChange::Kind::kRemove, path, "", std::move(it->second)});
  st.files.erase(it);
  return true;
}

bool InMemoryFileSystem::remove_directory(const std::string& path) {
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  if (const std::string* file = first_path_under(st.files, directory_prefix(path))) {
    throw InputError("in-memory file system: remove directory \"" + path + "\": not empty (\"" +
                     *file + "\")");
  }
  return false;
}

void InMemoryFileSystem::sync(const std::string& path) {
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  auto it = st.files.find(path);
  if (it == st.files.end()) {
    throw InputError("in-memory file system: sync \"" + path + "\": no such file");
  }
  it->second->durable = it->second->applied;
}

void InMemoryFileSystem::sync_directory(const std::string& directory) {
  std::string dir = directory;
  while (!dir.empty() && dir.back() == '/') dir.pop_back();
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  // The pending changes of `dir` become durable, with the earlier changes
  // they depend on (wherever those are); the others stay pending.
  std::vector<bool> durable(st.pending.size(), false);
  for (std::size_t i = st.pending.size(); i-- > 0;) {
    if (durable[i] || st.pending[i].directory() != dir) continue;
    for (const std::size_t j : internal::with_dependencies(st.pending, i)) durable[j] = true;
  }
  std::vector<NamespaceChange> still_pending;
  for (std::size_t i = 0; i < st.pending.size(); ++i) {
    if (durable[i]) {
      st.pending[i].apply(st.durable_files, st.durable_directories);
    } else {
      still_pending.push_back(std::move(st.pending[i]));
    }
  }
  st.pending = std::move(still_pending);
}

void InMemoryFileSystem::crash() {
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  internal::drop_orphan_directories(st.durable_directories);
  st.files.clear();
  for (const auto& [path, inode] : st.durable_files) {
    if (internal::parents_exist(st.durable_directories, path)) st.files[path] = inode;
  }
  st.durable_files = st.files;
  st.directories = st.durable_directories;
  st.pending.clear();
  for (auto& [path, inode] : st.files) {
    inode->applied = inode->durable;
    inode->append_ends.clear();
  }
}

std::vector<CrashState> InMemoryFileSystem::crash_states(const CrashModel& model) const {
  if (model.max_states < 1) {
    throw UsageError("InMemoryFileSystem::crash_states: max_states " +
                     std::to_string(model.max_states) + " must be at least 1");
  }
  internal::CrashStateLimits limits;
  limits.max_states = static_cast<std::size_t>(model.max_states);
  limits.cuts_per_file = static_cast<std::size_t>(std::max(0, model.cuts_per_file));
  limits.seed = model.seed;
  internal::SurvivingStates surviving;
  {
    State& st = *state_;
    internal::MutexLock lock(&st.mu);
    surviving =
        internal::surviving_states(st.durable_files, st.durable_directories, st.pending, limits);
  }
  std::vector<CrashState> out;
  for (internal::SurvivingState& state : surviving.states) {
    CrashState crash;
    crash.survived = std::move(state.survived);
    crash.lost = std::move(state.lost);
    crash.sampled = surviving.sampled;
    crash.file_system = std::make_shared<InMemoryFileSystem>();
    State& image = *crash.file_system->state_;
    internal::MutexLock lock(&image.mu);
    image.directories = state.directories;
    image.durable_directories = std::move(state.directories);
    for (auto& [path, file] : state.files) {
      auto inode = std::make_shared<InMemoryInode>();
      inode->applied = file.bytes;
      inode->durable = file.bytes;
      inode->readable = file.readable;
      image.files[path] = inode;
      image.durable_files[path] = std::move(inode);
      image.make_parents_durably(path);
    }
    out.push_back(std::move(crash));
  }
  return out;
}

std::string CrashState::describe() const {
  std::string out = "survived:";
  if (survived.empty()) out += " nothing that was not durable";
  for (const std::string& s : survived) out += "\n  " + s;
  out += "\nlost:";
  if (lost.empty()) out += " nothing";
  for (const std::string& s : lost) out += "\n  " + s;
  return out;
}

void InMemoryFileSystem::set_contents(const std::string& path, std::string contents) {
  auto bytes = std::make_shared<const std::string>(std::move(contents));
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  auto& entry = st.files[path];
  if (entry == nullptr) entry = std::make_shared<InMemoryInode>();
  entry->applied = bytes;
  entry->durable = bytes;
  entry->append_ends.clear();
  st.durable_files[path] = entry;
  st.make_parents_durably(path);
}

void InMemoryFileSystem::set_directory(const std::string& path) {
  std::string dir = path;
  while (!dir.empty() && dir.back() == '/') dir.pop_back();
  if (dir.empty()) return;
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  st.make_parents_durably(dir + "/");
}

std::optional<std::string> InMemoryFileSystem::contents(const std::string& path) const {
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  auto it = st.files.find(path);
  if (it == st.files.end()) return std::nullopt;
  return *it->second->applied;
}

void InMemoryFileSystem::set_readable(const std::string& path, bool readable) {
  State& st = *state_;
  internal::MutexLock lock(&st.mu);
  auto it = st.files.find(path);
  if (it == st.files.end()) {
    throw UsageError("in-memory file system: set_readable \"" + path + "\": no such file");
  }
  it->second->readable = readable;
}

}  // namespace splitcheck
