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
// and consumed with a range-for loop. `co_yield ElementsOf(other)` yields all
// of another generator's values (see ElementsOf). The body runs only as the caller
// advances: each step resumes it up to the next co_yield. An exception thrown
// in the body reaches the caller unchanged, from begin() or operator++, and
// ends the sequence.
//
// operator* gives the current value as T&, valid until the next advance, and
// the caller may move it out. A value yielded as an rvalue (`co_yield
// std::move(line)`, `co_yield make()`) is not copied or moved: the caller
// sees the body's own object, which lives until the body resumes. So a body
// that reuses one buffer (`line.assign(...)` then `co_yield std::move(line)`)
// keeps its capacity when the caller only reads the value, and loses it to the
// caller when the caller moves it out. A value yielded as an lvalue
// (`co_yield i`) is copied into the generator first, so that moving it out
// cannot change the body's variable. A Generator is move-only and
// single-pass: begin() may be called once; calling it again, or dereferencing
// or advancing an exhausted iterator, throws UsageError. Destroying a
// Generator part-way destroys the coroutine and its locals. A Generator is
// used by one thread at a time; what the body references (the source, the
// tracker) must outlive it.
//
// Compiler hazard, GCC 12: a braced temporary in a co_yield
// (`co_yield Event{day, text}`) is destroyed twice when its type has a
// destructor (a double free; clang is fine; the same GCC bug was reported
// against asio's coroutines). Name it first: `Event event{day, text};
// co_yield std::move(event);`. A call (`co_yield make()`) is not affected.
// With an initializer list (`co_yield Row{"a", "b"}`, Row a vector) GCC 12
// rejects the line: "array used as initializer". No design of yield_value
// avoids either; the source gate's <name>_lint test (bazel/coyield_lint.sh)
// finds the spelling and names the fix.

#ifndef SPLITCHECK_LIB_SOURCES_GENERATOR_H_
#define SPLITCHECK_LIB_SOURCES_GENERATOR_H_

#include <coroutine>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck {

template <typename T>
class Generator;

// `co_yield ElementsOf(generator)` yields every value of another Generator<T>
// from inside a generator's body, as Python's `yield from`: the caller
// resumes the innermost generator directly, so values pass through no extra
// suspension however deep the nesting, and an exception of the inner body
// reaches the outer body at the co_yield.
template <typename T>
struct ElementsOf {
  explicit ElementsOf(Generator<T>&& g) : generator(std::move(g)) {}
  Generator<T> generator;
};

template <typename T>
ElementsOf(Generator<T>&&) -> ElementsOf<T>;

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

    // A nested generator hands control back to its parent; the outermost
    // one stops, and its caller sees the end.
    struct FinalAwaiter {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        promise_type& p = h.promise();
        if (p.parent_ == nullptr) return std::noop_coroutine();
        p.root_->leaf_ = p.parent_;
        return p.parent_;
      }
      void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }

    std::suspend_always yield_value(const T& value) {
      copy_.emplace(value);
      root_->current_ = &*copy_;
      return {};
    }
    // `value` outlives the suspension: it is the body's object, or a
    // temporary of the co_yield full-expression, which ends after resumption.
    std::suspend_always yield_value(T&& value) noexcept {
      root_->current_ = std::addressof(value);
      return {};
    }

    struct NestedAwaiter {
      bool await_ready() noexcept { return nested == nullptr; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        promise_type& parent = h.promise();
        promise_type& child = nested.promise();
        child.root_ = parent.root_;
        child.parent_ = h;
        parent.root_->leaf_ = nested;
        return nested;  // run the nested body up to its first value
      }
      void await_resume() {
        if (nested != nullptr && nested.promise().exception_) {
          std::rethrow_exception(std::exchange(nested.promise().exception_, nullptr));
        }
      }
      std::coroutine_handle<promise_type> nested;
    };
    NestedAwaiter yield_value(ElementsOf<T>&& elements) {
      Generator& g = elements.generator;
      if (g.handle_ != nullptr && g.started_) {
        throw UsageError("Generator: ElementsOf needs a generator that has not started");
      }
      g.started_ = true;
      return NestedAwaiter{g.handle_};  // `elements` lives until resumption
    }

    void return_void() noexcept {}
    void unhandled_exception() noexcept { exception_ = std::current_exception(); }

    // A generator's body yields; it does not await.
    template <typename U>
    std::suspend_never await_transform(U&&) = delete;

   private:
    friend class Generator;
    // The outermost generator's promise holds the current value and the
    // innermost running generator; a nested one points to both ends.
    promise_type* root_ = this;
    std::coroutine_handle<promise_type> leaf_ = nullptr;  // on the root; null = itself
    std::coroutine_handle<promise_type> parent_ = nullptr;
    T* current_ = nullptr;
    std::optional<T> copy_;  // the last value yielded as an lvalue
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
      return *handle_.promise().current_;
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

    // Inline and branch-only on the read path; the message is built in a
    // cold function.
    void check_not_done(const char* what) const {
      if (handle_ == nullptr || handle_.done()) [[unlikely]] {
        past_the_end(what);
      }
    }
    [[noreturn, gnu::noinline, gnu::cold]] static void past_the_end(const char* what) {
      throw UsageError(std::string("Generator: cannot ") + what +
                       " an iterator past the end of the sequence");
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

  // Resumes the innermost running generator under `root`.
  static void resume(std::coroutine_handle<promise_type> root) {
    promise_type& p = root.promise();
    p.current_ = nullptr;
    (p.leaf_ != nullptr ? p.leaf_ : root).resume();
    if (p.exception_) std::rethrow_exception(std::exchange(p.exception_, nullptr));
  }

  void destroy() noexcept {
    if (handle_ != nullptr) handle_.destroy();
    handle_ = nullptr;
  }

  std::coroutine_handle<promise_type> handle_ = nullptr;
  bool started_ = false;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SOURCES_GENERATOR_H_
