/**
 * Embedding ids follow one rule on every backend (the native binding's): an Int32Array of ids
 * in [0, numEmbeddings). Before, the TypeScript backend read [1.5] across rows and NaN as zeros.
 * The embedding op meets the kernels' contract (TypeError / RangeError, the same message on every
 * backend); the Embedding layer checks first and names itself with an OptionError.
 */
import { describe, expect, it } from 'vitest';
import { Embedding, embedding, OptionError, setBackend } from '@recurrent/core';
import { chosenBackends } from './helpers/backends.js';

const backends = await chosenBackends();

describe.each(backends)('the embedding op (kernel contract) on $label', ({ backend, dtype }) => {
  const cases: Array<[string, unknown, ErrorConstructor, string]> = [
    ['a float id in a plain array', [1.5], TypeError, 'embeddingForward: ids: expected an Int32Array, got Array'],
    ['a float id in a Float64Array', Float64Array.of(1.5), TypeError, 'embeddingForward: ids: expected an Int32Array, got Float64Array of length 1'],
    ['NaN', [NaN], TypeError, 'embeddingForward: ids: expected an Int32Array, got Array'],
    ['a NaN number', NaN, TypeError, 'embeddingForward: ids: expected an Int32Array, got number NaN'],
    ['integers in a plain array', [0, 1], TypeError, 'embeddingForward: ids: expected an Int32Array, got Array'],
    ['a negative id', Int32Array.of(2, -1), RangeError, 'embeddingForward: id -1 at position 1 is outside [0, 10)'],
    ['an id past the end', Int32Array.of(10), RangeError, 'embeddingForward: id 10 at position 0 is outside [0, 10)'],
  ];
  for (const [what, ids, type, message] of cases) {
    it(`rejects ${what}`, () => {
      const previous = setBackend(backend);
      try {
        const layer = new Embedding(10, 3, { dtype, seed: 1 });
        let error: unknown = null;
        try {
          embedding(layer.weight, ids as Int32Array);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(type);
        // native prefixes its messages with 'recurrent native: ' and prints NaN as C++ does ('nan'); the rest is the same
        expect((error as Error).message.replace(/^recurrent native: /, '').replace('number nan', 'number NaN')).toBe(message);
      } finally {
        setBackend(previous);
      }
    });
  }

  it.each([
    ['a plain array', [1.5], "Embedding.forward: argument 'ids' must be an Int32Array, got [1.5] (array)"],
    ['NaN', NaN, "Embedding.forward: argument 'ids' must be an Int32Array, got NaN (number)"],
    ['a negative id', Int32Array.of(2, -1), "Embedding.forward: argument 'ids' holds -1 at position 1; expected ids in [0, 10)"],
    ['an id past the end', Int32Array.of(10), "Embedding.forward: argument 'ids' holds 10 at position 0; expected ids in [0, 10)"],
  ])('the layer refuses %s with an OptionError naming Embedding.forward', (_, ids, message) => {
    const previous = setBackend(backend);
    try {
      const layer = new Embedding(10, 3, { dtype, seed: 1 });
      expect(() => layer.forward(ids as Int32Array)).toThrow(OptionError);
      expect(() => layer.forward(ids as Int32Array)).toThrow(message);
    } finally {
      setBackend(previous);
    }
  });

  it('still reads the right rows for valid ids', () => {
    const previous = setBackend(backend);
    try {
      const layer = new Embedding(10, 3, { dtype, seed: 1 });
      const y = layer.forward(Int32Array.of(9, 0), [2]);
      const w = Array.from(layer.weight.data);
      expect(Array.from(y.data)).toEqual([...w.slice(27, 30), ...w.slice(0, 3)]);
    } finally {
      setBackend(previous);
    }
  });
});
