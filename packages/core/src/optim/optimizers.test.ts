import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { cosineAnnealing, LrScheduler } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';
import { RMSProp } from './rmsprop.js';
import { SGD } from './sgd.js';

/**
 * Each optimizer's first steps are checked against PyTorch's documented update written out
 * per scalar (torch.optim docs, "Algorithm" boxes), with gradients fed in by hand so the
 * update rule alone is tested.
 */
const theta0 = [1, -2];
const grads = [
  [0.5, -1],
  [0.2, 0.4],
  [-0.3, 0.1],
];

function run(make: (p: Tensor) => Optimizer): number[][] {
  const p = Tensor.from(theta0, [2], 'float64');
  p.requiresGrad = true;
  const opt = make(p);
  return grads.map((g) => {
    opt.zeroGrad();
    p.accumulateGrad(Float64Array.from(g));
    opt.step();
    return Array.from(p.data);
  });
}

/** Applies a scalar update rule element by element: rule(θ, g, state, t) -> θ'. */
function reference<S>(init: () => S, rule: (theta: number, g: number, s: S, t: number) => number): number[][] {
  const theta = [...theta0];
  const states = theta0.map(init);
  return grads.map((g, k) => {
    for (let i = 0; i < theta.length; i++) theta[i] = rule(theta[i], g[i], states[i], k + 1);
    return [...theta];
  });
}

function expectClose(actual: number[][], expected: number[][], digits = 13): void {
  actual.forEach((row, k) => row.forEach((v, i) => expect(v, `step ${k + 1}, element ${i}`).toBeCloseTo(expected[k][i], digits)));
}

describe('SGD', () => {
  it('plain: θ ← θ − lr ∇', () => {
    expect(run((p) => new SGD([p], { lr: 0.1 }))[0]).toEqual([0.95, -1.9]);
  });

  it('momentum with dampening and weight decay', () => {
    const [mu, damp, wd, lr] = [0.9, 0.1, 0.01, 0.1];
    const expected = reference(
      () => ({ b: NaN }),
      (th, g0, s, t) => {
        const g = g0 + wd * th;
        s.b = t === 1 ? g : mu * s.b + (1 - damp) * g;
        return th - lr * s.b;
      },
    );
    expectClose(run((p) => new SGD([p], { lr, momentum: mu, dampening: damp, weightDecay: wd })), expected);
    // Step 2 by hand for element 0: g1 = 0.51, b1 = 0.51, θ1 = 0.949; g2 = 0.2 + 0.00949, b2 = 0.459 + 0.9 g2.
    const g2 = 0.2 + 0.01 * 0.949;
    expect(expected[1][0]).toBeCloseTo(0.949 - 0.1 * (0.9 * 0.51 + 0.9 * g2), 14);
  });

  it('Nesterov', () => {
    const [mu, lr] = [0.8, 0.05];
    const expected = reference(
      () => ({ b: 0 }),
      (th, g, s, t) => {
        s.b = t === 1 ? g : mu * s.b + g;
        return th - lr * (g + mu * s.b);
      },
    );
    expectClose(run((p) => new SGD([p], { lr, momentum: mu, nesterov: true })), expected);
    expect(expected[0][0]).toBeCloseTo(1 - 0.05 * 0.5 * 1.8, 14);
    expect(() => new SGD([Tensor.zeros([1])], { nesterov: true })).toThrow(/Nesterov momentum needs momentum > 0 and dampening 0/);
  });
});

