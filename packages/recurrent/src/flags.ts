import { OptionError } from '@recurrent/core';

export interface FlagSpec {
  type: 'number' | 'string';
  default: number | string;
  help: string;
}

type FlagValues<S extends Record<string, FlagSpec>> = { [K in keyof S]: S[K]['type'] extends 'number' ? number : string };

/** Parses `--name value` and `--name=value` flags; unknown flags and bad numbers are errors. */
export function parseFlags<S extends Record<string, FlagSpec>>(command: string, argv: string[], specs: S): FlagValues<S> {
  const values: Record<string, number | string> = {};
  for (const [k, s] of Object.entries(specs)) values[k] = s.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(`usage: recurrent ${command} [flags]\n${Object.entries(specs).map(([k, s]) => `  --${k.padEnd(16)} ${s.help} (default ${s.default})`).join('\n')}`);
      process.exit(0);
    }
    if (!arg.startsWith('--')) throw new OptionError(`${command}: unexpected argument '${arg}'; flags look like --seconds 30`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs[name];
    if (!spec) throw new OptionError(`${command}: unknown flag --${name}; expected one of ${Object.keys(specs).map((k) => `--${k}`).join(', ')}`);
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new OptionError(`${command}: --${name} needs a value`);
    if (spec.type === 'number') {
      const v = Number(raw);
      if (!Number.isFinite(v)) throw new OptionError(`${command}: --${name} must be a number, got '${raw}'`);
      values[name] = v;
    } else {
      values[name] = raw;
    }
  }
  return values as FlagValues<S>;
}
