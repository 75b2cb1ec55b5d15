// The addon's own guard against running on a CPU without the instruction set it was compiled for (load.ts
// checks first, from /proc/cpuinfo or sysctl; this catches an addon loaded some other way). Compiled for the
// baseline x86-64 whatever the addon's target, so the check itself cannot fault.
#pragma once

namespace actprobe {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ACTPROBE_BASELINE __attribute__((target("arch=x86-64"), noinline))
// The first feature of the compile target this CPU lacks, or nullptr.
ACTPROBE_BASELINE inline const char* missingCpuFeature() {
  __builtin_cpu_init();
#ifdef __AVX__
  if (!__builtin_cpu_supports("avx")) return "avx";
#endif
#ifdef __AVX2__
  if (!__builtin_cpu_supports("avx2")) return "avx2";
#endif
#ifdef __FMA__
  if (!__builtin_cpu_supports("fma")) return "fma";
#endif
#ifdef __BMI2__
  if (!__builtin_cpu_supports("bmi2")) return "bmi2";
#endif
#ifdef __AVX512F__
  if (!__builtin_cpu_supports("avx512f")) return "avx512f";
#endif
  return nullptr;
}
#else
#define ACTPROBE_BASELINE
inline const char* missingCpuFeature() { return nullptr; }
#endif

}  // namespace actprobe
