import { readEnvChoice, readEnvInt } from '@recurrent/core';

/** The ISA levels, best first; RECURRENT_ISA and setIsa take these names exactly. */
export const ISAS = ['avx512', 'avx2', 'scalar'] as const;

/** The most RECURRENT_SPLIT_PATIENCE_US may be; env.h takes the same range. */
export const MAX_SPLIT_PATIENCE_US = 1_000_000;

/**
 * Checks, before the addon loads, the variables its C++ side reads with getenv (RECURRENT_ISA
 * at load, RECURRENT_SPLIT_PATIENCE_US at each split call): a bad value is an EnvError here,
 * where C++ could only ignore it. RECURRENT_NATIVE_ADDON, a path, is the loader's own.
 */
export function checkNativeEnv(): void {
  readEnvChoice('RECURRENT_ISA', ISAS);
  readEnvInt('RECURRENT_SPLIT_PATIENCE_US', { min: 0, max: MAX_SPLIT_PATIENCE_US });
}
