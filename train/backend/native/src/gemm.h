// Single-threaded SGEMM: C[M×N] (= or +=) A[M×K] · B[K×N], with A and B given by row and column strides
// so that transposed operands need no copy (they are packed anyway). Callers parallelise over images.
// Blocking after Goto/BLIS: B is packed into KC×16 column panels, A into MC×6 row panels, and a 6×16
// FMA micro-kernel (AVX2) accumulates one tile in 12 registers. Without AVX2/FMA a plain loop is compiled.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define ACTPROBE_AVX2 1
#endif

namespace actprobe {

struct Strided {
  const float* data;
  std::ptrdiff_t rs;  // step between rows
  std::ptrdiff_t cs;  // step between columns
  float at(std::ptrdiff_t r, std::ptrdiff_t c) const { return data[r * rs + c * cs]; }
};

constexpr int MR = 6;
constexpr int NR = 16;
#ifndef ACTPROBE_KC
#define ACTPROBE_KC 256
#endif
#ifndef ACTPROBE_MC
#define ACTPROBE_MC 72
#endif
constexpr int KC = ACTPROBE_KC;
constexpr int MC = ACTPROBE_MC;

// Panels of A: for each group of MR rows, kc columns interleaved (a[k*MR + i]); short groups are zero-padded.
inline void packA(const Strided& A, int i0, int mc, int k0, int kc, float* out) {
  for (int ir = 0; ir < mc; ir += MR) {
    const int rows = std::min(MR, mc - ir);
    for (int k = 0; k < kc; k++) {
      for (int i = 0; i < rows; i++) out[k * MR + i] = A.at(i0 + ir + i, k0 + k);
      for (int i = rows; i < MR; i++) out[k * MR + i] = 0.f;
    }
    out += kc * MR;
  }
}

// Panels of B: for each group of NR columns, kc rows (b[k*NR + j]); short groups are zero-padded.
inline void packB(const Strided& B, int k0, int kc, int j0, int nc, float* out) {
  for (int jr = 0; jr < nc; jr += NR) {
    const int cols = std::min(NR, nc - jr);
    for (int k = 0; k < kc; k++) {
      const float* src = B.data + (k0 + k) * B.rs + (j0 + jr) * B.cs;
      float* dst = out + k * NR;
      if (B.cs == 1) {
        std::memcpy(dst, src, sizeof(float) * cols);
      } else {
        for (int j = 0; j < cols; j++) dst[j] = src[j * B.cs];
      }
      for (int j = cols; j < NR; j++) dst[j] = 0.f;
    }
    out += kc * NR;
  }
}

// Adds (or writes) the live mr×nr corner of a tile whose rows are `width` floats apart into c.
inline void storeEdge(const float* tile, int width, float* c, std::ptrdiff_t ldc, bool accumulate, int mr, int nr) {
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nr; j++) c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0.f) + tile[i * width + j];
}

// One MR×NR tile: c (row stride ldc) = (accumulate ? c : 0) + a-panel · b-panel, writing only mr×nr.
// The 12 accumulators are named variables: held in an array, GCC stored them to the stack on every k.
inline void microKernel(int kc, const float* a, const float* b, float* c, std::ptrdiff_t ldc, bool accumulate, int mr, int nr) {
#ifdef ACTPROBE_AVX2
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int k = 0; k < kc; k++) {
    const __m256 b0 = _mm256_loadu_ps(b + k * NR);
    const __m256 b1 = _mm256_loadu_ps(b + k * NR + 8);
    const float* ak = a + k * MR;
    __m256 ai = _mm256_broadcast_ss(ak);
    c00 = _mm256_fmadd_ps(ai, b0, c00);
    c01 = _mm256_fmadd_ps(ai, b1, c01);
    ai = _mm256_broadcast_ss(ak + 1);
    c10 = _mm256_fmadd_ps(ai, b0, c10);
    c11 = _mm256_fmadd_ps(ai, b1, c11);
    ai = _mm256_broadcast_ss(ak + 2);
    c20 = _mm256_fmadd_ps(ai, b0, c20);
    c21 = _mm256_fmadd_ps(ai, b1, c21);
    ai = _mm256_broadcast_ss(ak + 3);
    c30 = _mm256_fmadd_ps(ai, b0, c30);
    c31 = _mm256_fmadd_ps(ai, b1, c31);
    ai = _mm256_broadcast_ss(ak + 4);
    c40 = _mm256_fmadd_ps(ai, b0, c40);
    c41 = _mm256_fmadd_ps(ai, b1, c41);
    ai = _mm256_broadcast_ss(ak + 5);
    c50 = _mm256_fmadd_ps(ai, b0, c50);
    c51 = _mm256_fmadd_ps(ai, b1, c51);
  }
  const __m256 rows[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == MR && nr == NR) {
    for (int i = 0; i < MR; i++) {
      float* ci = c + i * ldc;
      __m256 lo = rows[i][0], hi = rows[i][1];
      if (accumulate) {
        lo = _mm256_add_ps(lo, _mm256_loadu_ps(ci));
        hi = _mm256_add_ps(hi, _mm256_loadu_ps(ci + 8));
      }
      _mm256_storeu_ps(ci, lo);
      _mm256_storeu_ps(ci + 8, hi);
    }
    return;
  }
  alignas(32) float tile[MR * NR];
  for (int i = 0; i < MR; i++) {
    _mm256_store_ps(tile + i * NR, rows[i][0]);
    _mm256_store_ps(tile + i * NR + 8, rows[i][1]);
  }
