import { readEnvChoice } from '../env.js';

/**
 * What RECURRENT_BACKEND may name: the TypeScript backend in float32 (ts) or float64 (ts64), or
 * the native addon. The CLI's backend choice and the cross-backend tests both read it here.
 */
export const BACKEND_LABELS = ['ts', 'ts64', 'native'] as const;
export type BackendLabel = (typeof BACKEND_LABELS)[number];

/** The backend RECURRENT_BACKEND forces, undefined when unset; EnvError on any other value. */
export function backendFromEnv(): BackendLabel | undefined {
  return readEnvChoice('RECURRENT_BACKEND', BACKEND_LABELS);
}
