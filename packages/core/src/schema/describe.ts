/** How a rejected value is shown in an OptionError: its value and its type, short. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'string':
      return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}' (string)`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${String(v)} (${typeof v})`;
    case 'function':
      return 'a function';
    case 'symbol':
      return `${String(v)} (symbol)`;
  }
  if (Array.isArray(v)) {
    const short = v.length <= 8 && v.every((x) => x === null || typeof x !== 'object');
    return short ? `[${v.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')}] (array)` : `an array of ${v.length}`;
  }
  if (ArrayBuffer.isView(v)) return article(v.constructor.name);
  const name = (v as object).constructor?.name;
  if (name && name !== 'Object') return article(name);
  const keys = Object.keys(v as object);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
}

function article(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}
