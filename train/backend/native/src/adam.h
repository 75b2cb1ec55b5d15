// One Adam step for one variable in a single pass, the arithmetic of tfjs' AdamOptimizer in its order:
//   m' = m·β1 + g·(1-β1);  v' = v·β2 + g²·(1-β2);  w' = (m'/(1-β1ᵗ)) / (sqrt(v'/(1-β2ᵗ)) + ε) · (-lr) + w
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include "thread_pool.h"

namespace actprobe {

struct AdamParams {
  float beta1, beta2, epsilon, learningRate, oneMinusAccBeta1, oneMinusAccBeta2;
};

inline void adamUpdate(size_t n, const AdamParams& p, const float* w, const float* g, const float* m, const float* v, float* w2, float* m2,
                       float* v2) {
  const float c1 = 1.f - p.beta1, c2 = 1.f - p.beta2, step = -p.learningRate;
  constexpr size_t BLOCK = 16384;
  // Blocks of 16384 elements as work items, so each item's inner loop vectorises.
  parallelFor(n < (1 << 17) ? 1 : maxThreads(), static_cast<long>((n + BLOCK - 1) / BLOCK), 1, [&](long b, int) {
    const size_t end = std::min(n, (b + 1) * BLOCK);
    for (size_t i = b * BLOCK; i < end; i++) {
      const float mi = m[i] * p.beta1 + g[i] * c1;
      const float vi = v[i] * p.beta2 + (g[i] * g[i]) * c2;
      m2[i] = mi;
      v2[i] = vi;
      w2[i] = (mi / p.oneMinusAccBeta1) / (std::sqrt(vi / p.oneMinusAccBeta2) + p.epsilon) * step + w[i];
    }
  });
}

}  // namespace actprobe
