import { OptionError } from '../errors.js';
import { isPlainObject } from './primitives.js';
import { childAt, fail, nameOf, Schema, type AnySchema, type At, type Infer, type Parsed } from './schema.js';

export type Shape = Record<string, AnySchema>;

type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** What callers pass: fields whose schema accepts undefined may be left out. */
export type ObjectIn<S extends Shape> = Flatten<{ [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;
type MaybeKeys<S extends Shape> = { [K in keyof S]: undefined extends Parsed<S[K]> ? K : never }[keyof S];
/** What parse returns: defaults filled in, optional fields without a default possibly absent. */
export type ObjectOut<S extends Shape> = Flatten<{ [K in Exclude<keyof S, MaybeKeys<S>>]: Parsed<S[K]> } & { [K in MaybeKeys<S>]?: Parsed<S[K]> }>;

export interface ObjectRules<S extends Shape> {
  /** A rule across fields: return a reason to reject, e.g. "coupled cannot combine with noInputGate". */
  where?: (o: ObjectOut<S>) => string | undefined;
  /** Keys that are planned but not supported yet, each with the reason (rejected with that reason, not as unknown). */
  unsupported?: Record<string, string>;
}

export interface ObjectSchema<S extends Shape> extends Schema<ObjectIn<S>, ObjectOut<S>> {
  readonly shape: S;
  readonly keys: readonly (keyof S & string)[];
}

/**
 * A plain object with exactly the fields of `shape`: unknown keys are rejected, naming the
 * accepted ones; each field is checked at its dotted path. Fields are checked in `shape`'s
 * order, so the first bad one is reported.
 */
export function object<S extends Shape>(shape: S, rules: ObjectRules<S> = {}): ObjectSchema<S> {
  const keys = Object.keys(shape) as (keyof S & string)[];
  const expected = keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`;
  const schema = new Schema<ObjectIn<S>, ObjectOut<S>>(expected, (v, at) => {
    if (!isPlainObject(v)) return fail(at, at.path === '' ? 'an object' : expected, v);
    for (const k of Object.keys(v)) {
      if (Object.prototype.hasOwnProperty.call(shape, k)) continue;
      const planned = rules.unsupported?.[k];
      if (planned !== undefined) throw new OptionError(`${at.where}: ${nameOf(childAt(at, k))} is not supported: ${planned}`, { where: at.where, option: childAt(at, k).path, value: v[k], expected });
      throw unknownKey(at, k, keys, v[k]);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const value = shape[k]!.check(v[k], childAt(at, k));
      if (value !== undefined) out[k] = value;
    }
    const reason = rules.where?.(out as ObjectOut<S>);
    if (reason !== undefined) throw new OptionError(`${at.where}: ${reason}`, { where: at.where, option: at.path, value: v, expected });
    return out as ObjectOut<S>;
  });
  return Object.assign(schema, { shape, keys }) as ObjectSchema<S>;
}

function unknownKey(at: At, key: string, keys: readonly string[], value: unknown): OptionError {
  const name = nameOf(childAt({ ...at, label: 'option' }, key));
  const accepted = keys.length === 0 ? 'no options are accepted' : `expected one of ${keys.join(', ')}`;
  const near = nearest(key, keys);
  const hint = near === undefined ? '' : `did you mean '${near}'? `;
  return new OptionError(`${at.where}: unknown ${name}; ${hint}${accepted}`, { where: at.where, option: childAt(at, key).path, value, expected: accepted });
}

/** The accepted key that `key` most likely misspells: same letters up to case and _/-, or 1–2 edits away. */
function nearest(key: string, keys: readonly string[]): string | undefined {
  const norm = (k: string) => k.toLowerCase().replace(/[_-]/g, '');
  const exact = keys.find((k) => norm(k) === norm(key));
  if (exact !== undefined) return exact;
  if (key.length < 4) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of keys) {
    const d = editDistance(norm(k), norm(key));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
