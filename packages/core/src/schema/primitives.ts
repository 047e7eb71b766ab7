/** Schemas of single values. Each names what it accepts, for the message of a rejection. */
import { childAt, fail, Schema, type AnySchema, type Infer, type Parsed } from './schema.js';

export function bool(): Schema<boolean> {
  return new Schema('a boolean', (v, at) => (typeof v === 'boolean' ? v : fail(at, 'a boolean', v)));
}

export function string(): Schema<string> {
  return new Schema('a string', (v, at) => (typeof v === 'string' ? v : fail(at, 'a string', v)));
}

export interface IntRange {
  min?: number;
  max?: number;
}

/** A safe integer in [min, max] (no NaN, no ±Infinity, no 1.5). */
export function int(range: IntRange = {}): Schema<number> {
  const { min, max } = range;
  const expected = `an integer${rangeText(min, max, false, false)}`;
  return new Schema(expected, (v, at) =>
    typeof v === 'number' && Number.isSafeInteger(v) && (min === undefined || v >= min) && (max === undefined || v <= max) ? v : fail(at, expected, v),
  );
}

export interface NumberRange {
  min?: number;
  max?: number;
  /** Excludes min itself: (min, …). */
  exclusiveMin?: boolean;
  /** Excludes max itself: (…, max). */
  exclusiveMax?: boolean;
  /** Also accept +Infinity (e.g. a norm order). */
  allowInfinity?: boolean;
}

/** A finite number (no NaN) in the range. */
export function finite(range: NumberRange = {}): Schema<number> {
  const { min, max, exclusiveMin = false, exclusiveMax = false, allowInfinity = false } = range;
  const base = allowInfinity ? 'a number' : 'a finite number';
  const expected = `${base}${rangeText(min, max, exclusiveMin, exclusiveMax)}${allowInfinity ? ' or Infinity' : ''}`;
  return new Schema(expected, (v, at) => {
    if (typeof v !== 'number' || Number.isNaN(v)) return fail(at, expected, v);
    if (v === Infinity && allowInfinity) return v;
    const ok =
      Number.isFinite(v) &&
      (min === undefined || (exclusiveMin ? v > min : v >= min)) &&
      (max === undefined || (exclusiveMax ? v < max : v <= max));
    return ok ? v : fail(at, expected, v);
  });
}

function rangeText(min: number | undefined, max: number | undefined, exMin: boolean, exMax: boolean): string {
  if (min !== undefined && max !== undefined) return ` in ${exMin ? '(' : '['}${min}, ${max}${exMax ? ')' : ']'}`;
  if (min !== undefined) return ` ${exMin ? '>' : '≥'} ${min}`;
  if (max !== undefined) return ` ${exMax ? '<' : '≤'} ${max}`;
  return '';
}

/** One of a few literal values, e.g. oneOf(['tanh', 'relu'] as const). */
export function oneOf<const T extends readonly (string | number | boolean)[]>(values: T): Schema<T[number]> {
  const expected = `one of ${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}`;
  return new Schema(expected, (v, at) => (values.includes(v as T[number]) ? (v as T[number]) : fail(at, expected, v)));
}

/** A function; `F` is its TypeScript type (not checked at run time beyond being callable). */
export function func<F extends (...args: never[]) => unknown = (...args: unknown[]) => unknown>(expected = 'a function'): Schema<F> {
  return new Schema(expected, (v, at) => (typeof v === 'function' ? (v as F) : fail(at, expected, v)));
}

/** An instance of one of the classes (e.g. typed arrays, Tensor, AbortSignal). */
export function instance<const C extends readonly (abstract new (...args: never[]) => unknown)[]>(...classes: C): Schema<InstanceType<C[number]>> {
  const expected = classes.map((c) => `${/^[AEIOU]/.test(c.name) ? 'an' : 'a'} ${c.name}`).join(' or ');
  return new Schema(expected, (v, at) => (classes.some((c) => v instanceof c) ? (v as InstanceType<C[number]>) : fail(at, expected, v)));
}

