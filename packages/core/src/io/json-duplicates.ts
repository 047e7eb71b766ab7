/**
 * JSON.parse keeps the last of two equal keys without a word; a safetensors header with a
 * name given twice is ambiguous, so the reader scans the (already valid) JSON text for them.
 */

export interface DuplicateKey {
  key: string;
  /** Keys of the enclosing objects, outermost first (empty for the top level). */
  path: string[];
}

interface Frame {
  isObject: boolean;
  keys: Set<string>;
  expectKey: boolean;
  lastKey: string;
  path: string[];
}

/** The first key that occurs twice in one object of `json`, which must be valid JSON. */
export function firstDuplicateKey(json: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top !== undefined && top.isObject && top.expectKey) {
        const key = JSON.parse(json.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { key, path: top.path };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      const path = parent === undefined ? [] : parent.isObject ? [...parent.path, parent.lastKey] : parent.path;
      stack.push({ isObject: c === '{', keys: new Set(), expectKey: c === '{', lastKey: '', path });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top !== undefined && top.isObject) top.expectKey = true;
    }
  }
  return undefined;
}
