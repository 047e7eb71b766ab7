/**
 * One pass over a JSON text that checks what JSON.parse does not: no object names a key twice
 * (JSON.parse silently keeps the last), and containers nest at most `maxDepth` deep. It also
 * checks the syntax, so it never runs off a malformed text, and every problem comes with the
 * byte where it is. Linear time and iterative: work per character is constant (keys go into a
 * per-object Set once an object has more than a few), and the stack is a few typed arrays of
 * `maxDepth` entries, so neither a deep nor a long text can exhaust time, memory or the call stack.
 */

export interface JsonProblem {
  /** 'syntax': not JSON; 'depth': nests deeper than allowed; 'duplicate': an object names a key twice. */
  kind: 'syntax' | 'depth' | 'duplicate';
  /** What is wrong and at which byte, e.g. "nests deeper than 64 levels at byte 70". */
  message: string;
  /** UTF-8 byte offset of the character where it was found. */
  byte: number;
  /** For a duplicate: the key and the keys of the enclosing objects, outermost first. */
  duplicate?: { key: string; path: string[] };
}

/** Objects with at most this many keys are checked by a linear search (cheaper than a Set). */
const SMALL_OBJECT = 8;

const enum State {
  Value, // a value must come
  ValueOrClose, // just after '[': a value or ']'
  Key, // just after ',' in an object: a key must come
  KeyOrClose, // just after '{': a key or '}'
  Colon, // after a key
  AfterValue, // ',' or the closing bracket of the enclosing container, or the end at depth 0
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The first problem in `text`, or undefined when it is valid JSON within the limits. */
export function scanJson(text: string, maxDepth: number): JsonProblem | undefined {
  const n = text.length;
  // Per open container (index = depth - 1): object or array, where its keys start in `keys`,
  // its Set once it has grown past SMALL_OBJECT, and its latest key (for paths in messages).
  const isObject = new Uint8Array(maxDepth);
  const keyBase = new Int32Array(maxDepth);
  const keySets: Array<Set<string> | undefined> = new Array<Set<string> | undefined>(maxDepth).fill(undefined);
  const lastKey: string[] = new Array<string>(maxDepth).fill('');
  const keys: string[] = []; // keys of the small open objects, innermost last
  let depth = 0;
  let state = State.Value;
  let i = 0;

  const at = (index: number, message: string, kind: JsonProblem['kind'] = 'syntax'): JsonProblem => ({ kind, message, byte: byteOffset(text, index) });
  const unexpected = (index: number, expected: string): JsonProblem =>
    at(index, index >= n ? `unexpected end of text at byte ${byteOffset(text, index)}: expected ${expected}` : `unexpected ${describe(text, index)} at byte ${byteOffset(text, index)}: expected ${expected}`);

  for (;;) {
    let c = text.charCodeAt(i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++i);
    if (i >= n) break;

    if (state === State.AfterValue) {
      if (depth === 0) return unexpected(i, 'the end of the text');
      const inObject = isObject[depth - 1] === 1;
      if (c === 0x2c /* , */) {
        state = inObject ? State.Key : State.Value;
        i++;
      } else if (c === (inObject ? 0x7d /* } */ : 0x5d /* ] */)) {
        depth--;
        if (inObject) {
          keys.length = keyBase[depth];
          keySets[depth] = undefined;
        }
        i++;
      } else {
        return unexpected(i, inObject ? "',' or '}'" : "',' or ']'");
      }
      continue;
    }

    if (state === State.Key || state === State.KeyOrClose) {
      if (c === 0x7d && state === State.KeyOrClose) {
        depth--;
        state = State.AfterValue;
        i++;
        continue;
      }
      if (c !== QUOTE) return unexpected(i, state === State.KeyOrClose ? "a key in double quotes or '}'" : 'a key in double quotes');
      const end = scanString(text, i);
      if (end < 0) return stringProblem(text, i, -end - 1, at);
      const key = stringValue(text, i, end);
      const d = depth - 1;
      let set = keySets[d];
      let seen: boolean;
      if (set !== undefined) {
        seen = set.has(key);
        set.add(key);
      } else {
        seen = false;
        for (let k = keyBase[d]; k < keys.length; k++) {
          if (keys[k] === key) {
            seen = true;
            break;
          }
        }
        keys.push(key);
        if (keys.length - keyBase[d] > SMALL_OBJECT) {
          set = new Set(keys.slice(keyBase[d]));
          keySets[d] = set;
          keys.length = keyBase[d];
        }
      }
      if (seen) {
        const path = lastKey.slice(0, d).filter((_k, level) => isObject[level] === 1);
        const inside = path.length === 0 ? 'the top-level object' : `object '${path.join('.')}'`;
        return { ...at(i, `${inside} names '${key}' twice at byte ${byteOffset(text, i)}`, 'duplicate'), duplicate: { key, path } };
      }
      lastKey[d] = key;
      state = State.Colon;
      i = end;
      continue;
    }

    if (state === State.Colon) {
      if (c !== 0x3a /* : */) return unexpected(i, "':' after the key");
      state = State.Value;
      i++;
      continue;
    }

    // State.Value or State.ValueOrClose
    if (c === 0x5d && state === State.ValueOrClose) {
      depth--;
      state = State.AfterValue;
      i++;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === maxDepth) return at(i, `nests deeper than ${maxDepth} levels at byte ${byteOffset(text, i)}`, 'depth');
      const object = c === 0x7b;
      isObject[depth] = object ? 1 : 0;
      keyBase[depth] = keys.length;
      lastKey[depth] = '';
      depth++;
      state = object ? State.KeyOrClose : State.ValueOrClose;
      i++;
      continue;
    }
    let end: number;
    if (c === QUOTE) {
      end = scanString(text, i);
      if (end < 0) return stringProblem(text, i, -end - 1, at);
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      end = scanNumber(text, i);
      if (end < 0) return unexpected(-end - 1, 'a digit');
    } else if (text.startsWith('true', i)) end = i + 4;
    else if (text.startsWith('false', i)) end = i + 5;
    else if (text.startsWith('null', i)) end = i + 4;
    else return unexpected(i, state === State.ValueOrClose ? "a value or ']'" : 'a value');
    state = State.AfterValue;
    i = end;
  }

  if (state !== State.AfterValue || depth > 0) {
    const open = depth > 0 ? ` (${depth} container${depth === 1 ? '' : 's'} still open)` : '';
    return at(n, `unexpected end of text at byte ${byteOffset(text, n)}${open}`);
  }
  return undefined;
}

