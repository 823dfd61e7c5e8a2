#include "splitcheck/testkit/faults/sqlite_fault_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"

namespace splitcheck::testkit {
namespace {

std::string base_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::optional<std::string> read_disk(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  const std::streamoff size = in.tellg();
  if (size < 0) throw InputError("SqliteFaultVfs: cannot read \"" + path + "\"");
  // One read of the whole file: a character-by-character copy costs
  // seconds per battery in an unoptimised build.
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));  // what is there, if it shrank
  return bytes;
}

const char* lock_name(int level) {
  switch (level) {
    case SQLITE_LOCK_SHARED:
      return "shared";
    case SQLITE_LOCK_RESERVED:
      return "reserved";
    case SQLITE_LOCK_PENDING:
      return "pending";
    case SQLITE_LOCK_EXCLUSIVE:
      return "exclusive";
  }
  return "none";
}

// One change of a file since its last sync.
struct Op {
  std::int64_t offset = 0;
  std::string data;            // a write
  std::int64_t truncate = -1;  // or a truncate to this size
};

void apply_op(std::string& bytes, const Op& op) {
  if (op.truncate >= 0) {
    bytes.resize(static_cast<std::size_t>(op.truncate));
    return;
  }
  const auto end = static_cast<std::size_t>(op.offset) + op.data.size();
  if (bytes.size() < end) bytes.resize(end, '\0');
  std::memcpy(bytes.data() + op.offset, op.data.data(), op.data.size());
}

// What the model knows of one database file or journal.
struct Tracked {
  std::optional<std::string> durable;  // nullopt: a crash leaves no file
  bool exists = true;                  // applied: the file is there
  std::string base;                    // the bytes the ops apply to
  std::vector<Op> ops;                 // since the last sync (or creation)
  std::string applied;                 // base + ops
};

// Every database file and journal any fault VFS of this process has opened,
// with the order it was first seen in: a crash state's restore removes the
// ones first seen after it was captured (a recovery made them), so that the
// recoveries of one crash each start from their own state.
struct Registry {
  splitcheck::internal::Mutex mu;
  std::map<std::string, std::uint64_t> first_seen SPLITCHECK_GUARDED_BY(mu);
  std::uint64_t seen SPLITCHECK_GUARDED_BY(mu) = 0;
};

Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

void note_seen(const std::string& path) {
  Registry& r = registry();
  splitcheck::internal::MutexLock lock(&r.mu);
  if (r.first_seen.count(path) == 0) r.first_seen[path] = ++r.seen;
}

std::uint64_t seen_so_far() {
  Registry& r = registry();
  splitcheck::internal::MutexLock lock(&r.mu);
  return r.seen;
}

std::vector<std::string> seen_after(std::uint64_t mark) {
  Registry& r = registry();
  splitcheck::internal::MutexLock lock(&r.mu);
  std::vector<std::string> out;
  for (const auto& [path, when] : r.first_seen) {
    if (when > mark) out.push_back(path);
  }
  return out;
}

// Runs a VFS callback's body: no C++ exception may unwind through SQLite.
template <typename Body>
int guarded(int on_error, Body body) {
  try {
    return body();
  } catch (...) {
    return on_error;
  }
}

}  // namespace

struct SqliteFaultVfs::Impl {
  sqlite3_vfs vfs{};
  sqlite3_vfs* base = nullptr;
  // Weak: the points may own this VFS (install_sqlite_fault_vfs).
  std::weak_ptr<FaultPoints> points;
  bool faults = false;
  mutable splitcheck::internal::Mutex mu;
  std::map<std::string, Tracked> files SPLITCHECK_GUARDED_BY(mu);

  // Whether the call may go ahead: false if a fault falls on it, or the
  // machine is down. Never holds `mu`: a crash handler may call back.
  bool point(const std::string& what) {
    if (!faults) return true;
    const std::shared_ptr<FaultPoints> p = points.lock();
    if (p == nullptr) return true;
    try {
      return !p->count(what).has_value();
    } catch (...) {
      return false;  // MachineCrash: this point, and every later one
    }
  }
};

