#include "splitcheck/testkit/internal/thread_team.h"

#include <exception>
#include <memory>
#include <stdexcept>

namespace splitcheck::testkit::internal {

using splitcheck::internal::MutexLock;

ThreadTeam::ThreadTeam(int size) {
  workers_.reserve(static_cast<std::size_t>(size));
  for (int i = 0; i < size; ++i) workers_.emplace_back([this, i] { work_loop(i); });
}

ThreadTeam::~ThreadTeam() {
  {
    MutexLock lock(&mu_);
    stop_ = true;
  }
  start_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadTeam::run(int n, const std::function<void(int)>& work) {
  MutexLock lock(&mu_);
  work_ = &work;
  active_ = n < size() ? n : size();
  pending_ = active_;
  ++generation_;
  start_.notify_all();
  while (pending_ > 0) done_.wait(mu_);
  work_ = nullptr;
}

void ThreadTeam::run_with_caller(int n, const std::function<void(int)>& work) {
  if (n < 1) throw std::invalid_argument("ThreadTeam::run_with_caller: n must be at least 1");
  const std::function<void(int)> shifted = [&work](int i) { work(i + 1); };
  {
    MutexLock lock(&mu_);
    work_ = &shifted;
    active_ = n - 1 < size() ? n - 1 : size();
    pending_ = active_;
    ++generation_;
  }
  start_.notify_all();
  // The workers call `shifted`, which lives in this frame: wait for them
  // before leaving it, also when work(0) throws.
  std::exception_ptr caller_error;
  try {
    work(0);
  } catch (...) {
    caller_error = std::current_exception();
  }
  {
    MutexLock lock(&mu_);
    while (pending_ > 0) done_.wait(mu_);
    work_ = nullptr;
  }
  if (caller_error) std::rethrow_exception(caller_error);
}

void ThreadTeam::work_loop(int index) {
  std::uint64_t seen = 0;
  for (;;) {
    const std::function<void(int)>* work = nullptr;
    {
      MutexLock lock(&mu_);
      while (!stop_ && generation_ == seen) start_.wait(mu_);
      if (stop_) return;
      seen = generation_;
      if (index >= active_) continue;
      work = work_;
    }
    (*work)(index);
    MutexLock lock(&mu_);
    if (--pending_ == 0) done_.notify_one();
  }
}

ThreadTeam& ThreadTeam::for_this_thread(int size) {
  thread_local std::unique_ptr<ThreadTeam> team;
  if (team == nullptr || team->size() < size) team = std::make_unique<ThreadTeam>(size);
  return *team;
}

}  // namespace splitcheck::testkit::internal
