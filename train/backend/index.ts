export {
  autoOrder,
  backendCandidates,
  describeBackend,
  selectBackend,
  type Attempt,
  type BackendReport,
  type BackendRequest,
  type Candidate,
  type CandidateLoader,
  type EnginePort,
  type LoadedCandidate,
  type LoaderTable,
  type SelectOptions,
  type WasmDetails,
} from './select.js';
export { createDefaultLoaders, defaultWasmThreads, importFailureReason, type DefaultLoaderOptions } from './loaders.js';
export {
  registerWasmKernels,
  WASM_ADDED_KERNELS,
  WASM_KERNEL_OVERRIDES,
  type KernelOverride,
  type RegisterResult,
} from './wasm-kernels/register.js';