namespace {

using Impl = SqliteFaultVfs::Impl;

// A file opened through the VFS: ours, then the default VFS's behind it.
struct ShimFile {
  sqlite3_file header;  // pMethods: kMethods
  Impl* impl;
  bool tracked;
  std::string* path;  // owned; the full path SQLite gave

  sqlite3_file* real() {
    return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(this) + sizeof(ShimFile));
  }
};

static_assert(sizeof(ShimFile) % 8 == 0, "the default VFS's file follows, 8-aligned");

ShimFile* shim(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f); }
Impl* impl_of(sqlite3_vfs* vfs) { return static_cast<Impl*>(vfs->pAppData); }

int shim_close(sqlite3_file* f) {
  ShimFile* s = shim(f);
  const int rc =
      s->real()->pMethods != nullptr ? s->real()->pMethods->xClose(s->real()) : SQLITE_OK;
  delete s->path;
  s->path = nullptr;
  return rc;
}

int shim_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  return shim(f)->real()->pMethods->xRead(shim(f)->real(), buffer, amount, offset);
}

int shim_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  return guarded(SQLITE_IOERR_WRITE, [&] {
    ShimFile* s = shim(f);
    if (s->tracked) {
      if (!s->impl->point("sqlite write " + base_name(*s->path) + " " + std::to_string(offset) +
                          " +" + std::to_string(amount))) {
        return SQLITE_IOERR_WRITE;
      }
    }
    const int rc = s->real()->pMethods->xWrite(s->real(), data, amount, offset);
    if (rc == SQLITE_OK && s->tracked) {
      splitcheck::internal::MutexLock lock(&s->impl->mu);
      Tracked& t = s->impl->files[*s->path];
      Op op{offset, std::string(static_cast<const char*>(data), static_cast<std::size_t>(amount))};
      apply_op(t.applied, op);
      t.ops.push_back(std::move(op));
    }
    return rc;
  });
}

int shim_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return guarded(SQLITE_IOERR_TRUNCATE, [&] {
    ShimFile* s = shim(f);
    if (s->tracked &&
        !s->impl->point("sqlite truncate " + base_name(*s->path) + " " + std::to_string(size))) {
      return SQLITE_IOERR_TRUNCATE;
    }
    const int rc = s->real()->pMethods->xTruncate(s->real(), size);
    if (rc == SQLITE_OK && s->tracked) {
      splitcheck::internal::MutexLock lock(&s->impl->mu);
      Tracked& t = s->impl->files[*s->path];
      Op op;
      op.truncate = size;
      apply_op(t.applied, op);
      t.ops.push_back(std::move(op));
    }
    return rc;
  });
}

int shim_sync(sqlite3_file* f, int /*flags*/) {
  return guarded(SQLITE_IOERR_FSYNC, [&] {
    ShimFile* s = shim(f);
    if (!s->tracked) return SQLITE_OK;
    if (!s->impl->point("sqlite sync " + base_name(*s->path))) return SQLITE_IOERR_FSYNC;
    // Not passed to the disk: the model is the durability.
    splitcheck::internal::MutexLock lock(&s->impl->mu);
    Tracked& t = s->impl->files[*s->path];
    t.durable = t.applied;
    t.base = t.applied;
    t.ops.clear();
    return SQLITE_OK;
  });
}

int shim_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return shim(f)->real()->pMethods->xFileSize(shim(f)->real(), size);
}

int shim_lock(sqlite3_file* f, int level) {
  return guarded(SQLITE_IOERR_LOCK, [&] {
    ShimFile* s = shim(f);
    if (s->tracked &&
        !s->impl->point("sqlite lock " + base_name(*s->path) + " " + lock_name(level))) {
      return SQLITE_IOERR_LOCK;
    }
    return s->real()->pMethods->xLock(s->real(), level);
  });
}

