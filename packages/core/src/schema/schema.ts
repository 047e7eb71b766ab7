import { OptionError } from '../errors.js';
import { describeValue } from './describe.js';

/** Where a value sits: the function checking it and the option's dotted path ('init.identityScale'). */
export interface At {
  readonly where: string;
  readonly path: string;
  /** 'option' inside an options object, 'argument' for a positional argument. */
  readonly label: 'option' | 'argument';
}

export function childAt(at: At, key: string | number): At {
  const part = typeof key === 'number' ? `[${key}]` : key;
  return { ...at, path: at.path === '' ? part : typeof key === 'number' ? `${at.path}${part}` : `${at.path}.${part}` };
}

/** The name of the checked thing in a message: "option 'init.identityScale'" or "options". */
export function nameOf(at: At): string {
  return at.path === '' ? (at.label === 'option' ? 'options' : 'the argument') : `${at.label} '${at.path}'`;
}

/** Throws the one message form: `LSTM: option 'batchFirst' must be a boolean, got 'false' (string)`. */
export function fail(at: At, expected: string, value: unknown): never {
  throw new OptionError(`${at.where}: ${nameOf(at)} must be ${expected}, got ${describeValue(value)}`, {
    where: at.where,
    option: at.path,
    value,
    expected,
  });
}

/**
 * A checker of one value: `expected` says what is accepted (in messages), `check` returns the value
 * (with defaults filled in) or throws an OptionError. `In` is what callers may pass, `Out` what
 * they get back; they differ only for optional fields with defaults.
 */
export class Schema<In, Out = In> {
  declare readonly __in: In;
  declare readonly __out: Out;

  constructor(
    readonly expected: string,
    private readonly run: (value: unknown, at: At) => Out,
    /** Missing (undefined) is accepted; `fallback` supplies the value then. */
    readonly optionalField = false,
    private readonly fallback?: () => Out,
  ) {}

  check(value: unknown, at: At): Out {
    if (value === undefined && this.optionalField) return this.fallback ? this.fallback() : (undefined as Out);
    return this.run(value, at);
  }

  /** May be left out (undefined). */
  optional(): Schema<In | undefined, Out | undefined> {
    return new Schema<In | undefined, Out | undefined>(this.expected, this.run, true);
  }

  /** May be left out; then `value` is used (a function is called each time, for fresh objects). */
  default(value: Out | (() => Out)): Schema<In | undefined, Out> {
    const make = typeof value === 'function' ? (value as () => Out) : () => value;
    return new Schema<In | undefined, Out>(this.expected, this.run, true, make);
  }

  /**
   * Adds a rule over the checked value: `rule` returns what is expected instead when it rejects
   * (e.g. "a range [low, high] with low ≤ high"), or undefined to accept.
   */
  refine(rule: (value: Out) => string | undefined): Schema<In, Out> {
    return new Schema<In, Out>(
      this.expected,
      (v, at) => {
        const out = this.run(v, at);
        const expected = rule(out);
        return expected === undefined ? out : fail(at, expected, v);
      },
      this.optionalField,
      this.fallback,
    );
  }
}

export type AnySchema = Schema<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The type a caller passes (options types are this of their schema). */
export type Infer<S extends AnySchema> = S['__in'];
/** The type `parse` returns: defaults filled in. */
export type Parsed<S extends AnySchema> = S['__out'];

/** Checks an options object (or any value) for `where`: `parse('LSTM', lstmOptions, options)`. */
export function parse<S extends AnySchema>(where: string, schema: S, value: unknown): Parsed<S> {
  return schema.check(value, { where, path: '', label: 'option' });
}

/** Checks one positional argument: `parseArgument('Dropout', 'p', probability, p)`. */
export function parseArgument<S extends AnySchema>(where: string, name: string, schema: S, value: unknown): Parsed<S> {
  return schema.check(value, { where, path: name, label: 'argument' });
}

/** Checks one field outside its object (e.g. a setter): `parseOption('Adam', 'lr', finite(), v)`. */
export function parseOption<S extends AnySchema>(where: string, name: string, schema: S, value: unknown): Parsed<S> {
  return schema.check(value, { where, path: name, label: 'option' });
}
