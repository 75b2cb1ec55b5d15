// Training-mode batch normalisation over the rows of a [rows × C] matrix (NHWC flattened), forward and
// backward, each in two passes with per-thread partial sums (float within a block of rows, double across).
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>
#include "thread_pool.h"

namespace actprobe {

constexpr int BN_BLOCK = 256;
// Below this many elements one thread is faster than waking a second.
constexpr double BN_PARALLEL_MIN = 1 << 16;

inline int bnThreads(int rows, int C) { return static_cast<double>(rows) * C < BN_PARALLEL_MIN ? 1 : maxThreads(); }

// Per-channel Σ f(row) over rows, with f writing C values into `acc` (float) for one row.
template <typename RowFn>
inline void channelSums(int rows, int C, int outputs, RowFn addRow, std::vector<double>& total) {
  const int threads = bnThreads(rows, C);
  std::vector<std::vector<double>> partial(threads, std::vector<double>(static_cast<size_t>(outputs) * C, 0.0));
  std::vector<std::vector<float>> blocks(threads, std::vector<float>(static_cast<size_t>(outputs) * C));
  const long blockCount = (rows + BN_BLOCK - 1) / BN_BLOCK;
  parallelFor(threads, blockCount, 4, [&](long bi, int worker) {
    std::vector<double>& mine = partial[worker];
    std::vector<float>& block = blocks[worker];
    std::fill(block.begin(), block.end(), 0.f);
    const int b0 = static_cast<int>(bi) * BN_BLOCK;
    const int end = std::min(rows, b0 + BN_BLOCK);
    for (int r = b0; r < end; r++) addRow(r, block.data());
    for (size_t i = 0; i < block.size(); i++) mine[i] += block[i];
  });
  total.assign(static_cast<size_t>(outputs) * C, 0.0);
  for (const std::vector<double>& p : partial)
    for (size_t i = 0; i < total.size(); i++) total[i] += p[i];
}

// y = (x - mean) / sqrt(var + eps) · gamma + beta with the batch's mean and (biased) variance, which are returned.
inline void batchNormTrain(int rows, int C, const float* x, const float* gamma, const float* beta, float eps, float* y,
                           float* meanOut, float* varOut) {
  std::vector<double> sums;
  // Shifted by the first row so that E[(x-s)²] - E[x-s]² does not cancel catastrophically.
  const float* shift = x;
  channelSums(rows, C, 2, [&](int r, float* acc) {
    const float* xr = x + static_cast<size_t>(r) * C;
    for (int c = 0; c < C; c++) {
      const float d = xr[c] - shift[c];
      acc[c] += d;
      acc[C + c] += d * d;
    }
  }, sums);
  std::vector<float> scale(C), offset(C);
  for (int c = 0; c < C; c++) {
    const double m = sums[c] / rows;
    const double v = std::max(0.0, sums[C + c] / rows - m * m);
    meanOut[c] = static_cast<float>(m + shift[c]);
    varOut[c] = static_cast<float>(v);
    const float rstd = static_cast<float>(1.0 / std::sqrt(v + eps));
    scale[c] = (gamma != nullptr ? gamma[c] : 1.f) * rstd;
    offset[c] = (beta != nullptr ? beta[c] : 0.f) - meanOut[c] * scale[c];
  }
  parallelFor(bnThreads(rows, C), rows, 1024, [&](long r, int) {
    const float* xr = x + static_cast<size_t>(r) * C;
    float* yr = y + static_cast<size_t>(r) * C;
    for (int c = 0; c < C; c++) yr[c] = xr[c] * scale[c] + offset[c];
  });
}

// Gradients of batchNormTrain: dx, and Σ dy·x̂ (dgamma) and Σ dy (dbeta) per channel.
inline void batchNormGrad(int rows, int C, const float* dy, const float* x, const float* mean, const float* var, const float* gamma,
                          float eps, float* dx, float* dgamma, float* dbeta) {
  std::vector<double> sums;
  channelSums(rows, C, 2, [&](int r, float* acc) {
    const float* xr = x + static_cast<size_t>(r) * C;
    const float* gr = dy + static_cast<size_t>(r) * C;
    for (int c = 0; c < C; c++) {
      acc[c] += gr[c];
      acc[C + c] += gr[c] * (xr[c] - mean[c]);
    }
  }, sums);
  std::vector<float> a(C), b(C), k(C);
  for (int c = 0; c < C; c++) {
    const double rstd = 1.0 / std::sqrt(static_cast<double>(var[c]) + eps);
    const double g = gamma != nullptr ? gamma[c] : 1.0;
    dbeta[c] = static_cast<float>(sums[c]);
    dgamma[c] = static_cast<float>(sums[C + c] * rstd);
    // dx = g·rstd·(dy - Σdy/R - (x-mean)·rstd²·Σdy(x-mean)/R) = a·dy + k·(x-mean) + b
    a[c] = static_cast<float>(g * rstd);
    k[c] = static_cast<float>(-g * rstd * rstd * rstd * sums[C + c] / rows);
    b[c] = static_cast<float>(-g * rstd * sums[c] / rows);
  }
  parallelFor(bnThreads(rows, C), rows, 1024, [&](long r, int) {
    const float* xr = x + static_cast<size_t>(r) * C;
    const float* gr = dy + static_cast<size_t>(r) * C;
    float* dr = dx + static_cast<size_t>(r) * C;
    for (int c = 0; c < C; c++) dr[c] = a[c] * gr[c] + k[c] * (xr[c] - mean[c]) + b[c];
  });
}

}  // namespace actprobe
