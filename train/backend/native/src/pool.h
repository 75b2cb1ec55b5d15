// Max-pool gradient, NHWC: each window's dy goes to its first strict maximum in row-major window order
// (padding never wins; a NaN never wins), summed where windows overlap — the rule of tfjs' cpu kernel.
// Reuses ConvShape: cin = cout = channels, kh/kw the pool size, dh/dw its dilation.
#pragma once
#include <cstring>
#include <limits>
#include <vector>
#include "conv.h"
#include "thread_pool.h"

namespace actprobe {

inline void maxPoolGrad(const ConvShape& s, const float* x, const float* dy, float* dx) {
  const int C = s.cin;
  const size_t image = static_cast<size_t>(s.h) * s.w * C;
  const double work = static_cast<double>(s.n) * s.pixels() * C * s.kh * s.kw;
  parallelFor(work < 1 << 16 ? 1 : maxThreads(), s.n, 1, [&](long n, int) {
    std::vector<float> best(C);
    std::vector<long> at(C);
    const float* xn = x + n * image;
    float* dxn = dx + n * image;
    std::memset(dxn, 0, sizeof(float) * image);
    const float* g = dy + static_cast<size_t>(n) * s.pixels() * C;
    for (int oy = 0; oy < s.oh; oy++) {
      for (int ox = 0; ox < s.ow; ox++, g += C) {
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        std::fill(at.begin(), at.end(), -1L);
        for (int i = 0; i < s.kh; i++) {
          const int y = oy * s.sh + i * s.dh - s.padTop;
          if (y < 0 || y >= s.h) continue;
          for (int j = 0; j < s.kw; j++) {
            const int xx = ox * s.sw + j * s.dw - s.padLeft;
            if (xx < 0 || xx >= s.w) continue;
            const long p = (static_cast<long>(y) * s.w + xx) * C;
            for (int c = 0; c < C; c++) {
              if (xn[p + c] > best[c]) {
                best[c] = xn[p + c];
                at[c] = p + c;
              }
            }
          }
        }
        for (int c = 0; c < C; c++)
          if (at[c] >= 0) dxn[at[c]] += g[c];
      }
    }
  });
}

}  // namespace actprobe
