/**
 * PyTorch (test/fixtures/torch) and ONNX Runtime-checked (test/fixtures/ort) reference cases:
 * every *.safetensors file in the folders is one case (see the READMEs there). Outputs, final
 * states and every gradient must agree within 1e-12 (float64) or 1e-5 (float32), as
 * max |ours − ref| / max |ref|. RECURRENT_TORCH_FIXTURES names another folder to run instead
 * (absolute, or relative to test/, where the suite runs); RECURRENT_BACKEND (ts, ts64, native)
 * picks one backend.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dot, add, loadStateDict, readSafetensorsFile, recordOn, setBackend, Tape, Tensor, type DType } from '@recurrent/core';
import { buildFixtureModel, type FixtureCase } from './helpers/fixture-model.js';
import { chosenBackends, relativeError } from './helpers/backends.js';

const here = dirname(fileURLToPath(import.meta.url));
const folders = process.env.RECURRENT_TORCH_FIXTURES
  ? [process.env.RECURRENT_TORCH_FIXTURES]
  : [join(here, 'fixtures/torch'), join(here, 'fixtures/ort')];
const files = folders.flatMap((f) => readdirSync(f).filter((n) => n.endsWith('.safetensors')).sort().map((n) => join(f, n)));
const backends = await chosenBackends();
// One line naming what ran, so a variable that did not arrive (turbo drops undeclared ones) shows.
console.log(`fixtures: ${folders.map((f) => relative(join(here, '..'), resolve(f)) || '.').join(', ')} on ${backends.map((b) => b.label).join(', ')} (${files.length} cases)`);

describe('reference fixtures', () => {
  it('finds cases', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const choice of backends) {
    for (const file of files) {
      it(`${choice.label}: ${file.split('/').slice(-2).join('/')}`, async () => {
        const previous = setBackend(choice.backend);
        try {
          const worst = await runCase(file, choice.dtype);
          const [name, err] = worst.reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0] as [string, number]);
          console.log(`${choice.label.padEnd(6)} ${file.split('/').slice(-2).join('/').padEnd(40)} worst ${err.toExponential(2)} (${name}) over ${worst.length} tensors`);
          const bad = worst.filter(([, e]) => !(e <= choice.tolerance));
          expect(bad, `tensors out of tolerance ${choice.tolerance}`).toEqual([]);
        } finally {
          setBackend(previous);
        }
      });
    }
  }
});

async function runCase(file: string, dtype: DType): Promise<Array<[string, number]>> {
  const st = await readSafetensorsFile(file, { float: 'float64' });
  const get = (name: string) => st.tensors.get(name);
  const fc: FixtureCase = { metadata: st.metadata };
  const model = buildFixtureModel(fc, dtype);
  const params = new Map<string, { shape: number[]; data: Float64Array }>();
  for (const [name, t] of st.tensors) if (name.startsWith('param.')) params.set(name.slice(6), { shape: t.shape, data: t.data as Float64Array });
  loadStateDict(model, params);
  const asTensor = (name: string, requiresGrad: boolean) => {
    const t = get(name);
    if (!t) return undefined;
    const out = Tensor.from(t.data as Float64Array, t.shape, dtype);
    out.requiresGrad = requiresGrad;
    return out;
  };
  const x = asTensor('input.x', true)!;
  const h0 = asTensor('input.h0', true);
  const c0 = asTensor('input.c0', true);
  const forwardOnly = st.metadata.forward_only === 'true';
  const tape = new Tape();
  const out = recordOn(tape, () => {
    const r = model.forwardSequence(x, { h0, c0 });
    if (forwardOnly) return { r, loss: null };
    let loss = add(dot(r.output, get('upstream.y')!.data as Float64Array), dot(r.hN, get('upstream.hn')!.data as Float64Array));
    if (r.cN) loss = add(loss, dot(r.cN, get('upstream.cn')!.data as Float64Array));
    return { r, loss };
  });
  const errors: Array<[string, number]> = [];
  const compare = (name: string, ours: ArrayLike<number> | null | undefined) => {
    const ref = get(name);
    if (!ref) return;
    errors.push([name, ours ? relativeError(ours, ref.data as Float64Array) : Infinity]);
  };
  compare('output.y', out.r.output.data);
  compare('output.hn', out.r.hN.data);
  compare('output.cn', out.r.cN?.data);
  if (out.loss) {
    tape.backward(out.loss);
    compare('grad.x', x.grad);
    compare('grad.h0', h0?.grad);
    compare('grad.c0', c0?.grad);
    for (const [name, p] of model.namedParameters()) compare(`grad.${name}`, p.grad);
    const expectedGrads = [...st.tensors.keys()].filter((k) => k.startsWith('grad.'));
    const missing = expectedGrads.filter((k) => !errors.some(([n]) => n === k));
    for (const k of missing) errors.push([k, Infinity]);
  }
  return errors;
}
