// Run inside bench/: npx vitest run native/onnx
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { Message } from './protobuf.mjs';
import { lstmOnnxModel, torchToOnnxGates } from './lstm-model.mjs';
import { lstmForwardReference, maxAbsDiff } from '../lib/lstm-reference.mjs';
import { fillUniform } from '../lib/problems.mjs';

describe('protobuf Message', () => {
  it('encodes varints and length-delimited fields as the wire format specifies', () => {
    // The protobuf guide's examples: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
    expect([...new Message().int(1, 150).encode()]).toEqual([0x08, 0x96, 0x01]);
    expect([...new Message().string(2, 'testing').encode()]).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    expect([...new Message().int(20, 2).encode()]).toEqual([0xa0, 0x01, 0x02]); // tag 20·8 needs two bytes
  });

  it('rejects values it cannot encode', () => {
    expect(() => new Message().int(1, -1)).toThrow(/non-negative safe integer, got -1/);
  });
});

describe('lstmOnnxModel', () => {
  it('reorders gate blocks from i,f,g,o to i,o,f,c', () => {
    const H = 2;
    const src = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]); // blocks i,f,g,o of a [4H] vector
    expect([...torchToOnnxGates(src, H, 1)]).toEqual([0, 0, 3, 3, 1, 1, 2, 2]);
  });

  it('runs in ONNX Runtime and matches the float64 reference LSTM', async () => {
    const T = 5, B = 2, I = 3, H = 4;
    const x = fillUniform(new Float32Array(T * B * I), 11, 1); // [T, B, I]
    const weights = {
      wIh: fillUniform(new Float32Array(4 * H * I), 12, 0.7), // [4H, I]
      wHh: fillUniform(new Float32Array(4 * H * H), 13, 0.7), // [4H, H]
      bIh: fillUniform(new Float32Array(4 * H), 14, 0.7), // [4H]
      bHh: fillUniform(new Float32Array(4 * H), 15, 0.7), // [4H]
    };
    const session = await ort.InferenceSession.create(lstmOnnxModel({ I, H, weights }));
    const out = await session.run({ X: new ort.Tensor('float32', x, [T, B, I]) });
    expect(out.Y.dims).toEqual([T, 1, B, H]);
    const ref = lstmForwardReference({ T, B, I, H, x, weights });
    expect(maxAbsDiff(out.Y.data, ref)).toBeLessThan(1e-5);
    // Y_h is the last step of Y.
    expect(maxAbsDiff(out.Y_h.data, ref.subarray((T - 1) * B * H))).toBeLessThan(1e-5);
  });

  it('names the bad weight', () => {
    expect(() => lstmOnnxModel({ I: 3, H: 4, weights: { wIh: new Float32Array(5), wHh: null, bIh: null, bHh: null } }))
      .toThrow(/wIh must be a Float32Array of 48 values, got Float32Array of 5/);
  });
});
