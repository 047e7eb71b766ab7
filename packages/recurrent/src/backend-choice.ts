import { backendFromEnv, EnvError, setBackend, tsBackend, type Backend } from '@recurrent/core';
import { setEsnKernels, type EsnKernels } from '@recurrent/esn';

export interface BackendSelection {
  backend: Backend;
  /** One line for the user: which backend runs, and why not native when it does not. */
  message: string;
}

interface NativeModule {
  loadNativeBackend(): { backend: Backend | null; reason: string | null; isa?: string };
  nativeEsnKernels?(): EsnKernels | null;
}

/**
 * Chooses the fastest backend available: the native addon when it loads, else TypeScript.
 * RECURRENT_BACKEND=ts (or ts64) forces the TypeScript backend, =native the addon (an error when
 * it does not load); any other value is an EnvError, never a silent fallback. The choice becomes the global backend, and
 * with the native backend its Echo State Network kernels serve @recurrent/esn (setEsnKernels).
 */
export async function useFastestBackend(): Promise<BackendSelection> {
  const selection = await chooseBackend();
  setBackend(selection.backend);
  setEsnKernels(selection.esnKernels ?? null);
  return { backend: selection.backend, message: selection.message };
}

async function chooseBackend(): Promise<BackendSelection & { esnKernels?: EsnKernels | null }> {
  const forced = backendFromEnv();
  if (forced === 'ts' || forced === 'ts64') return { backend: tsBackend, message: `backend: TypeScript (RECURRENT_BACKEND=${forced})` };
  let reason: string;
  try {
    const specifier = '@recurrent/native'; // optional at run time: the addon may not have built
    const native = (await import(specifier)) as NativeModule;
    const loaded = native.loadNativeBackend();
    if (loaded.backend) {
      return { backend: loaded.backend, message: `backend: native (${loaded.isa ?? 'unknown ISA'})`, esnKernels: native.nativeEsnKernels?.() ?? null };
    }
    reason = loaded.reason ?? 'the addon did not load';
  } catch (e) {
    if (e instanceof EnvError) throw e; // a bad RECURRENT_ISA & co. is the user's to fix, not a reason to fall back
    reason = (e as Error).message;
  }
  if (forced === 'native') throw new Error(`RECURRENT_BACKEND=native, but the native backend is unavailable: ${reason}`);
  return { backend: tsBackend, message: `backend: TypeScript (native unavailable: ${reason})` };
}
