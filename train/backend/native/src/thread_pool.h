// A fixed pool of worker threads running one parallel region at a time, the calling thread taking part as
// worker 0, and parallelFor on top of it: items handed out `chunk` at a time to whichever worker asks next
// (what `#pragma omp parallel for schedule(dynamic, chunk)` did). Plain std::thread, so the addon builds with
// any C++17 compiler, including macOS' clang, which ships no OpenMP runtime.
#pragma once
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define ACTPROBE_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define ACTPROBE_PAUSE() asm volatile("yield")
#else
#define ACTPROBE_PAUSE() ((void)0)
#endif
#ifdef __linux__
#include <sched.h>
#endif

namespace actprobe {

// Rounds a parked thread polls before sleeping on a condition variable. A training step runs ~100 kernels
// back to back, so a short spin saves a futex wake-up between them; libgomp's default (~300k rounds) stole
// the core other threads needed on a busy 2-core host, 20000 (the GOMP_SPINCOUNT used before) did not.
constexpr int SPIN_ROUNDS = 20000;

// Cores this process may run on (its affinity mask on Linux).
inline int availableCores() {
#ifdef __linux__
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
#endif
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

class ThreadPool {
 public:
  static ThreadPool& instance() {
    static ThreadPool* pool = new ThreadPool();  // never destroyed: its detached workers end with the process
    return *pool;
  }

  int maxThreads() const { return maxThreads_.load(std::memory_order_relaxed); }
  void setMaxThreads(int n) { maxThreads_.store(std::max(1, n), std::memory_order_relaxed); }

  // Runs body(worker) on min(threads, maxThreads()) workers, 0 being the caller; returns when all are done.
  // One region at a time (the kernels are called from Node's main thread only).
  void run(int threads, const std::function<void(int)>& body) {
    threads = std::min(threads, maxThreads());
    if (threads <= 1) {
      body(0);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      while (workers_ < threads - 1) {
        const int index = ++workers_;
        const uint64_t seen = generation_.load(std::memory_order_relaxed);
        std::thread([this, index, seen] { loop(index, seen); }).detach();
      }
      body_ = &body;
      participants_ = threads - 1;
      pending_.store(threads - 1, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    body(0);
    for (int i = 0; i < SPIN_ROUNDS && pending_.load(std::memory_order_acquire) != 0; i++) ACTPROBE_PAUSE();
    if (pending_.load(std::memory_order_acquire) != 0) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
    }
  }

 private:
  ThreadPool() : maxThreads_(availableCores()) {}

  void loop(int index, uint64_t seen) {
    for (;;) {
      for (int i = 0; i < SPIN_ROUNDS && generation_.load(std::memory_order_acquire) == seen; i++) ACTPROBE_PAUSE();
      const std::function<void(int)>* body;
      bool participates;
      {
        // The region's generation, body and size are read together, under the lock that published them.
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        seen = generation_.load(std::memory_order_acquire);
        body = body_;
        participates = index <= participants_;
      }
      if (!participates) continue;
      (*body)(index);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }

  std::atomic<int> maxThreads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  // Own cache lines: workers poll generation_ while they decrement pending_ and the caller polls that.
  alignas(64) std::atomic<uint64_t> generation_{0};
  alignas(64) std::atomic<int> pending_{0};
  const std::function<void(int)>* body_ = nullptr;
  int participants_ = 0;
  int workers_ = 0;
};

inline int maxThreads() { return ThreadPool::instance().maxThreads(); }

// body(i, worker) for every i in [0, n), `chunk` consecutive items at a time, on up to `threads` workers
// (worker < threads, so per-worker partial results can live in an array of `threads`).
template <typename Body>
inline void parallelFor(int threads, long n, long chunk, Body&& body) {
  if (threads <= 1 || n <= chunk) {
    for (long i = 0; i < n; i++) body(i, 0);
    return;
  }
  std::atomic<long> next{0};
  ThreadPool::instance().run(threads, [&](int worker) {
    for (;;) {
      const long start = next.fetch_add(chunk, std::memory_order_relaxed);
      if (start >= n) break;
      const long end = std::min(n, start + chunk);
      for (long i = start; i < end; i++) body(i, worker);
    }
  });
}

}  // namespace actprobe