describe('Adam and AdamW', () => {
  const [b1, b2, eps, lr] = [0.9, 0.999, 1e-8, 0.01];
  const adamRule = (wd: number, decoupled: boolean, amsgrad: boolean) => (th: number, g0: number, s: { m: number; v: number; vMax: number }, t: number) => {
    if (decoupled) th *= 1 - lr * wd;
    const g = decoupled ? g0 : g0 + wd * th;
    s.m = b1 * s.m + (1 - b1) * g;
    s.v = b2 * s.v + (1 - b2) * g * g;
    s.vMax = Math.max(s.vMax, s.v);
    const mHat = s.m / (1 - b1 ** t);
    const vHat = (amsgrad ? s.vMax : s.v) / (1 - b2 ** t);
    // PyTorch adds ε to √v / √(1 − β₂ᵗ), i.e. to √v̂.
    return th - (lr * mHat) / (Math.sqrt(vHat) + eps);
  };
  const init = () => ({ m: 0, v: 0, vMax: 0 });

  it('Adam with L2 weight decay; its first step moves each element by lr against the sign of the gradient', () => {
    const actual = run((p) => new Adam([p], { lr, weightDecay: 0.1 }));
    expectClose(actual, reference(init, adamRule(0.1, false, false)));
    const plain = run((p) => new Adam([p], { lr }));
    expect(plain[0][0]).toBeCloseTo(1 - lr, 8);
    expect(plain[0][1]).toBeCloseTo(-2 + lr, 8);
    // Step 1 exactly: m̂ = 0.5, v̂ = 0.25. Step 2 by hand, element 0: m = 0.065, v = 0.00028975.
    const theta1 = 1 - (lr * 0.5) / (0.5 + eps);
    expect(plain[0][0]).toBeCloseTo(theta1, 15);
    const mHat = 0.065 / (1 - 0.81);
    const vHat = 0.00028975 / (1 - 0.999 ** 2);
    expect(plain[1][0]).toBeCloseTo(theta1 - (lr * mHat) / (Math.sqrt(vHat) + eps), 14);
  });

  it('Adam with amsgrad keeps the running maximum of v', () => {
    expectClose(run((p) => new Adam([p], { lr, amsgrad: true })), reference(init, adamRule(0, false, true)));
    // With β₂ = 0.5, v of element 1 falls after the large first gradient (v₁ = 0.5, v₂ = 0.33), so amsgrad differs from step 2.
    const withMax = run((p) => new Adam([p], { lr, betas: [0.9, 0.5], amsgrad: true }));
    const without = run((p) => new Adam([p], { lr, betas: [0.9, 0.5] }));
    expect(withMax[0][1]).toBe(without[0][1]);
    expect(Math.abs(withMax[1][1] - without[1][1])).toBeGreaterThan(1e-4);
  });

  it('AdamW decays the weights before the Adam step, default weight decay 1e-2', () => {
    expectClose(run((p) => new AdamW([p], { lr })), reference(init, adamRule(1e-2, true, false)));
    expectClose(run((p) => new AdamW([p], { lr, weightDecay: 0.5, amsgrad: true })), reference(init, adamRule(0.5, true, true)));
    expect(new AdamW([Tensor.zeros([1])]).name).toBe('AdamW');
    expect(() => new AdamW([Tensor.zeros([1])], { betas: [1, 0.9] })).toThrow("AdamW: option 'betas[0]' must be a finite number in [0, 1), got 1 (number)");
  });
});

describe('RMSProp', () => {
  const [alpha, eps, lr] = [0.9, 1e-8, 0.01];
  it('plain: θ ← θ − lr g / (√s + ε)', () => {
    const expected = reference(
      () => ({ s: 0 }),
      (th, g, st) => {
        st.s = alpha * st.s + (1 - alpha) * g * g;
        return th - (lr * g) / (Math.sqrt(st.s) + eps);
      },
    );
    expectClose(run((p) => new RMSProp([p], { lr, alpha })), expected);
    // First step by hand: s = 0.1 g², so the step is lr / √0.1 against the gradient's sign.
    expect(expected[0][0]).toBeCloseTo(1 - lr / Math.sqrt(0.1), 6);
  });

  it('centered, with momentum and weight decay', () => {
    const [mu, wd] = [0.5, 0.05];
    const expected = reference(
      () => ({ s: 0, gAvg: 0, b: 0 }),
      (th, g0, st) => {
        const g = g0 + wd * th;
        st.s = alpha * st.s + (1 - alpha) * g * g;
        st.gAvg = alpha * st.gAvg + (1 - alpha) * g;
        const d = Math.sqrt(st.s - st.gAvg * st.gAvg) + eps;
        st.b = mu * st.b + g / d;
        return th - lr * st.b;
      },
    );
    expectClose(run((p) => new RMSProp([p], { lr, alpha, momentum: mu, weightDecay: wd, centered: true })), expected, 11);
  });
});