#else
  float tile[MR * NR] = {};
  for (int k = 0; k < kc; k++)
    for (int i = 0; i < MR; i++)
      for (int j = 0; j < NR; j++) tile[i * NR + j] += a[k * MR + i] * b[k * NR + j];
#endif
  storeEdge(tile, NR, c, ldc, accumulate, mr, nr);
}

// The same tile for panels with at most 8 live columns (narrow convolutions): half the FMAs of the 6×16 one.
inline void microKernelNarrow(int kc, const float* a, const float* b, float* c, std::ptrdiff_t ldc, bool accumulate, int mr, int nr) {
#ifdef ACTPROBE_AVX2
  __m256 c0 = _mm256_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
  for (int k = 0; k < kc; k++) {
    const __m256 b0 = _mm256_loadu_ps(b + k * NR);
    const float* ak = a + k * MR;
    c0 = _mm256_fmadd_ps(_mm256_broadcast_ss(ak), b0, c0);
    c1 = _mm256_fmadd_ps(_mm256_broadcast_ss(ak + 1), b0, c1);
    c2 = _mm256_fmadd_ps(_mm256_broadcast_ss(ak + 2), b0, c2);
    c3 = _mm256_fmadd_ps(_mm256_broadcast_ss(ak + 3), b0, c3);
    c4 = _mm256_fmadd_ps(_mm256_broadcast_ss(ak + 4), b0, c4);
    c5 = _mm256_fmadd_ps(_mm256_broadcast_ss(ak + 5), b0, c5);
  }
  alignas(32) float tile[MR * 8];
  const __m256 rows[MR] = {c0, c1, c2, c3, c4, c5};
  for (int i = 0; i < MR; i++) _mm256_store_ps(tile + i * 8, rows[i]);
  storeEdge(tile, 8, c, ldc, accumulate, mr, nr);
#else
  microKernel(kc, a, b, c, ldc, accumulate, mr, nr);
#endif
}

// Per-thread packing buffers, grown on demand and kept between calls.
struct GemmScratch {
  std::vector<float> a, b;
};

inline GemmScratch& scratch() {
  thread_local GemmScratch s;
  return s;
}

// C (row-major, row stride ldc) = (accumulate ? C : 0) + A·B.
inline void gemm(int M, int N, int K, const Strided& A, const Strided& B, float* C, std::ptrdiff_t ldc, bool accumulate) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    if (!accumulate)
      for (int i = 0; i < M; i++) std::fill(C + i * ldc, C + i * ldc + N, 0.f);
    return;
  }
  GemmScratch& s = scratch();
  const int nPanels = (N + NR - 1) / NR;
  s.b.resize(static_cast<size_t>(nPanels) * NR * KC);
  s.a.resize(static_cast<size_t>((MC + MR - 1) / MR) * MR * KC);
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = std::min(KC, K - k0);
    const bool acc = accumulate || k0 > 0;
    packB(B, k0, kc, 0, N, s.b.data());
    for (int i0 = 0; i0 < M; i0 += MC) {
      const int mc = std::min(MC, M - i0);
      packA(A, i0, mc, k0, kc, s.a.data());
      for (int jr = 0; jr < N; jr += NR) {
        const float* bp = s.b.data() + static_cast<size_t>(jr / NR) * kc * NR;
        const int nr = std::min(NR, N - jr);
        for (int ir = 0; ir < mc; ir += MR) {
          const float* ap = s.a.data() + static_cast<size_t>(ir / MR) * kc * MR;
          if (nr <= 8) {
            microKernelNarrow(kc, ap, bp, C + (i0 + ir) * ldc + jr, ldc, acc, std::min(MR, mc - ir), nr);
          } else {
            microKernel(kc, ap, bp, C + (i0 + ir) * ldc + jr, ldc, acc, std::min(MR, mc - ir), nr);
          }
        }
      }
    }
  }
}

}  // namespace actprobe
