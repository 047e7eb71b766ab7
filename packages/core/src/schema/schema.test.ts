import { describe, expect, it } from 'vitest';
import { OptionError } from '../errors.js';
import { Adagrad } from '../optim/adagrad.js';
import { Adam } from '../optim/adam.js';
import { RMSProp } from '../optim/rmsprop.js';
import { Tensor } from '../tensor.js';
import { array, bool, checkTensorSize, finite, int, object, oneOf, parse, parseArgument, tuple, type Infer } from './index.js';

const where = 'Thing';
const schema = object(
  {
    size: int({ min: 1 }),
    flag: bool().default(false),
    mode: oneOf(['a', 'b']).optional(),
    nested: object({ scale: finite({ min: 0, exclusiveMin: true }).default(1) }).default(() => ({ scale: 1 })),
    list: array(int({ min: 0 })).optional(),
    pair: tuple([finite(), finite()]).optional(),
  },
  { where: (o) => (o.mode === 'b' && o.flag ? "mode 'b' cannot combine with flag" : undefined) },
);

describe('schema', () => {
  it('fills defaults and leaves optional fields without one absent', () => {
    expect(parse(where, schema, { size: 2 })).toEqual({ size: 2, flag: false, nested: { scale: 1 } });
    expect(parse(where, schema, { size: 2, nested: {}, mode: 'a', list: [0, 3] })).toEqual({ size: 2, flag: false, mode: 'a', nested: { scale: 1 }, list: [0, 3] });
  });

  it('names the function, the option path, the value and what is accepted', () => {
    const cases: Array<[unknown, string]> = [
      [{ size: 1.5 }, "Thing: option 'size' must be an integer ≥ 1, got 1.5 (number)"],
      [{ size: 1, flag: 1 }, "Thing: option 'flag' must be a boolean, got 1 (number)"],
      [{ size: 1, nested: { scale: 0 } }, "Thing: option 'nested.scale' must be a finite number > 0, got 0 (number)"],
      [{ size: 1, list: [1, -1] }, "Thing: option 'list[1]' must be an integer ≥ 0, got -1 (number)"],
      [{ size: 1, pair: [1, Infinity] }, "Thing: option 'pair[1]' must be a finite number, got Infinity (number)"],
      [{ size: 1, sise: 2 }, "Thing: unknown option 'sise'; did you mean 'size'? expected one of size, flag, mode, nested, list, pair"],
      [{ size: 1, Flag: true }, "Thing: unknown option 'Flag'; did you mean 'flag'? expected one of size, flag, mode, nested, list, pair"],
      [{ size: 1, zzz: 2 }, "Thing: unknown option 'zzz'; expected one of size, flag, mode, nested, list, pair"],
      [{ size: 1, nested: { scal: 2 } }, "Thing: unknown option 'nested.scal'; did you mean 'scale'? expected one of scale"],
      [{ size: 1, mode: 'b', flag: true }, "Thing: mode 'b' cannot combine with flag"],
      [null, 'Thing: options must be an object, got null'],
      [[1], 'Thing: options must be an object, got [1] (array)'],
      [{}, "Thing: option 'size' must be an integer ≥ 1, got undefined"],
    ];
    for (const [value, message] of cases) {
      let caught: unknown;
      try {
        parse(where, schema, value);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(OptionError);
      expect((caught as Error).message).toBe(message);
    }
    expect(() => parseArgument('f', 'n', int(), NaN)).toThrow("f: argument 'n' must be an integer, got NaN (number)");
  });

  it('records what it rejected on the error', () => {
    try {
      parse(where, schema, { size: 1, nested: { scale: NaN } });
    } catch (e) {
      expect((e as OptionError).detail).toEqual({ where, option: 'nested.scale', value: NaN, expected: 'a finite number > 0' });
    }
  });

  it('derives the options type from the schema (compile-time check)', () => {
    type T = Infer<typeof schema>;
    const ok: T = { size: 1 };
    // @ts-expect-error size is required
    const missing: T = { flag: true };
    // @ts-expect-error unknown keys are not part of the type
    const extra: T = { size: 1, sise: 2 };
    expect([ok, missing, extra]).toHaveLength(3);
  });

  it('checkTensorSize refuses more than 2^31 − 1 elements or 8 GiB', () => {
    expect(() => checkTensorSize('f', 'n', [2 ** 31 - 1], 1)).not.toThrow();
    expect(() => checkTensorSize('f', 'n', [2 ** 31], 1)).toThrow("f: option 'n' makes a tensor of shape [2147483648]");
    expect(() => checkTensorSize('f', 'n', [2 ** 30, 2], 8)).toThrow('16.0 GiB');
  });

  it('found by the property test: eps 0 is refused (0/0 gave NaN weights for a zero gradient)', () => {
    const p = Tensor.zeros([2]);
    for (const make of [() => new Adam([p], { eps: 0 }), () => new RMSProp([p], { eps: 0 }), () => new Adagrad([p], { eps: 0 })]) {
      expect(make).toThrow(/option 'eps' must be a finite number > 0, got 0 \(number\)/);
    }
  });
});
