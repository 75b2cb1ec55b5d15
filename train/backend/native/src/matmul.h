// BatchMatMul: c[b] = op(a[b]) · op(b[b]) with op = optional transpose, given as strides (no copies).
// A batch of 1 on either side broadcasts. Threads split the batch, or the rows of a single product.
#pragma once
#include <algorithm>
#include "gemm.h"
#include "thread_pool.h"

namespace actprobe {

struct MatMulShape {
  int batchA, batchB, m, n, k;
  bool transA, transB;
};

inline void batchMatMul(const MatMulShape& s, const float* a, const float* b, float* c) {
  const int batch = std::max(s.batchA, s.batchB);
  const size_t aSize = static_cast<size_t>(s.m) * s.k, bSize = static_cast<size_t>(s.k) * s.n, cSize = static_cast<size_t>(s.m) * s.n;
  // op(A) is m×k: stored m×k (rs=k, cs=1) or k×m (rs=1, cs=m); likewise op(B) k×n.
  const std::ptrdiff_t ars = s.transA ? 1 : s.k, acs = s.transA ? s.m : 1;
  const std::ptrdiff_t brs = s.transB ? 1 : s.n, bcs = s.transB ? s.k : 1;
  const double macs = static_cast<double>(batch) * s.m * s.n * s.k;
  const int threads = macs < 4e6 ? 1 : maxThreads();
  // Work items: (batch, row block); row blocks only when the batch alone cannot feed the threads.
  const int rowBlocks = batch >= threads ? 1 : std::min(threads, std::max(1, s.m / 24));
  const int rowsPer = (s.m + rowBlocks - 1) / rowBlocks;
  parallelFor(threads, static_cast<long>(batch) * rowBlocks, 1, [&](long item, int) {
    const int bi = static_cast<int>(item / rowBlocks);
    const int r0 = static_cast<int>(item % rowBlocks) * rowsPer;
    const int rows = std::min(rowsPer, s.m - r0);
    if (rows <= 0) return;
    const float* ab = a + (s.batchA == 1 ? 0 : bi * aSize) + r0 * ars;
    const float* bb = b + (s.batchB == 1 ? 0 : bi * bSize);
    gemm(rows, s.n, s.k, Strided{ab, ars, acs}, Strided{bb, brs, bcs}, c + bi * cSize + static_cast<size_t>(r0) * s.n, s.n, false);
  });
}

}  // namespace actprobe