/** Set by scanString: whether the string it just scanned has an escape (so its value needs decoding). */
let sawEscape = false;

/**
 * The index just past the closing quote of the string starting at `start`, or -(k + 1) where k
 * is the index of the offending character (an unescaped control character, a bad escape, the end).
 */
function scanString(text: string, start: number): number {
  const n = text.length;
  let i = start + 1;
  sawEscape = false;
  for (;;) {
    if (i >= n) return -(n + 1);
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return -(i + 1);
    if (c === BACKSLASH) {
      sawEscape = true;
      const e = text.charCodeAt(i + 1);
      if (e === 0x75 /* u */) {
        for (let h = i + 2; h < i + 6; h++) if (!isHex(text.charCodeAt(h))) return -(Math.min(h, n) + 1);
        i += 6;
      } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
      } else {
        return -(Math.min(i + 1, n) + 1);
      }
    } else {
      i++;
    }
  }
}

function stringProblem(text: string, start: number, index: number, at: (index: number, message: string) => JsonProblem): JsonProblem {
  const where = `in the string starting at byte ${byteOffset(text, start)}`;
  if (index >= text.length) return at(index, `unexpected end of text ${where}: expected a closing '"'`);
  const c = text.charCodeAt(index);
  if (c < 0x20) return at(index, `unescaped control character U+${c.toString(16).padStart(4, '0').toUpperCase()} at byte ${byteOffset(text, index)} ${where}`);
  return at(index, `bad escape at byte ${byteOffset(text, index)} ${where}: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`);
}

/** The value of the string scanString just scanned: the text between the quotes, decoded only when it has escapes. */
function stringValue(text: string, start: number, end: number): string {
  return sawEscape ? (JSON.parse(text.slice(start, end)) as string) : text.slice(start + 1, end - 1);
}

/** The index just past the number starting at `start`, or -(k + 1) where k is the index of a missing digit. */
function scanNumber(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  const first = text.charCodeAt(i);
  if (first === 0x30) i++;
  else if (isDigit(first)) while (isDigit(text.charCodeAt(i))) i++;
  else return -(i + 1);
  if (text.charCodeAt(i) === 0x2e /* . */) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return -(i + 1);
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45 /* e E */) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return -(i + 1);
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

function describe(text: string, index: number): string {
  const ch = String.fromCodePoint(text.codePointAt(index)!);
  return ch.charCodeAt(0) < 0x20 ? `character U+${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}` : `character ${JSON.stringify(ch)}`;
}

/** UTF-8 length of text[0, index): only computed for a message, so a slice is fine. */
function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, Math.min(index, text.length)), 'utf8');
}