describe('Adagrad', () => {
  it('accumulates squared gradients, with learning-rate decay and an initial accumulator', () => {
    const [lr, lrDecay, init, eps, wd] = [0.1, 0.5, 0.2, 1e-10, 0.01];
    const expected = reference(
      () => ({ sum: init }),
      (th, g0, st, t) => {
        const g = g0 + wd * th;
        st.sum += g * g;
        return th - ((lr / (1 + (t - 1) * lrDecay)) * g) / (Math.sqrt(st.sum) + eps);
      },
    );
    expectClose(run((p) => new Adagrad([p], { lr, lrDecay, initialAccumulatorValue: init, weightDecay: wd })), expected);
    // First step by hand for the plain rule: g / √(g²) = sign(g).
    expect(run((p) => new Adagrad([p], { lr: 0.1 }))[0][0]).toBeCloseTo(0.9, 9);
  });
});

/** f(θ) = ½ Σ a_i (θ_i − c_i)², an ill-conditioned bowl (curvatures 1 and 25). */
function minimiseQuadratic(make: (p: Tensor) => Optimizer, steps: number, schedule?: (opt: Optimizer) => LrScheduler): number {
  const a = [1, 25];
  const c = [3, -2];
  const p = Tensor.zeros([2], 'float64', true);
  const opt = make(p);
  const scheduler = schedule?.(opt);
  for (let k = 0; k < steps; k++) {
    opt.zeroGrad();
    p.accumulateGrad(Float64Array.from(a, (ai, i) => ai * (p.data[i] - c[i])));
    opt.step();
    scheduler?.step();
  }
  return Math.hypot(p.data[0] - c[0], p.data[1] - c[1]);
}

describe('every optimizer minimises a quadratic', () => {
  // Start 3.6 from the minimum; each must end within 1e-3 of it.
  it.each([
    ['SGD', (p: Tensor) => new SGD([p], { lr: 0.03 }), 500],
    ['SGD + Nesterov', (p: Tensor) => new SGD([p], { lr: 0.02, momentum: 0.9, nesterov: true }), 300],
    ['Adagrad', (p: Tensor) => new Adagrad([p], { lr: 1 }), 500],
  ] as const)('%s', (_, make, steps) => {
    expect(minimiseQuadratic(make, steps)).toBeLessThan(1e-3);
  });

  // Adam and RMSProp take steps of about lr near the minimum; a cosine schedule lets them settle.
  it.each([
    ['Adam', (p: Tensor) => new Adam([p], { lr: 0.1 })],
    ['Adam amsgrad', (p: Tensor) => new Adam([p], { lr: 0.1, amsgrad: true })],
    ['AdamW (no decay)', (p: Tensor) => new AdamW([p], { lr: 0.1, weightDecay: 0 })],
    ['RMSProp', (p: Tensor) => new RMSProp([p], { lr: 0.05 })],
    ['RMSProp centered + momentum', (p: Tensor) => new RMSProp([p], { lr: 0.01, momentum: 0.5, centered: true })],
  ] as const)('%s', (_, make) => {
    expect(minimiseQuadratic(make, 1000, (opt) => new LrScheduler(opt, cosineAnnealing(opt.lr, 1000)))).toBeLessThan(1e-3);
  });
});

