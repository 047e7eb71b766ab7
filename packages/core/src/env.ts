import { OptionError } from './errors.js';

/**
 * The one way the RECURRENT_* environment variables are read. Unset or empty means "not
 * given" (undefined); any other value must be accepted exactly (no case folding, no prefix,
 * no trailing text), else an EnvError names the variable, the value that came and what is
 * accepted: a mistyped variable must not silently run something else.
 */
export class EnvError extends OptionError {
  override name = 'EnvError';
}

type Env = Record<string, string | undefined>;

/** process.env where there is one (Node), else nothing is set. */
function processEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

function given(name: string, env: Env): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** The value of `name` when it is one of `accepted`, undefined when unset or empty. */
export function readEnvChoice<T extends string>(name: string, accepted: readonly T[], env: Env = processEnv()): T | undefined {
  const raw = given(name, env);
  if (raw === undefined) return undefined;
  if (!accepted.includes(raw as T)) {
    throw new EnvError(`${name}='${raw}' is not accepted; expected one of ${accepted.join(', ')}`);
  }
  return raw as T;
}

/** The value of `name` as a decimal integer in [min, max], undefined when unset or empty. */
export function readEnvInt(name: string, range: { min: number; max: number }, env: Env = processEnv()): number | undefined {
  const raw = given(name, env);
  if (raw === undefined) return undefined;
  const n = /^-?[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= range.min && n <= range.max)) {
    throw new EnvError(`${name}='${raw}' is not accepted; expected an integer from ${range.min} to ${range.max}`);
  }
  return n;
}
