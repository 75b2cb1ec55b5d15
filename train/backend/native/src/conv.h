// NHWC 2-D convolution and its two gradients as im2col + GEMM, threads over groups of images.
// Filters are HWIO ([kh, kw, Cin, Cout]), i.e. a row-major [kh·kw·Cin × Cout] matrix, so im2col rows
// ordered (i, j, ci) multiply it directly.
#pragma once
#include <algorithm>
#include <cstring>
#include <vector>
#include "gemm.h"
#include "thread_pool.h"

namespace actprobe {

struct ConvShape {
  int n, h, w, cin;     // input
  int oh, ow, cout;     // output
  int kh, kw;           // filter
  int sh, sw, dh, dw;   // strides, dilations
  int padTop, padLeft;  // zeros before the first row/column
  int k() const { return kh * kw * cin; }
  int pixels() const { return oh * ow; }
};

// Multiply-adds of one conv pass; below PARALLEL_MIN_MACS a second thread costs more to wake than it saves.
inline double macs(const ConvShape& s) { return static_cast<double>(s.n) * s.pixels() * s.k() * s.cout; }
constexpr double PARALLEL_MIN_MACS = 4e6;

inline int threadsFor(const ConvShape& s) { return macs(s) < PARALLEL_MIN_MACS ? 1 : maxThreads(); }

// Images per im2col block: enough rows to keep the micro-kernel busy, few enough that every thread gets work.
inline int imagesPerGroup(const ConvShape& s, int threads) {
  const int byRows = std::max(1, (768 + s.pixels() - 1) / s.pixels());
  const int byThreads = std::max(1, (s.n + threads - 1) / threads);
  return std::min(byRows, byThreads);
}

// Copies n floats; short runs (few channels) as a plain loop, which beats a memcpy call there.
inline void copyFloats(float* dst, const float* src, int n) {
  if (n >= 32) {
    std::memcpy(dst, src, sizeof(float) * n);
  } else {
    for (int c = 0; c < n; c++) dst[c] = src[c];
  }
}

// col[m, (i, j, ci)] for images [n0, n0 + g): m runs over (image, oy, ox). A filter row lying wholly inside x
// (dilation 1) is one contiguous run of kw·cin floats.
inline void im2col(const ConvShape& s, const float* x, int n0, int g, float* col) {
  const int K = s.k();
  const int rowRun = s.kw * s.cin;
  for (int n = n0; n < n0 + g; n++) {
    const float* xn = x + static_cast<size_t>(n) * s.h * s.w * s.cin;
    for (int oy = 0; oy < s.oh; oy++) {
      for (int ox = 0; ox < s.ow; ox++) {
        float* row = col + (static_cast<size_t>(n - n0) * s.pixels() + oy * s.ow + ox) * K;
        const int x0 = ox * s.sw - s.padLeft;
        const bool wholeRow = s.dw == 1 && x0 >= 0 && x0 + s.kw <= s.w;
        for (int i = 0; i < s.kh; i++) {
          const int y = oy * s.sh + i * s.dh - s.padTop;
          float* dstRow = row + i * rowRun;
          if (y < 0 || y >= s.h) {
            std::memset(dstRow, 0, sizeof(float) * rowRun);
            continue;
          }
          const float* srcRow = xn + static_cast<size_t>(y) * s.w * s.cin;
          if (wholeRow) {
            copyFloats(dstRow, srcRow + static_cast<size_t>(x0) * s.cin, rowRun);
            continue;
          }
          for (int j = 0; j < s.kw; j++) {
            const int xx = x0 + j * s.dw;
            float* dst = dstRow + j * s.cin;
            if (xx < 0 || xx >= s.w) {
              for (int c = 0; c < s.cin; c++) dst[c] = 0.f;
            } else {
              copyFloats(dst, srcRow + static_cast<size_t>(xx) * s.cin, s.cin);
            }
          }
        }
      }
    }
  }
}

// dx[images n0..n0+g) += scatter of dcol (the adjoint of im2col); dx must be zeroed by the caller.
inline void col2im(const ConvShape& s, const float* dcol, int n0, int g, float* dx) {
  const int K = s.k();
  const int rowRun = s.kw * s.cin;
  for (int n = n0; n < n0 + g; n++) {
    float* dxn = dx + static_cast<size_t>(n) * s.h * s.w * s.cin;
    for (int oy = 0; oy < s.oh; oy++) {
      for (int ox = 0; ox < s.ow; ox++) {
        const float* row = dcol + (static_cast<size_t>(n - n0) * s.pixels() + oy * s.ow + ox) * K;
        const int x0 = ox * s.sw - s.padLeft;
        const bool wholeRow = s.dw == 1 && x0 >= 0 && x0 + s.kw <= s.w;
        for (int i = 0; i < s.kh; i++) {
          const int y = oy * s.sh + i * s.dh - s.padTop;
          if (y < 0 || y >= s.h) continue;
          const float* srcRow = row + i * rowRun;
          float* dstRow = dxn + static_cast<size_t>(y) * s.w * s.cin;
          if (wholeRow) {
            float* dst = dstRow + static_cast<size_t>(x0) * s.cin;
            for (int c = 0; c < rowRun; c++) dst[c] += srcRow[c];
            continue;
          }
          for (int j = 0; j < s.kw; j++) {
            const int xx = x0 + j * s.dw;
            if (xx < 0 || xx >= s.w) continue;
            const float* src = srcRow + j * s.cin;
            float* dst = dstRow + static_cast<size_t>(xx) * s.cin;
            for (int c = 0; c < s.cin; c++) dst[c] += src[c];
          }
        }
      }
    }
  }
}

// A 1×1, stride-1, unpadded conv reads x rows as they are: no im2col needed.
inline bool isPointwise(const ConvShape& s) {
  return s.kh == 1 && s.kw == 1 && s.sh == 1 && s.sw == 1 && s.padTop == 0 && s.padLeft == 0 && s.oh == s.h && s.ow == s.w;
}

inline std::vector<float>& colBuffer() {
  thread_local std::vector<float> buf;
  return buf;
}

// The im2col rows of images [n0, n0 + count) in this thread's buffer, or x itself for a pointwise conv.
inline const float* colsOf(const ConvShape& s, const float* x, int n0, int count) {
  if (isPointwise(s)) return x + static_cast<size_t>(n0) * s.h * s.w * s.cin;
  std::vector<float>& col = colBuffer();
  col.resize(static_cast<size_t>(count) * s.pixels() * s.k());
  im2col(s, x, n0, count, col.data());
  return col.data();
}

enum class Activation { Linear = 0, Relu = 1 };

// y = act(conv(x, w) + bias); bias may be null.
inline void convForward(const ConvShape& s, const float* x, const float* w, const float* bias, Activation act, float* y) {
  const int threads = threadsFor(s);
  const int g = imagesPerGroup(s, threads);
  const int groups = (s.n + g - 1) / g;
  const int K = s.k();
  const Strided W{w, s.cout, 1};
  parallelFor(threads, groups, 1, [&](long gi, int) {
    const int n0 = static_cast<int>(gi) * g;
    const int count = std::min(g, s.n - n0);
    const int M = count * s.pixels();
    float* out = y + static_cast<size_t>(n0) * s.pixels() * s.cout;
    const float* colData = colsOf(s, x, n0, count);
    gemm(M, s.cout, K, Strided{colData, K, 1}, W, out, s.cout, false);
    if (bias != nullptr || act != Activation::Linear) {
      for (int m = 0; m < M; m++) {
        float* row = out + static_cast<size_t>(m) * s.cout;
        if (bias != nullptr)
          for (int c = 0; c < s.cout; c++) row[c] += bias[c];
        if (act == Activation::Relu)
          for (int c = 0; c < s.cout; c++) row[c] = row[c] > 0.f ? row[c] : 0.f;
      }
    }
  });
}

// dx = conv2dᵀ(dy, w).
inline void convBackpropInput(const ConvShape& s, const float* dy, const float* w, float* dx) {
  const int threads = threadsFor(s);
  const int g = imagesPerGroup(s, threads);
  const int groups = (s.n + g - 1) / g;
  const int K = s.k();
  const Strided Wt{w, 1, s.cout};  // [Cout × K] view of the [K × Cout] filter
  const bool pointwise = isPointwise(s);
  parallelFor(threads, groups, 1, [&](long gi, int) {
    const int n0 = static_cast<int>(gi) * g;
    const int count = std::min(g, s.n - n0);
    const int M = count * s.pixels();
    const float* dyg = dy + static_cast<size_t>(n0) * s.pixels() * s.cout;
    float* dxg = dx + static_cast<size_t>(n0) * s.h * s.w * s.cin;
    if (pointwise) {
      gemm(M, K, s.cout, Strided{dyg, s.cout, 1}, Wt, dxg, K, false);
      return;
    }
    std::vector<float>& col = colBuffer();
    col.resize(static_cast<size_t>(M) * K);
    gemm(M, K, s.cout, Strided{dyg, s.cout, 1}, Wt, col.data(), K, false);
    std::memset(dxg, 0, sizeof(float) * count * s.h * s.w * s.cin);
    col2im(s, col.data(), n0, count, dx);
  });
}

// dw = Σ over images of im2col(x)ᵀ · dy, each thread summing its own images, then the threads' sums added.
inline void convBackpropFilter(const ConvShape& s, const float* x, const float* dy, float* dw) {
  const int threads = threadsFor(s);
  const int g = imagesPerGroup(s, threads);
  const int groups = (s.n + g - 1) / g;
  const int K = s.k();
  const size_t size = static_cast<size_t>(K) * s.cout;
  std::vector<std::vector<float>> partial(threads);
  // Groups are handed out one at a time (not split in halves up front), so a thread the OS delays on a busy
  // host holds up at most one group. A worker's first group overwrites its partial sum, later ones add.
  parallelFor(threads, groups, 1, [&](long gi, int worker) {
    std::vector<float>& mine = partial[worker];
    const bool started = !mine.empty();
    if (!started) mine.resize(size);
    const int n0 = static_cast<int>(gi) * g;
    const int count = std::min(g, s.n - n0);
    const int M = count * s.pixels();
    const float* colData = colsOf(s, x, n0, count);
    gemm(K, s.cout, M, Strided{colData, 1, K}, Strided{dy + static_cast<size_t>(n0) * s.pixels() * s.cout, s.cout, 1},
         mine.data(), s.cout, started);
  });
  std::fill(dw, dw + size, 0.f);
  for (const std::vector<float>& p : partial) {
    if (p.empty()) continue;
    for (size_t i = 0; i < size; i++) dw[i] += p[i];
  }
}

}  // namespace actprobe
