import { EnvError, type Backend } from '@recurrent/core';
import { loadBinding, type Isa, type NativeBinding } from './binding.js';
import { createEsnKernels, type NativeEsnKernels } from './esn-kernels.js';
import { NativeBackend } from './native-backend.js';

export { NativeBackend } from './native-backend.js';
export type { Isa, NativeBinding, EsnHarvestBindingArgs, EsnGramBindingArgs } from './binding.js';
export { createEsnKernels, type NativeEsnKernels, type EsnHarvestArgs, type EsnGramArgs } from './esn-kernels.js';

export interface NativeLoadResult {
  /** The native backend, or null when the addon could not be loaded. */
  backend: NativeBackend | null;
  /** Why it did not load (one line with the fixes), or null when it did. */
  reason: string | null;
  /** The ISA level it runs at, when loaded. */
  isa?: Isa;
}

let cached: NativeLoadResult | null = null;

/**
 * Loads the addon once and wraps it as a Backend (float32 only: callers use the TypeScript
 * backend for float64). A missing or broken addon gives { backend: null, reason }; the one
 * throw is an EnvError for a bad RECURRENT_ISA or RECURRENT_SPLIT_PATIENCE_US (not cached: the
 * user fixes the variable, not the build).
 */
export function loadNativeBackend(): NativeLoadResult {
  if (cached !== null) return cached;
  let binding: NativeBinding;
  try {
    binding = loadBinding();
  } catch (e) {
    if (e instanceof EnvError) throw e;
    const detail = (e as Error).message.split('\n')[0];
    cached = {
      backend: null,
      reason:
        `the native addon could not be loaded (${detail}); build it with \`npm run build:addon -w @recurrent/native\` ` +
        '(needs cmake >= 3.15 and a C++17 compiler), or keep using the TypeScript backend',
    };
    return cached;
  }
  const backend = new NativeBackend(binding);
  cached = { backend, reason: null, isa: backend.isa };
  return cached;
}

/** The native backend, or null (see loadNativeBackend for the reason). */
export function nativeBackend(): Backend | null {
  return loadNativeBackend().backend;
}

let esnKernels: NativeEsnKernels | null | undefined;

/**
 * The addon's Echo State Network kernels for @recurrent/esn (`setEsnKernels(nativeEsnKernels())`),
 * or null when the addon did not load (loadNativeBackend().reason says why). They run at the ISA
 * level of the backend (setIsa, RECURRENT_ISA) and use its thread pool.
 */
export function nativeEsnKernels(): NativeEsnKernels | null {
  if (esnKernels === undefined) {
    const { backend } = loadNativeBackend();
    esnKernels = backend === null ? null : createEsnKernels(backend.binding);
  }
  return esnKernels;
}
