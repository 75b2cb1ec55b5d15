// N-API entry points. Every tensor argument is a Float32Array (views of tfjs-wasm's heap in practice);
// shapes come as an Int32Array. Argument errors throw a JS TypeError naming the argument.
#include <node_api.h>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include "adam.h"
#include "cpu_check.h"
#include "batchnorm.h"
#include "relu.h"
#include "conv.h"
#include "matmul.h"
#include "pool.h"

namespace {

using actprobe::ConvShape;

struct Args {
  napi_env env;
  napi_value values[16];
  size_t count = 16;
  bool failed = false;

  Args(napi_env e, napi_callback_info info) : env(e) { napi_get_cb_info(env, info, &count, values, nullptr, nullptr); }

  void fail(const std::string& message) {
    if (!failed) napi_throw_type_error(env, nullptr, message.c_str());
    failed = true;
  }

  template <typename T>
  T* typed(size_t i, napi_typedarray_type want, const char* name, bool nullable, size_t* length = nullptr) {
    if (failed) return nullptr;
    if (i >= count) {
      fail(std::string("missing argument ") + name);
      return nullptr;
    }
    napi_valuetype vt;
    napi_typeof(env, values[i], &vt);
    if (nullable && (vt == napi_null || vt == napi_undefined)) return nullptr;
    bool is = false;
    napi_is_typedarray(env, values[i], &is);
    napi_typedarray_type type;
    size_t len = 0;
    void* data = nullptr;
    if (is) napi_get_typedarray_info(env, values[i], &type, &len, &data, nullptr, nullptr);
    if (!is || type != want || data == nullptr) {
      fail(std::string(name) + (want == napi_float32_array ? " must be a Float32Array" : " must be an Int32Array"));
      return nullptr;
    }
    if (length != nullptr) *length = len;
    return static_cast<T*>(data);
  }

  float* f32(size_t i, const char* name, bool nullable = false, size_t* length = nullptr) {
    return typed<float>(i, napi_float32_array, name, nullable, length);
  }

  double num(size_t i, const char* name) {
    double v = 0;
    if (failed) return v;
    if (i >= count || napi_get_value_double(env, values[i], &v) != napi_ok) fail(std::string(name) + " must be a number");
    return v;
  }

  // A wrong length would make the kernel read or write outside the tensor: refuse it.
  void expectLength(size_t got, size_t want, const char* name) {
    if (!failed && got != want) fail(std::string(name) + " holds " + std::to_string(got) + " floats, the shape needs " + std::to_string(want));
  }

  bool shape(size_t i, ConvShape* s) {
    size_t len = 0;
    const int32_t* d = typed<int32_t>(i, napi_int32_array, "shape", false, &len);
    if (d == nullptr) return false;
    if (len != 15) {
      fail("shape must hold 15 integers: n h w cin oh ow cout kh kw sh sw dh dw padTop padLeft");
      return false;
    }
    *s = ConvShape{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14]};
    return true;
  }
};

size_t inputSize(const ConvShape& s) { return static_cast<size_t>(s.n) * s.h * s.w * s.cin; }
size_t outputSize(const ConvShape& s) { return static_cast<size_t>(s.n) * s.oh * s.ow * s.cout; }
size_t filterSize(const ConvShape& s) { return static_cast<size_t>(s.kh) * s.kw * s.cin * s.cout; }

