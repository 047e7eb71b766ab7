import { describe, expect, it } from 'vitest';
import { EnvError, readEnvChoice, readEnvInt } from './env.js';
import { OptionError } from './errors.js';

const ISAS = ['avx512', 'avx2', 'scalar'] as const;

describe('readEnvChoice', () => {
  it('returns an accepted value, undefined when unset or empty', () => {
    expect(readEnvChoice('RECURRENT_ISA', ISAS, { RECURRENT_ISA: 'avx2' })).toBe('avx2');
    expect(readEnvChoice('RECURRENT_ISA', ISAS, {})).toBeUndefined();
    expect(readEnvChoice('RECURRENT_ISA', ISAS, { RECURRENT_ISA: '' })).toBeUndefined();
  });

  it('rejects anything else, case and suffix included, naming the value and the accepted ones', () => {
    for (const bad of ['garbage', 'AVX2', 'avx512f', ' avx2']) {
      expect(() => readEnvChoice('RECURRENT_ISA', ISAS, { RECURRENT_ISA: bad })).toThrow(
        new EnvError(`RECURRENT_ISA='${bad}' is not accepted; expected one of avx512, avx2, scalar`),
      );
    }
  });

  it('throws an EnvError, which is an OptionError', () => {
    let caught: unknown;
    try {
      readEnvChoice('RECURRENT_BACKEND', ['ts'], { RECURRENT_BACKEND: 'garbage' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EnvError);
    expect(caught).toBeInstanceOf(OptionError);
    expect((caught as Error).name).toBe('EnvError');
  });
});

describe('readEnvInt', () => {
  const range = { min: 0, max: 1000 };

  it('returns a decimal integer in range, undefined when unset or empty', () => {
    expect(readEnvInt('N', range, { N: '0' })).toBe(0);
    expect(readEnvInt('N', range, { N: '1000' })).toBe(1000);
    expect(readEnvInt('N', { min: -5, max: 5 }, { N: '-5' })).toBe(-5);
    expect(readEnvInt('N', range, {})).toBeUndefined();
    expect(readEnvInt('N', range, { N: '' })).toBeUndefined();
  });

  it('rejects trailing text, other notations and values out of range', () => {
    for (const bad of ['-5abc', '5abc', '1e2', '0x10', '2.5', ' 5', '+5', '-1', '1001', 'NaN']) {
      expect(() => readEnvInt('N', range, { N: bad })).toThrow(new EnvError(`N='${bad}' is not accepted; expected an integer from 0 to 1000`));
    }
  });
});
