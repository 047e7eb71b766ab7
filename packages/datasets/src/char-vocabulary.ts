import { OptionError, schema } from '@recurrent/core';

/**
 * A character-level vocabulary: each distinct character (Unicode code point) gets an id, in
 * sorted code-point order, so the same text always gives the same ids. Characters seen fewer
 * than `minCount` times can be folded into one unknown symbol to keep the softmax small.
 */

/** A string of one code point. */
const oneChar = () => schema.custom<string>('a string of one character', (v) => typeof v === 'string' && [...v].length === 1);

export const charVocabularyOptionsSchema = schema.object({
  /** Characters occurring fewer times than this are folded into `unknown` (default 1: keep all). */
  minCount: schema.int({ min: 1 }).default(1),
  /**
   * The unknown symbol (one character). It joins the vocabulary when some character was folded
   * or when given explicitly; default U+FFFD, added only if folding happened.
   */
  unknown: oneChar().optional(),
});
export type CharVocabularyOptions = schema.Infer<typeof charVocabularyOptionsSchema>;

/** The JSON form of a vocabulary (`CharVocabulary.toJSON`). */
export interface CharVocabularyJson {
  kind: 'char-vocabulary';
  version: 1;
  /** Characters in id order. */
  chars: string[];
  /** The unknown symbol (one of `chars`), or null when unknown characters are an error. */
  unknown: string | null;
}

const DEFAULT_UNKNOWN = '\uFFFD';

export class CharVocabulary {
  /** Characters in id order. */
  readonly chars: readonly string[];
  /** Id of the unknown symbol, or -1 when encoding an unseen character throws. */
  readonly unknownId: number;
  private readonly idOf: Map<number, number>; // code point -> id

  /** `chars` must be distinct single code points; `unknown` (if any) must be one of them. */
  constructor(chars: readonly string[], unknown: string | null = null) {
    schema.parseArgument('CharVocabulary', 'chars', schema.array(oneChar(), { minLength: 1 }), chars);
    schema.parseArgument('CharVocabulary', 'unknown', schema.anyOf([oneChar(), schema.custom<null>('null', (v) => v === null)]), unknown);
    const idOf = new Map<number, number>();
    chars.forEach((ch, id) => {
      const cp = ch.codePointAt(0)!;
      if (idOf.has(cp)) throw new OptionError(`CharVocabulary: character ${describeChar(cp)} appears twice (ids ${idOf.get(cp)} and ${id})`);
      idOf.set(cp, id);
    });
    this.chars = Object.freeze([...chars]);
    this.idOf = idOf;
    if (unknown === null) {
      this.unknownId = -1;
    } else {
      const id = typeof unknown === 'string' && [...unknown].length === 1 ? idOf.get(unknown.codePointAt(0)!) : undefined;
      if (id === undefined) throw new OptionError(`CharVocabulary: unknown symbol ${JSON.stringify(unknown)} is not one of the vocabulary's characters`);
      this.unknownId = id;
    }
  }

  /** Builds the vocabulary of `text`: its distinct characters sorted by code point. */
  static fromText(text: string, options: CharVocabularyOptions = {}): CharVocabulary {
    schema.parseArgument('CharVocabulary.fromText', 'text', schema.string(), text);
    const { minCount, unknown: unknownOption } = schema.parse('CharVocabulary.fromText', charVocabularyOptionsSchema, options);
    const counts = new Map<number, number>();
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      counts.set(cp, (counts.get(cp) ?? 0) + 1);
    }
    const kept: number[] = [];
    let folded = false;
    for (const [cp, n] of counts) {
      if (n >= minCount) kept.push(cp);
      else folded = true;
    }
    let unknown: string | null = null;
    if (folded || unknownOption !== undefined) {
      unknown = unknownOption ?? DEFAULT_UNKNOWN;
      const cp = unknown.codePointAt(0)!;
      if (!kept.includes(cp)) kept.push(cp);
    }
    kept.sort((a, b) => a - b);
    return new CharVocabulary(
      kept.map((cp) => String.fromCodePoint(cp)),
      unknown,
    );
  }

  static fromJSON(json: unknown): CharVocabulary {
    const j = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<CharVocabularyJson> | null;
    if (j === null || typeof j !== 'object' || j.kind !== 'char-vocabulary' || j.version !== 1 || !Array.isArray(j.chars)) {
      throw new OptionError("CharVocabulary.fromJSON: expected { kind: 'char-vocabulary', version: 1, chars: string[], unknown: string | null }");
    }
    return new CharVocabulary(j.chars, j.unknown ?? null);
  }

  /** Number of ids (the model's input and output classes). */
  get size(): number {
    return this.chars.length;
  }

  /** The unknown symbol, or null. */
  get unknown(): string | null {
    return this.unknownId < 0 ? null : this.chars[this.unknownId];
  }

  /** The id of one character, or undefined when it is not in the vocabulary. */
  idOfChar(ch: string): number | undefined {
    const cp = ch.codePointAt(0);
    return cp === undefined ? undefined : this.idOf.get(cp);
  }

  /** One id per code point of `text`; unseen characters map to the unknown id (or throw without one). */
  encode(text: string): Int32Array {
    schema.parseArgument('CharVocabulary.encode', 'text', schema.string(), text);
    const ids = new Int32Array(text.length); // ≥ the code point count; trimmed below
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const at = i;
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++; // skip the low surrogate of an astral character
      const id = this.idOf.get(cp);
      if (id !== undefined) {
        ids[n++] = id;
      } else if (this.unknownId >= 0) {
        ids[n++] = this.unknownId;
      } else {
        throw new RangeError(`CharVocabulary.encode: character ${describeChar(cp)} at index ${at} is not in the vocabulary, which has no unknown symbol`);
      }
    }
    return n === ids.length ? ids : ids.slice(0, n);
  }

  decode(ids: ArrayLike<number>): string {
    const parts: string[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.chars.length) {
        throw new RangeError(`CharVocabulary.decode: id ${id} at position ${i} is outside [0, ${this.chars.length})`);
      }
      parts[i] = this.chars[id];
    }
    return parts.join('');
  }

  toJSON(): CharVocabularyJson {
    return { kind: 'char-vocabulary', version: 1, chars: [...this.chars], unknown: this.unknown };
  }
}

function describeChar(cp: number): string {
  return `${JSON.stringify(String.fromCodePoint(cp))} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}