napi_value undefinedValue(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

napi_value ConvForward(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t nx = 0, nw = 0, nb = 0, ny = 0;
  const float* x = a.f32(0, "x", false, &nx);
  const float* w = a.f32(1, "filter", false, &nw);
  const float* bias = a.f32(2, "bias", true, &nb);
  float* y = a.f32(3, "y", false, &ny);
  ConvShape s{};
  const bool ok = a.shape(4, &s);
  const double act = a.num(5, "activation");
  if (a.failed || !ok) return nullptr;
  a.expectLength(nx, inputSize(s), "x");
  a.expectLength(nw, filterSize(s), "filter");
  if (bias != nullptr) a.expectLength(nb, s.cout, "bias");
  a.expectLength(ny, outputSize(s), "y");
  if (a.failed) return nullptr;
  actprobe::convForward(s, x, w, bias, act == 1 ? actprobe::Activation::Relu : actprobe::Activation::Linear, y);
  return undefinedValue(env);
}

using SizeOf = size_t (*)(const ConvShape&);

// Reads (in0, in1, out, shape) and checks each tensor's length against what the shape needs.
struct ConvCall {
  const float* in0 = nullptr;
  const float* in1 = nullptr;
  float* out = nullptr;
  ConvShape s{};
};

bool readConvCall(Args& a, const char* const names[3], const SizeOf sizes[3], ConvCall* call) {
  size_t len[3] = {};
  float* t[3] = {};
  for (int i = 0; i < 3; i++) t[i] = a.f32(i, names[i], false, &len[i]);
  const bool ok = a.shape(3, &call->s);
  if (a.failed || !ok) return false;
  for (int i = 0; i < 3; i++) a.expectLength(len[i], sizes[i](call->s), names[i]);
  call->in0 = t[0];
  call->in1 = t[1];
  call->out = t[2];
  return !a.failed;
}

napi_value ConvBackpropInput(napi_env env, napi_callback_info info) {
  Args a(env, info);
  static const char* const names[3] = {"dy", "filter", "dx"};
  static const SizeOf sizes[3] = {outputSize, filterSize, inputSize};
  ConvCall c;
  if (!readConvCall(a, names, sizes, &c)) return nullptr;
  actprobe::convBackpropInput(c.s, c.in0, c.in1, c.out);
  return undefinedValue(env);
}

napi_value ConvBackpropFilter(napi_env env, napi_callback_info info) {
  Args a(env, info);
  static const char* const names[3] = {"x", "dy", "dw"};
  static const SizeOf sizes[3] = {inputSize, outputSize, filterSize};
  ConvCall c;
  if (!readConvCall(a, names, sizes, &c)) return nullptr;
  actprobe::convBackpropFilter(c.s, c.in0, c.in1, c.out);
  return undefinedValue(env);
}

struct BnArg {
  size_t index;
  const char* name;
  bool full;  // rows × channels, else channels
  bool nullable = false;
};

bool bnLengthsOk(Args& a, double rows, double channels, std::initializer_list<BnArg> args) {
  if (rows < 1 || channels < 1) a.fail("rows and channels must be at least 1");
  for (const BnArg& arg : args) {
    size_t len = 0;
    if (a.f32(arg.index, arg.name, arg.nullable, &len) == nullptr) continue;  // null gamma/beta are allowed
    a.expectLength(len, static_cast<size_t>(arg.full ? rows * channels : channels), arg.name);
  }
  return !a.failed;
}

// (a, b, c, batchA, batchB, m, n, k, transposeA, transposeB)
napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t na = 0, nb = 0, nc = 0;
  const float* av = a.f32(0, "a", false, &na);
  const float* bv = a.f32(1, "b", false, &nb);
  float* cv = a.f32(2, "c", false, &nc);
  const char* names[7] = {"batchA", "batchB", "m", "n", "k", "transposeA", "transposeB"};
  double d[7] = {};
  for (int i = 0; i < 7; i++) d[i] = a.num(3 + i, names[i]);
  if (a.failed) return nullptr;
  const actprobe::MatMulShape s{static_cast<int>(d[0]), static_cast<int>(d[1]), static_cast<int>(d[2]), static_cast<int>(d[3]),
                                static_cast<int>(d[4]), d[5] != 0, d[6] != 0};
  const int batch = std::max(s.batchA, s.batchB);
  if (s.m < 0 || s.n < 0 || s.k < 0 || s.batchA < 1 || s.batchB < 1 || (s.batchA != batch && s.batchA != 1) || (s.batchB != batch && s.batchB != 1)) {
    a.fail("batchA/batchB must be equal or 1, and m, n, k non-negative");
    return nullptr;
  }
  a.expectLength(na, static_cast<size_t>(s.batchA) * s.m * s.k, "a");
  a.expectLength(nb, static_cast<size_t>(s.batchB) * s.k * s.n, "b");
  a.expectLength(nc, static_cast<size_t>(batch) * s.m * s.n, "c");
  if (a.failed) return nullptr;
  actprobe::batchMatMul(s, av, bv, cv);
  return undefinedValue(env);
}

// (dy, x, dx, shape) with shape's cin = cout = channels and kh/kw the pool window.
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Args a(env, info);
  static const char* const names[3] = {"dy", "x", "dx"};
  static const SizeOf sizes[3] = {outputSize, inputSize, inputSize};
  ConvCall c;
  if (!readConvCall(a, names, sizes, &c)) return nullptr;
  if (c.s.cin != c.s.cout) {
    a.fail("shape: a pool keeps its channels (cin must equal cout)");
    return nullptr;
  }
  actprobe::maxPoolGrad(c.s, c.in1, c.in0, c.out);
  return undefinedValue(env);
}

// (x, gamma?, beta?, eps, y, mean, variance, rows, channels)
napi_value BatchNormTrain(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const float* x = a.f32(0, "x");
  const float* gamma = a.f32(1, "gamma", true);
  const float* beta = a.f32(2, "beta", true);
  const double eps = a.num(3, "epsilon");
  float* y = a.f32(4, "y");
  float* mean = a.f32(5, "mean");
  float* var = a.f32(6, "variance");
  const double rows = a.num(7, "rows");
  const double channels = a.num(8, "channels");
  if (a.failed) return nullptr;
  if (!bnLengthsOk(a, rows, channels, {{0, "x", true}, {1, "gamma", false, true}, {2, "beta", false, true}, {4, "y", true}, {5, "mean", false}, {6, "variance", false}})) return nullptr;
  actprobe::batchNormTrain(static_cast<int>(rows), static_cast<int>(channels), x, gamma, beta, static_cast<float>(eps), y, mean, var);
  return undefinedValue(env);
}

