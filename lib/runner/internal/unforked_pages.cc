#include "splitcheck/lib/runner/internal/unforked_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <bit>
#include <cstdint>
#include <mutex>
#include <vector>

namespace splitcheck {
namespace internal {
namespace {

// One list of free mappings per power-of-two size. Leaked on purpose: a
// block may be released by a static destructor after this would be gone.
struct Pool {
  std::mutex mu;
  std::vector<void*> free[64];
  std::size_t cached = 0;
};

Pool& pool() {
  static Pool* const p = new Pool;
  return *p;
}

int size_class(std::size_t bytes) { return std::bit_width(std::bit_ceil(bytes)) - 1; }

}  // namespace

void* allocate_unforked(std::size_t bytes) {
  if (bytes > (std::size_t{1} << 62)) throw std::bad_alloc();
  const int c = size_class(bytes);
  const std::size_t size = std::size_t{1} << c;
  Pool& p = pool();
  {
    std::lock_guard<std::mutex> lock(p.mu);
    if (!p.free[c].empty()) {
      void* block = p.free[c].back();
      p.free[c].pop_back();
      p.cached -= size;
      return block;
    }
  }
  void* block = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (block == MAP_FAILED) throw std::bad_alloc();
  if (::madvise(block, size, MADV_DONTFORK) != 0) {
    ::munmap(block, size);
    throw std::bad_alloc();
  }
  return block;
}

void release_unforked(void* block, std::size_t bytes) noexcept {
  const int c = size_class(bytes);
  const std::size_t size = std::size_t{1} << c;
  Pool& p = pool();
  {
    std::lock_guard<std::mutex> lock(p.mu);
    if (p.cached + size <= kUnforkedPagesCached) {
      try {
        p.free[c].push_back(block);
        p.cached += size;
        return;
      } catch (...) {  // no room for the entry: unmapped below
      }
    }
  }
  ::munmap(block, size);
}

void prefault_for_writing(void* data, std::size_t bytes) noexcept {
#ifdef MADV_POPULATE_WRITE
  static const auto kPage = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  if (data == nullptr || bytes < 16 * kPage) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kPage - 1);
  // An error (EINVAL on an older kernel) leaves the faults to come.
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
  (void)data;
  (void)bytes;
#endif
}

std::size_t unforked_bytes_cached() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  return p.cached;
}

}  // namespace internal
}  // namespace splitcheck
