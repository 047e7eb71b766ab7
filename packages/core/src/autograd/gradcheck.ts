import { noGrad, recordOn, Tape } from './tape.js';
import type { Tensor } from '../tensor.js';

export interface GradCheckResult {
  /** Worst max|analytic − numeric| / max(|numeric|, floor) over the checked tensors. */
  maxError: number;
  perTensor: Array<{ name: string; error: number }>;
}

/**
 * Compares the tape's gradients of the scalar `f()` with central differences of step `eps`
 * (use float64 tensors). `f` must be deterministic (reseed any dropout inside it). Each tensor
 * is probed at up to `maxProbes` evenly spread elements.
 */
export function gradCheck(f: () => Tensor, tensors: Array<[string, Tensor]>, eps = 1e-6, maxProbes = 40): GradCheckResult {
  for (const [, t] of tensors) {
    t.requiresGrad = true;
    t.grad = null;
  }
  const tape = new Tape();
  const loss = recordOn(tape, f);
  tape.backward(loss);
  const perTensor: Array<{ name: string; error: number }> = [];
  for (const [name, t] of tensors) {
    const analytic = t.grad;
    const stride = Math.max(1, Math.floor(t.size / maxProbes));
    let maxDiff = 0;
    let maxRef = 0;
    for (let i = 0; i < t.size; i += stride) {
      const saved = t.data[i]!;
      t.data[i] = saved + eps;
      const up = noGrad(f).data[0]!;
      t.data[i] = saved - eps;
      const down = noGrad(f).data[0]!;
      t.data[i] = saved;
      const numeric = (up - down) / (2 * eps);
      const a = analytic ? analytic[i]! : 0;
      maxDiff = Math.max(maxDiff, Math.abs(a - numeric));
      maxRef = Math.max(maxRef, Math.abs(numeric));
    }
    perTensor.push({ name, error: maxDiff / Math.max(maxRef, 1e-8) });
  }
  return { maxError: Math.max(0, ...perTensor.map((p) => p.error)), perTensor };
}
