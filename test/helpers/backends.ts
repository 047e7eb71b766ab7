import { backendFromEnv, BACKEND_LABELS, EnvError, tsBackend, type Backend, type BackendLabel, type DType } from '@recurrent/core';

export interface BackendChoice {
  /** What RECURRENT_BACKEND calls it: ts, ts64 or native. */
  label: BackendLabel;
  backend: Backend;
  dtype: DType;
  /** max |ours − ref| / max |ref| allowed per tensor. */
  tolerance: number;
}

const TOLERANCE = { float32: 1e-5, float64: 1e-12 };

async function loadNative(): Promise<Backend | null> {
  try {
    const specifier = '@recurrent/native'; // resolved at run time: the addon may be absent
    const mod = (await import(/* @vite-ignore */ specifier)) as { loadNativeBackend?: () => { backend: Backend | null } };
    return mod.loadNativeBackend?.().backend ?? null;
  } catch (e) {
    if (e instanceof EnvError) throw e; // a bad RECURRENT_ISA must not quietly drop the native runs
    return null;
  }
}

/**
 * The backends a cross-backend test runs on: the one RECURRENT_BACKEND names, or, when unset,
 * ts64 and ts, plus native when the addon loads.
 */
export async function chosenBackends(): Promise<BackendChoice[]> {
  const wanted = backendFromEnv(); // EnvError on a value other than ts, ts64, native
  const labels = wanted ? [wanted] : BACKEND_LABELS;
  const out: BackendChoice[] = [];
  for (const label of labels) {
    if (label === 'ts') out.push({ label, backend: tsBackend, dtype: 'float32', tolerance: TOLERANCE.float32 });
    else if (label === 'ts64') out.push({ label, backend: tsBackend, dtype: 'float64', tolerance: TOLERANCE.float64 });
    else {
      const native = await loadNative();
      if (native) out.push({ label, backend: native, dtype: 'float32', tolerance: TOLERANCE.float32 });
      else if (wanted) throw new Error('RECURRENT_BACKEND=native, but the native addon did not load');
    }
  }
  return out;
}

/** max |a − b| / max |b|. */
export function relativeError(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (ours.length !== ref.length) return Infinity;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ours[i]! - ref[i]!);
    if (!(d <= maxDiff)) maxDiff = d; // NaN propagates as a failure
    maxRef = Math.max(maxRef, Math.abs(ref[i]!));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}