int shim_unlock(sqlite3_file* f, int level) {
  return shim(f)->real()->pMethods->xUnlock(shim(f)->real(), level);
}

int shim_check_reserved(sqlite3_file* f, int* out) {
  return shim(f)->real()->pMethods->xCheckReservedLock(shim(f)->real(), out);
}

int shim_file_control(sqlite3_file* f, int op, void* arg) {
  return shim(f)->real()->pMethods->xFileControl(shim(f)->real(), op, arg);
}

int shim_sector_size(sqlite3_file* f) {
  return shim(f)->real()->pMethods->xSectorSize(shim(f)->real());
}

int shim_device_characteristics(sqlite3_file* f) {
  return shim(f)->real()->pMethods->xDeviceCharacteristics(shim(f)->real());
}

// Version 1: no shared memory (WAL) and no mmap, whose writes would bypass
// the model.
const sqlite3_io_methods kMethods = {
    1,
    shim_close,
    shim_read,
    shim_write,
    shim_truncate,
    shim_sync,
    shim_file_size,
    shim_lock,
    shim_unlock,
    shim_check_reserved,
    shim_file_control,
    shim_sector_size,
    shim_device_characteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

constexpr int kTrackedKinds =
    SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL | SQLITE_OPEN_WAL;

int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  ShimFile* s = shim(f);
  s->header.pMethods = nullptr;
  return guarded(SQLITE_CANTOPEN, [&] {
    Impl* impl = impl_of(vfs);
    s->impl = impl;
    s->tracked =
        name != nullptr && (flags & kTrackedKinds) != 0 && (flags & SQLITE_OPEN_DELETEONCLOSE) == 0;
    const std::string path = name != nullptr ? name : "";
    std::optional<std::string> before;
    if (s->tracked) before = read_disk(path);
    const int rc = impl->base->xOpen(impl->base, name, s->real(), flags, out_flags);
    if (rc != SQLITE_OK) return rc;
    try {
      s->path = new std::string(path);
      if (s->tracked) note_seen(path);
    } catch (...) {
      s->real()->pMethods->xClose(s->real());
      throw;
    }
    s->header.pMethods = &kMethods;
    if (s->tracked) {
      splitcheck::internal::MutexLock lock(&impl->mu);
      auto [it, first] = impl->files.try_emplace(path);
      Tracked& t = it->second;
      if (first) {
        // A file there before the VFS saw it is durable as it is.
        t.durable = before;
        t.base = before.value_or("");
        t.applied = t.base;
      } else if (!t.exists) {
        // Made again after a delete not made durable.
        t.base.clear();
        t.applied.clear();
        t.ops.clear();
      }
      t.exists = true;
    }
    return SQLITE_OK;
  });
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_directory) {
  return guarded(SQLITE_IOERR_DELETE, [&] {
    Impl* impl = impl_of(vfs);
    const std::string path = name;
    bool tracked = false;
    {
      splitcheck::internal::MutexLock lock(&impl->mu);
      tracked = impl->files.count(path) != 0;
    }
    if (tracked && !impl->point("sqlite delete " + base_name(path))) return SQLITE_IOERR_DELETE;
    const int rc = impl->base->xDelete(impl->base, name, sync_directory);
    // A delete whose directory sync failed still removed the file: the
    // model follows the disk, the entry's removal not durable.
    std::error_code ignored;
    const bool gone = rc == SQLITE_OK || !std::filesystem::exists(path, ignored);
    if (gone && tracked) {
      splitcheck::internal::MutexLock lock(&impl->mu);
      Tracked& t = impl->files[path];
      t.exists = false;
      t.ops.clear();
      t.base.clear();
      t.applied.clear();
      if (sync_directory && rc == SQLITE_OK) t.durable.reset();
    }
    return rc;
  });
}

