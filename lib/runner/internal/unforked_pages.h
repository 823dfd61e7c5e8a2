// UnforkedPages<T>: a std::allocator-shaped allocator whose large blocks
// come from anonymous mappings marked MADV_DONTFORK, kept in a pool and
// reused.
//
// Why: in process mode the runner forks its workers. A fork write-protects
// every private page of the parent, so each page the parent then writes
// costs a fault, and a page a live fork still shares costs a copy and a
// TLB-flush interrupt to the other cores (measured on CountingSource(2^20):
// about 6,500 such faults a run, a quarter of all cycles). A fresh mapping
// costs a zero-fill fault per page instead (about 2 us each on the 2-core
// machine). A MADV_DONTFORK mapping is absent from every fork, so once its
// pages are touched the parent writes them with no fault at all, run after
// run: the record buffers of remote attempts live there.
//
// Contract:
//   * Blocks under kUnforkedPagesThreshold bytes come from operator new.
//   * Larger blocks are mappings of a power-of-two size; freed ones are
//     kept for reuse, at most kUnforkedPagesCached bytes in all (the rest
//     are unmapped).
//   * A fork (a worker process) must never touch a block: it is not mapped
//     there. The runner's workers use only what they decode from bytes.
//   * Allocation failure throws std::bad_alloc. Thread-safe: the pool has
//     its own lock.
#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_UNFORKED_PAGES_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_UNFORKED_PAGES_H_

#include <cstddef>
#include <limits>
#include <new>

namespace splitcheck {
namespace internal {

inline constexpr std::size_t kUnforkedPagesThreshold = 256 * 1024;
inline constexpr std::size_t kUnforkedPagesCached = 64 * 1024 * 1024;

// A block of at least `bytes` (>= kUnforkedPagesThreshold) from the pool;
// std::bad_alloc when no mapping can be made.
void* allocate_unforked(std::size_t bytes);
// Returns a block of allocate_unforked(bytes) to the pool.
void release_unforked(void* block, std::size_t bytes) noexcept;
// Bytes the pool keeps for reuse now (for tests).
std::size_t unforked_bytes_cached();

// Makes the whole pages inside [data, data + bytes) present and writable in
// one call (MADV_POPULATE_WRITE) instead of a fault per page: a large buffer
// about to be filled takes a fault for each page, a zero-fill one if malloc
// mapped it fresh, a write-protection one if a fork left the page shared
// (measured in process mode: about 1.3 ms of the 3.4 ms that filling the
// 8 MB of a 2^20-record result took). Contents are unchanged. Does nothing
// for small buffers, or where the kernel lacks the call (before Linux 5.14).
void prefault_for_writing(void* data, std::size_t bytes) noexcept;

template <typename T>
class UnforkedPages {
 public:
  using value_type = T;

  UnforkedPages() = default;
  template <typename U>
  UnforkedPages(const UnforkedPages<U>&) noexcept {}  // NOLINT: rebinding is implicit

  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kUnforkedPagesThreshold) {
      return static_cast<T*>(::operator new (bytes, std::align_val_t{alignof(T)}));
    }
    return static_cast<T*>(allocate_unforked(bytes));
  }

  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kUnforkedPagesThreshold) {
      ::operator delete (p, std::align_val_t{alignof(T)});
    } else {
      release_unforked(p, bytes);
    }
  }

  template <typename U>
  bool operator==(const UnforkedPages<U>&) const noexcept {
    return true;
  }
};

}  // namespace internal
}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_UNFORKED_PAGES_H_
