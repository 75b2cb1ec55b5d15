// ReLU's gradient in one pass; a second thread only above RELU_PARALLEL_MIN elements.
#pragma once
#include <cstddef>
#include "thread_pool.h"

namespace actprobe {

constexpr double RELU_PARALLEL_MIN = 1 << 16;

// ReLU's gradient as tfjs writes it, dy · step(x), so a NaN/Inf dy still propagates where x ≤ 0.
inline void reluGrad(size_t n, const float* dy, const float* x, float* dx) {
  // Blocks of 16384 elements as work items, so each item's inner loop vectorises.
  constexpr size_t BLOCK = 16384;
  parallelFor(n < RELU_PARALLEL_MIN ? 1 : maxThreads(), static_cast<long>((n + BLOCK - 1) / BLOCK), 1, [&](long b, int) {
    const size_t end = std::min(n, (b + 1) * BLOCK);
    for (size_t i = b * BLOCK; i < end; i++) dx[i] = dy[i] * (x[i] > 0.f ? 1.f : 0.f);
  });
}

}  // namespace actprobe