int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return impl_of(vfs)->base->xAccess(impl_of(vfs)->base, name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return impl_of(vfs)->base->xFullPathname(impl_of(vfs)->base, name, n, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
  return impl_of(vfs)->base->xDlOpen(impl_of(vfs)->base, name);
}
void vfs_dl_error(sqlite3_vfs* vfs, int n, char* out) {
  impl_of(vfs)->base->xDlError(impl_of(vfs)->base, n, out);
}
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return impl_of(vfs)->base->xDlSym(impl_of(vfs)->base, handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) {
  impl_of(vfs)->base->xDlClose(impl_of(vfs)->base, handle);
}
int vfs_randomness(sqlite3_vfs* vfs, int n, char* out) {
  return impl_of(vfs)->base->xRandomness(impl_of(vfs)->base, n, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int micros) {
  return impl_of(vfs)->base->xSleep(impl_of(vfs)->base, micros);
}
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
  return impl_of(vfs)->base->xCurrentTime(impl_of(vfs)->base, out);
}
int vfs_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
  return impl_of(vfs)->base->xGetLastError(impl_of(vfs)->base, n, out);
}

std::atomic<int> next_vfs{0};

// What a crash may leave of one file: its bytes, or no file.
struct Candidate {
  std::optional<std::string> bytes;
  std::string survived;  // empty: nothing not durable kept
  std::string lost;
};

std::vector<Candidate> candidates(const std::string& path, const Tracked& t,
                                  std::size_t cuts_per_file) {
  const std::string name = base_name(path);
  std::vector<Candidate> out;
  if (!t.exists) {
    // Deleted, the delete not durable (a durable one left durable = none).
    if (t.durable) {
      out.push_back({t.durable, "", "delete " + name});
      out.push_back({std::nullopt, "delete " + name, ""});
    } else {
      out.push_back({std::nullopt, "", ""});
    }
    return out;
  }
  const bool pending = t.durable != std::optional<std::string>(t.applied) || !t.ops.empty();
  if (!pending) {
    out.push_back({t.durable, "", ""});
    return out;
  }
  const std::string what = std::to_string(t.ops.size()) + " change" +
                           (t.ops.size() == 1 ? "" : "s") + " to " + name + " since its last sync";
  out.push_back({t.durable, "", what + (t.durable ? "" : " (and the file)")});
  out.push_back({t.applied, what, ""});
  const std::size_t n = t.ops.size();
  const std::size_t cuts = std::min(cuts_per_file, n > 1 ? n - 1 : 0);
  for (std::size_t c = 1; c <= cuts; ++c) {
    const std::size_t keep = c * n / (cuts + 1);
    if (keep == 0 || keep >= n) continue;
    std::string bytes = t.base;
    for (std::size_t i = 0; i < keep; ++i) apply_op(bytes, t.ops[i]);
    out.push_back({bytes, "the first " + std::to_string(keep) + " of the " + what,
                   "the other " + std::to_string(n - keep)});
  }
  return out;
}

}  // namespace

SqliteFaultVfs::SqliteFaultVfs(std::shared_ptr<FaultPoints> points)
    : name_("splitcheck-faults-" + std::to_string(next_vfs++)), impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.faults = points != nullptr;
  impl.points = points;
  impl.base = sqlite3_vfs_find(nullptr);
  if (impl.base == nullptr) throw InternalError("SqliteFaultVfs: SQLite has no default VFS");
  sqlite3_vfs& v = impl.vfs;
  v.iVersion = 1;
  v.szOsFile = static_cast<int>(sizeof(ShimFile)) + impl.base->szOsFile;
  v.mxPathname = impl.base->mxPathname;
  v.zName = name_.c_str();
  v.pAppData = &impl;
  v.xOpen = vfs_open;
  v.xDelete = vfs_delete;
  v.xAccess = vfs_access;
  v.xFullPathname = vfs_full_pathname;
  v.xDlOpen = vfs_dl_open;
  v.xDlError = vfs_dl_error;
  v.xDlSym = vfs_dl_sym;
  v.xDlClose = vfs_dl_close;
  v.xRandomness = vfs_randomness;
  v.xSleep = vfs_sleep;
  v.xCurrentTime = vfs_current_time;
  v.xGetLastError = vfs_get_last_error;
  if (sqlite3_vfs_register(&v, 0) != SQLITE_OK) {
    throw InternalError("SqliteFaultVfs: sqlite3_vfs_register failed for " + name_);
  }
}