/** Any value `test` accepts, described as `expected` (duck types such as "a Module"). */
export function custom<T>(expected: string, test: (v: unknown) => boolean): Schema<T> {
  return new Schema(expected, (v, at) => (test(v) ? (v as T) : fail(at, expected, v)));
}

export interface LengthRange {
  minLength?: number;
  maxLength?: number;
}

/** An array whose every element passes `item` (elements' paths are `name[3]`). */
export function array<S extends AnySchema>(item: S, range: LengthRange = {}): Schema<readonly Infer<S>[], Parsed<S>[]> {
  const { minLength = 0, maxLength = Infinity } = range;
  const size = minLength === maxLength ? ` of ${minLength}` : minLength > 0 ? ` of at least ${minLength}` : '';
  const expected = `an array${size} of ${plural(item.expected)}`;
  return new Schema(expected, (v, at) => {
    if (!Array.isArray(v) || v.length < minLength || v.length > maxLength) return fail(at, expected, v);
    return v.map((x, i) => item.check(x, childAt(at, i)));
  });
}

/** A fixed-length array, e.g. tuple([finite(), finite()]) for betas. */
export function tuple<const S extends readonly AnySchema[]>(items: S): Schema<{ readonly [K in keyof S]: Infer<S[K]> }, { [K in keyof S]: Parsed<S[K]> }> {
  const expected = `an array [${items.map((s) => s.expected).join(', ')}]`;
  return new Schema(expected, (v, at) => {
    if (!Array.isArray(v) || v.length !== items.length) return fail(at, expected, v);
    return items.map((s, i) => s.check(v[i], childAt(at, i))) as { [K in keyof S]: Parsed<S[K]> };
  });
}

/** An object with any keys whose values all pass `value` (e.g. free-form metadata). */
export function record<S extends AnySchema>(value: S): Schema<Record<string, Infer<S>>, Record<string, Parsed<S>>> {
  const expected = `an object of ${plural(value.expected)}`;
  return new Schema(expected, (v, at) => {
    if (!isPlainObject(v)) return fail(at, expected, v);
    const out: Record<string, Parsed<S>> = {};
    for (const [k, x] of Object.entries(v)) out[k] = value.check(x, childAt(at, k));
    return out;
  });
}

/**
 * A union told apart by one string field, e.g. tagged('kind', { rnn: object({...}), gru: object({...}) }):
 * the tag picks the case, whose schema (with the tag field in it) checks the rest.
 */
export function tagged<const C extends Record<string, AnySchema>>(tag: string, cases: C): Schema<Infer<C[keyof C]>, Parsed<C[keyof C]>> {
  const tags = Object.keys(cases);
  const expected = `an object with ${tag} one of ${tags.map((t) => `'${t}'`).join(', ')}`;
  return new Schema(expected, (v, at) => {
    if (!isPlainObject(v)) return fail(at, expected, v);
    const t = v[tag];
    if (typeof t !== 'string' || !Object.prototype.hasOwnProperty.call(cases, t)) return fail(childAt(at, tag), `one of ${tags.map((x) => `'${x}'`).join(', ')}`, t);
    return cases[t]!.check(v, at);
  });
}

/** The first alternative that accepts the value; otherwise an error naming all of them. */
export function anyOf<const S extends readonly AnySchema[]>(alternatives: S): Schema<Infer<S[number]>, Parsed<S[number]>> {
  const expected = alternatives.map((s) => s.expected).join(' or ');
  return new Schema(expected, (v, at) => {
    for (const s of alternatives) {
      try {
        return s.check(v, at);
      } catch {
        // try the next
      }
    }
    return fail(at, expected, v);
  });
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** 'a boolean' → 'booleans', 'an integer ≥ 1' → 'integers ≥ 1' (for "an array of …"). */
function plural(expected: string): string {
  const m = /^an? (\S+)(.*)$/.exec(expected);
  return m ? `${m[1]}s${m[2]}` : expected;
}
