import { object } from '../schema/object.js';
import { array, finite, instance } from '../schema/primitives.js';
import { parse, parseArgument, type Infer } from '../schema/schema.js';
import { Tensor } from '../tensor.js';

const paramsSchema = array(instance(Tensor));

/**
 * Gradient clipping over a list of parameters (Pascanu et al. 2013). Parameters whose `grad`
 * is null are skipped, as in PyTorch's torch.nn.utils.
 */

/** Clamps every gradient element into [−clipValue, clipValue]. */
export function clipGradValue(params: readonly Tensor[], clipValue: number): void {
  checkParams('clipGradValue', params);
  parseArgument('clipGradValue', 'clipValue', finite({ min: 0, exclusiveMin: true }), clipValue);
  for (const p of params) {
    const g = p.grad;
    if (g === null) continue;
    for (let i = 0; i < g.length; i++) {
      if (g[i]! > clipValue) g[i] = clipValue;
      else if (g[i]! < -clipValue) g[i] = -clipValue;
    }
  }
}

export const clipGradNormOptionsSchema = object({
  /** p of the norm (default 2); Infinity for the largest absolute value. */
  normType: finite({ min: 0, exclusiveMin: true, allowInfinity: true }).default(2),
});
export type ClipGradNormOptions = Infer<typeof clipGradNormOptionsSchema>;

/**
 * Scales all gradients together so their global norm (over every element of every gradient)
 * is at most `maxNorm`, as torch.nn.utils.clip_grad_norm_: with total norm N, each gradient
 * is multiplied by maxNorm / (N + 1e-6) when that factor is below 1. Returns N, the norm
 * before clipping (NaN or Infinity passes through unclipped, so callers can detect it).
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number, options: ClipGradNormOptions = {}): number {
  checkParams('clipGradNorm', params);
  parseArgument('clipGradNorm', 'maxNorm', finite({ min: 0 }), maxNorm);
  const p = parse('clipGradNorm', clipGradNormOptionsSchema, options).normType;
  let total = 0;
  if (p === Infinity) {
    for (const t of params) {
      const g = t.grad;
      if (g === null) continue;
      for (let i = 0; i < g.length; i++) {
        const a = Math.abs(g[i]!);
        if (a > total || Number.isNaN(a)) total = a;
      }
    }
  } else {
    let s = 0;
    for (const t of params) {
      const g = t.grad;
      if (g === null) continue;
      if (p === 2) for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
      else for (let i = 0; i < g.length; i++) s += Math.abs(g[i]!) ** p;
    }
    total = p === 2 ? Math.sqrt(s) : s ** (1 / p);
  }
  const coef = maxNorm / (total + 1e-6);
  // A non-finite norm leaves the gradients as they are (Infinity would give coef 0, and 0·Infinity = NaN).
  if (coef < 1 && Number.isFinite(total)) {
    for (const t of params) {
      const g = t.grad;
      if (g === null) continue;
      for (let i = 0; i < g.length; i++) g[i] *= coef;
    }
  }
  return total;
}

export interface NonFiniteGradient {
  /** Index into params. */
  param: number;
  /** Flat index into that parameter's gradient. */
  index: number;
  value: number;
}

/** The first non-finite gradient element (NaN or ±Infinity), or null when all are finite: one pass, stopping early. */
export function firstNonFiniteGradient(params: readonly Tensor[]): NonFiniteGradient | null {
  for (let p = 0; p < params.length; p++) {
    const g = params[p]!.grad;
    if (g === null) continue;
    for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i]!)) return { param: p, index: i, value: g[i]! };
  }
  return null;
}

function checkParams(where: string, params: readonly Tensor[]): void {
  parseArgument(where, 'params', paramsSchema, params);
}