SqliteFaultVfs::~SqliteFaultVfs() { sqlite3_vfs_unregister(&impl_->vfs); }

std::vector<StoreCrashState> SqliteFaultVfs::crash_states(const CrashModel& model) const {
  if (model.max_states < 1) {
    throw UsageError("SqliteFaultVfs::crash_states: max_states " +
                     std::to_string(model.max_states) + " must be at least 1");
  }
  const std::uint64_t mark = seen_so_far();
  std::vector<std::string> paths;
  std::vector<std::vector<Candidate>> choices;
  const auto cuts = static_cast<std::size_t>(std::max(0, model.cuts_per_file));
  bool cut_sampled = false;  // a file with more cuts possible than tried
  {
    splitcheck::internal::MutexLock lock(&impl_->mu);
    for (const auto& [path, t] : impl_->files) {
      paths.push_back(path);
      choices.push_back(candidates(path, t, cuts));
      cut_sampled = cut_sampled || (t.exists && t.ops.size() > cuts + 1);
    }
  }
  const auto max_states = static_cast<std::size_t>(model.max_states);
  std::vector<std::vector<std::size_t>> picks;
  auto add = [&](std::vector<std::size_t> pick) {
    if (picks.size() >= max_states) return;
    if (std::find(picks.begin(), picks.end(), pick) == picks.end()) picks.push_back(pick);
  };
  // The most pessimistic, the most optimistic, each file varied alone, then
  // every combination in order.
  std::vector<std::size_t> none(paths.size(), 0);
  add(none);
  std::vector<std::size_t> all(paths.size(), 0);
  for (std::size_t i = 0; i < paths.size(); ++i) all[i] = choices[i].size() > 1 ? 1 : 0;
  add(all);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    for (std::size_t c = 1; c < choices[i].size(); ++c) {
      std::vector<std::size_t> one = none;
      one[i] = c;
      add(one);
      one = all;
      one[i] = c == 1 ? 0 : c;
      add(one);
    }
  }
  std::vector<std::size_t> pick(paths.size(), 0);
  for (bool more = true; more && picks.size() < max_states;) {
    add(pick);
    std::size_t i = 0;
    while (i < pick.size() && ++pick[i] == choices[i].size()) pick[i++] = 0;
    more = i < pick.size();
  }
  std::size_t possible = 1;
  for (const auto& c : choices) possible = std::min<std::size_t>(possible * c.size(), 1u << 30);
  std::vector<StoreCrashState> out;
  for (const auto& p : picks) {
    StoreCrashState state;
    state.sampled = cut_sampled || picks.size() < possible;
    std::vector<std::pair<std::string, std::optional<std::string>>> image;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      const Candidate& c = choices[i][p[i]];
      if (!c.survived.empty()) state.survived.push_back(c.survived);
      if (!c.lost.empty()) state.lost.push_back(c.lost);
      image.emplace_back(paths[i], c.bytes);
    }
    state.restore = [image = std::move(image), mark] {
      // What a recovery made, gone; then the state's files.
      for (const std::string& path : seen_after(mark)) {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
      }
      for (const auto& [path, bytes] : image) {
        std::error_code ignored;
        if (!bytes) {
          std::filesystem::remove(path, ignored);
          continue;
        }
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        f.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
        if (!f) throw InputError("SqliteFaultVfs: cannot restore \"" + path + "\"");
      }
    };
    out.push_back(std::move(state));
  }
  return out;
}

std::string install_sqlite_fault_vfs(const std::shared_ptr<FaultPoints>& points) {
  if (points == nullptr) return "";
  auto vfs = std::make_shared<SqliteFaultVfs>(points);
  std::string name = vfs->name();
  points->add_store(std::move(vfs));
  return name;
}

}  // namespace splitcheck::testkit