describe('optimizer state', () => {
  const makers: Array<[string, (p: Tensor[]) => Optimizer]> = [
    ['SGD', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
    ['Adam', (p) => new Adam(p, { lr: 0.1, amsgrad: true })],
    ['AdamW', (p) => new AdamW(p, { lr: 0.1 })],
    ['RMSProp', (p) => new RMSProp(p, { lr: 0.1, momentum: 0.3, centered: true })],
    ['Adagrad', (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.1 })],
  ];

  it.each(makers)('%s: a state dict restored into a fresh optimizer continues identically', (_, make) => {
    const gradAt = (k: number) => Float64Array.of(Math.sin(k), Math.cos(3 * k), 0.5 - k / 10);
    const a = Tensor.from([0.1, 0.2, 0.3], [3], 'float64');
    const optA = make([a]);
    for (let k = 0; k < 3; k++) {
      optA.zeroGrad();
      a.accumulateGrad(gradAt(k));
      optA.step();
    }
    const dict = optA.stateDict();
    const b = a.clone();
    const optB = make([b]);
    optB.lr = 123; // overwritten by the state dict
    optB.loadStateDict(JSON.parse(JSON.stringify(dict, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))));
    expect(optB.lr).toBe(0.1);
    for (let k = 3; k < 6; k++) {
      for (const [p, opt] of [
        [a, optA],
        [b, optB],
      ] as const) {
        opt.zeroGrad();
        p.accumulateGrad(gradAt(k));
        opt.step();
      }
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
    }
    // The exported dict is a copy: stepping did not change it.
    expect(dict.params[0]!.step).toBe(3);
  });

  it('skips parameters without a gradient and rejects mismatched state', () => {
    const p = Tensor.from([1, 2], [2], 'float64');
    const q = Tensor.from([3], [1], 'float64');
    const opt = new Adam([p, q], { lr: 0.1 });
    p.accumulateGrad(Float64Array.of(1, 1));
    opt.step();
    expect(Array.from(q.data)).toEqual([3]);
    expect(opt.stateDict().params[1]).toBeNull();
    opt.zeroGrad();
    expect(p.grad).toBeNull();
    expect(() => new SGD([p, q]).loadStateDict(opt.stateDict())).toThrow(/expected a state dict of a SGD optimizer, got one of "Adam"/);
    expect(() => new Adam([p]).loadStateDict(opt.stateDict())).toThrow(/state has 2 parameters, expected 1/);
    expect(() => new Adam([p, p])).toThrow(/params\[1\].*appears twice/);
    expect(() => {
      opt.lr = -1;
    }).toThrow("Adam: option 'lr' must be a finite number ≥ 0, got -1 (number)");
  });
});

describe('float32 parameters', () => {
  it.each([
    ['SGD', (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
    ['Adam', (p: Tensor[]) => new Adam(p, { lr: 0.1 })],
    ['RMSProp', (p: Tensor[]) => new RMSProp(p, { lr: 0.01, centered: true })],
    ['Adagrad', (p: Tensor[]) => new Adagrad(p, { lr: 0.1 })],
  ] as const)('%s keeps float32 state and tracks the float64 run to float32 precision', (_, make) => {
    const p32 = Tensor.from([0.5, -1.5, 2], [3], 'float32');
    const p64 = Tensor.from(p32.data, [3], 'float64');
    const [o32, o64] = [make([p32]), make([p64])];
    for (let k = 0; k < 5; k++) {
      for (const [p, o] of [
        [p32, o32],
        [p64, o64],
      ] as const) {
        o.zeroGrad();
        p.accumulateGrad(Float64Array.from(p.data, (v) => 2 * v));
        o.step();
      }
    }
    expect(p32.data).toBeInstanceOf(Float32Array);
    for (const buf of Object.values(o32.stateDict().params[0]!.buffers)) expect(buf).toBeInstanceOf(Float32Array);
    p64.data.forEach((v, i) => expect(Math.abs(p32.data[i] - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
  });
});
