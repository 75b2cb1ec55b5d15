// ReLU's gradient in one pass; a second thread only above RELU_PARALLEL_MIN elements.
#pragma once
#include <omp.h>
#include <cstddef>

namespace actprobe {

constexpr double RELU_PARALLEL_MIN = 1 << 16;

// ReLU's gradient as tfjs writes it, dy · step(x), so a NaN/Inf dy still propagates where x ≤ 0.
inline void reluGrad(size_t n, const float* dy, const float* x, float* dx) {
#pragma omp parallel for schedule(dynamic, 16384) num_threads(n < RELU_PARALLEL_MIN ? 1 : omp_get_max_threads())
  for (size_t i = 0; i < n; i++) dx[i] = dy[i] * (x[i] > 0.f ? 1.f : 0.f);
}

}  // namespace actprobe
