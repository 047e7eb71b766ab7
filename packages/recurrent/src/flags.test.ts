import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';

const specs = {
  seconds: { type: 'number', default: 120, help: 'time' },
  name: { type: 'string', default: 'x', help: 'name' },
} as const;

describe('parseFlags', () => {
  it('reads --flag value and --flag=value, keeping defaults', () => {
    expect(parseFlags('cmd', ['--seconds', '30'], specs)).toEqual({ seconds: 30, name: 'x' });
    expect(parseFlags('cmd', ['--seconds=2.5', '--name=y'], specs)).toEqual({ seconds: 2.5, name: 'y' });
  });
  it('names what was expected on bad flags', () => {
    expect(() => parseFlags('cmd', ['--secs', '3'], specs)).toThrow('cmd: unknown flag --secs; expected one of --seconds, --name');
    expect(() => parseFlags('cmd', ['--seconds', 'soon'], specs)).toThrow("--seconds must be a number, got 'soon'");
    expect(() => parseFlags('cmd', ['--seconds'], specs)).toThrow('--seconds needs a value');
    expect(() => parseFlags('cmd', ['30'], specs)).toThrow("unexpected argument '30'");
  });
});
