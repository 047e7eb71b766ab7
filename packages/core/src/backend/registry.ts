import type { Backend } from './contract.js';
import { TsBackend } from './ts/index.js';

/** The TypeScript backend: always available, float32 and float64. */
export const tsBackend: Backend = new TsBackend();

let current: Backend = tsBackend;

/** The backend that layers and ops use. */
export function getBackend(): Backend {
  return current;
}

/** Chooses the backend layers and ops use from now on. Returns the previous one. */
export function setBackend(backend: Backend): Backend {
  const previous = current;
  current = backend;
  return previous;
}

/** The current backend if it computes in `dtype`, else the TypeScript one (float64 is TypeScript only). */
export function backendFor(dtype: import('../dtype.js').DType): Backend {
  return current.dtypes.includes(dtype) ? current : tsBackend;
}
