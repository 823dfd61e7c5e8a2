// Generator<T>: a lazily evaluated sequence produced by a C++20 coroutine.
//
// A source's read() is written as a coroutine, in the same shape as a Python
// generator:
//
//   Generator<std::int64_t> read(RangeTracker<std::int64_t>& tracker) const {
//     for (std::int64_t i = tracker.start_position(); tracker.try_claim(i); ++i) {
//       co_yield i;
//     }
//   }
//
// and consumed with a range-for loop. The body runs only as the caller
// advances: each step resumes it up to the next co_yield. An exception thrown
// in the body reaches the caller unchanged, from begin() or operator++, and
// ends the sequence.
//
// Each yielded value is stored in the generator (copied or moved in), so the
// caller may move it out through operator*. A Generator is move-only and
// single-pass: begin() may be called once; calling it again, or dereferencing
// or advancing an exhausted iterator, throws UsageError. Destroying a
// Generator part-way destroys the coroutine and its locals. A Generator is
// used by one thread at a time; what the body references (the source, the
// tracker) must outlive it.

#ifndef SPLITCHECK_LIB_GENERATOR_H_
#define SPLITCHECK_LIB_GENERATOR_H_

#include <coroutine>
#include <cstddef>
#include <exception>
#include <iterator>
#include <optional>
#include <type_traits>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck {

template <typename T>
class Generator {
  static_assert(!std::is_reference_v<T>, "Generator<T> yields values; T must not be a reference");

 public:
  class promise_type {
   public:
    Generator get_return_object() noexcept {
      return Generator(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(const T& value) {
      value_.emplace(value);
      return {};
    }
    std::suspend_always yield_value(T&& value) {
      value_.emplace(std::move(value));
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { exception_ = std::current_exception(); }

    // A generator's body yields; it does not await.
    template <typename U>
    std::suspend_never await_transform(U&&) = delete;

   private:
    friend class Generator;
    std::optional<T> value_;
    std::exception_ptr exception_;
  };

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using difference_type = std::ptrdiff_t;
    using value_type = T;
    using reference = T&;

    iterator() = default;

    T& operator*() const {
      check_not_done("dereference");
      return *handle_.promise().value_;
    }
    T* operator->() const { return &**this; }

    iterator& operator++() {
      check_not_done("advance");
      Generator::resume(handle_);
      return *this;
    }
    void operator++(int) { ++*this; }

    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
      return it.handle_ == nullptr || it.handle_.done();
    }

   private:
    friend class Generator;
    explicit iterator(std::coroutine_handle<promise_type> handle) : handle_(handle) {}

    void check_not_done(const char* what) const {
      if (*this == std::default_sentinel) {
        throw UsageError(std::string("Generator: cannot ") + what +
                         " an iterator past the end of the sequence");
      }
    }

    std::coroutine_handle<promise_type> handle_ = nullptr;
  };

  Generator() = default;
  Generator(Generator&& other) noexcept
      : handle_(std::exchange(other.handle_, nullptr)), started_(other.started_) {}
  Generator& operator=(Generator&& other) noexcept {
    if (this != &other) {
      destroy();
      handle_ = std::exchange(other.handle_, nullptr);
      started_ = other.started_;
    }
    return *this;
  }
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;
  ~Generator() { destroy(); }

  // Runs the body to its first co_yield (or its end). Throws what the body
  // throws, or UsageError if called twice.
  iterator begin() {
    if (handle_ == nullptr) throw UsageError("Generator: begin() on an empty generator");
    if (started_) throw UsageError("Generator: begin() called twice; a generator is single-pass");
    started_ = true;
    resume(handle_);
    return iterator(handle_);
  }
  std::default_sentinel_t end() const noexcept { return std::default_sentinel; }

 private:
  explicit Generator(std::coroutine_handle<promise_type> handle) : handle_(handle) {}

  static void resume(std::coroutine_handle<promise_type> handle) {
    handle.promise().value_.reset();
    handle.resume();
    if (handle.promise().exception_) {
      std::rethrow_exception(std::exchange(handle.promise().exception_, nullptr));
    }
  }

  void destroy() noexcept {
    if (handle_ != nullptr) handle_.destroy();
    handle_ = nullptr;
  }

  std::coroutine_handle<promise_type> handle_ = nullptr;
  bool started_ = false;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_GENERATOR_H_