// (dy, x, mean, variance, gamma?, eps, dx, dgamma, dbeta, rows, channels)
napi_value BatchNormGrad(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const float* dy = a.f32(0, "dy");
  const float* x = a.f32(1, "x");
  const float* mean = a.f32(2, "mean");
  const float* var = a.f32(3, "variance");
  const float* gamma = a.f32(4, "gamma", true);
  const double eps = a.num(5, "epsilon");
  float* dx = a.f32(6, "dx");
  float* dgamma = a.f32(7, "dgamma");
  float* dbeta = a.f32(8, "dbeta");
  const double rows = a.num(9, "rows");
  const double channels = a.num(10, "channels");
  if (a.failed) return nullptr;
  if (!bnLengthsOk(a, rows, channels, {{0, "dy", true}, {1, "x", true}, {2, "mean", false}, {3, "variance", false}, {4, "gamma", false, true}, {6, "dx", true}, {7, "dgamma", false}, {8, "dbeta", false}})) return nullptr;
  actprobe::batchNormGrad(static_cast<int>(rows), static_cast<int>(channels), dy, x, mean, var, gamma, static_cast<float>(eps), dx,
                          dgamma, dbeta);
  return undefinedValue(env);
}

napi_value ReluGrad(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t n = 0, ny = 0, ndx = 0;
  const float* dy = a.f32(0, "dy", false, &n);
  const float* y = a.f32(1, "x", false, &ny);
  float* dx = a.f32(2, "dx", false, &ndx);
  a.expectLength(ny, n, "x");
  a.expectLength(ndx, n, "dx");
  if (a.failed) return nullptr;
  actprobe::reluGrad(n, dy, y, dx);
  return undefinedValue(env);
}

// (w, g, m, v, w', m', v', beta1, beta2, epsilon, learningRate, oneMinusAccBeta1, oneMinusAccBeta2)
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const char* names[7] = {"value", "gradient", "m", "v", "newValue", "newM", "newV"};
  float* t[7] = {};
  size_t len[7] = {};
  for (int i = 0; i < 7; i++) t[i] = a.f32(i, names[i], false, &len[i]);
  for (int i = 1; i < 7; i++) a.expectLength(len[i], len[0], names[i]);
  double p[6] = {};
  const char* pn[6] = {"beta1", "beta2", "epsilon", "learningRate", "oneMinusAccBeta1", "oneMinusAccBeta2"};
  for (int i = 0; i < 6; i++) p[i] = a.num(7 + i, pn[i]);
  if (a.failed) return nullptr;
  const actprobe::AdamParams params{static_cast<float>(p[0]), static_cast<float>(p[1]), static_cast<float>(p[2]),
                                    static_cast<float>(p[3]), static_cast<float>(p[4]), static_cast<float>(p[5])};
  actprobe::adamUpdate(len[0], params, t[0], t[1], t[2], t[3], t[4], t[5], t[6]);
  return undefinedValue(env);
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const double n = a.num(0, "threads");
  if (a.failed) return nullptr;
  if (n >= 1) actprobe::ThreadPool::instance().setMaxThreads(static_cast<int>(n));
  return undefinedValue(env);
}

napi_value Describe(napi_env env, napi_callback_info) {
  std::string text = std::to_string(actprobe::maxThreads()) + " threads, ";
#ifdef ACTPROBE_AVX2
  text += "AVX2/FMA GEMM";
#else
  text += "portable GEMM (no AVX2/FMA)";
#endif
  napi_value v;
  napi_create_string_utf8(env, text.c_str(), text.size(), &v);
  return v;
}

__attribute__((noinline)) napi_value DefineExports(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"convForward", nullptr, ConvForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"convBackpropInput", nullptr, ConvBackpropInput, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"convBackpropFilter", nullptr, ConvBackpropFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchMatMul", nullptr, BatchMatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormTrain", nullptr, BatchNormTrain, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormGrad", nullptr, BatchNormGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluGrad", nullptr, ReluGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, AdamUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"describe", nullptr, Describe, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

// Refuses to initialise (a JS exception at require time) on a CPU without the compile target's features.
ACTPROBE_BASELINE napi_value Init(napi_env env, napi_value exports) {
  const char* missing = actprobe::missingCpuFeature();
  if (missing != nullptr) {
    char message[160];
    snprintf(message, sizeof message, "actprobe native kernels: this CPU lacks %s, which they were compiled for", missing);
    napi_throw_error(env, nullptr, message);
    return nullptr;
  }
  return DefineExports(env, exports);
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
