import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EchoStateNetwork } from './esn.js';
import { deserializeEsn, loadEsn, saveEsn, serializeEsn } from './io.js';

describe('ESN save and load (safetensors)', () => {
  const s = Float64Array.from({ length: 600 }, (_, t) => Math.sin(t / 7) * 0.6);

  it('round-trips matrices, readout, state and options: the loaded network continues identically', async () => {
    const esn = new EchoStateNetwork({ units: 50, inputs: 1, outputs: 1, density: 0.1, biasScaling: 0.2, feedbackScaling: 0.3, leakRate: 0.7, seed: 9, readoutFeedback: true });
    esn.fit(s.subarray(0, 399), s.subarray(1, 400), { washout: 20 });
    const dir = mkdtempSync(join(tmpdir(), 'esn-io-'));
    try {
      const path = join(dir, 'esn.safetensors');
      await saveEsn(esn, path);
      const loaded = await loadEsn(path);
      expect(loaded.reservoir.config).toEqual(esn.reservoir.config);
      expect(loaded.readoutFeedback).toBe(true);
      expect(loaded.reservoir.W.values).toEqual(esn.reservoir.W.values);
      expect(loaded.reservoir.state).toEqual(esn.reservoir.state);
      // Same continuation, bit for bit.
      expect(loaded.generate(30)).toEqual(esn.generate(30));
      expect(loaded.run(s.subarray(400, 450))).toEqual(esn.run(s.subarray(400, 450)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps float32 reservoirs in float32 and saves unfitted networks', () => {
    const esn = new EchoStateNetwork({ units: 30, inputs: 2, precision: 'float32', seed: 2 });
    const back = deserializeEsn(serializeEsn(esn));
    expect(back.reservoir.W.values).toBeInstanceOf(Float32Array);
    expect(back.reservoir.Win).toEqual(esn.reservoir.Win);
    expect(back.isFitted).toBe(false);
  });

  it('refuses custom activations and foreign files with clear errors', () => {
    const esn = new EchoStateNetwork({ units: 5, inputs: 1, activation: (x) => x / (1 + Math.abs(x)) });
    expect(() => serializeEsn(esn)).toThrow(/custom activation function cannot be saved/);
    const other = serializeEsn(new EchoStateNetwork({ units: 5, inputs: 1 }));
    // Overwrite the format tag inside the JSON header with one of the same length.
    const bad = Uint8Array.from(other);
    const at = Buffer.from(bad).indexOf('recurrent-esn/1');
    expect(at).toBeGreaterThan(0);
    bad.set(new TextEncoder().encode('recurrent-xyz/1'), at);
    expect(() => deserializeEsn(bad)).toThrow(/not an ESN file: metadata format is "recurrent-xyz\/1"/);
  });
});
