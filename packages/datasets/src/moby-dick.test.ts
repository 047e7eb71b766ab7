import { describe, expect, it } from 'vitest';
import { CharVocabulary } from './char-vocabulary.js';
import { loadMobyDick, loadMobyDickParts } from './moby-dick.js';

describe('loadMobyDick', () => {
  const parts = loadMobyDickParts();
  const text = loadMobyDick();

  it('follows the package listing: front matter, chapters 1…135 in numeric order, epilogue', () => {
    expect(parts.length).toBe(139);
    expect(parts.slice(0, 3).map((p) => p.file)).toEqual(['contents.txt', 'etymology.txt', 'extracts.txt']);
    expect(parts[138].file).toBe('epilogue.txt');
    const chapters = parts.slice(3, 138).map((p) => Number(/^chapter_(\d+)\.txt$/.exec(p.file)?.[1]));
    expect(chapters).toEqual(Array.from({ length: 135 }, (_, i) => i + 1));
    // Each chapter file opens with its own heading.
    for (const [i, p] of parts.slice(3, 138).entries()) expect(p.text.startsWith(`CHAPTER ${i + 1}. `)).toBe(true);
  });

  it('opens chapter 1 with "Call me Ishmael" and ends with the epilogue', () => {
    const chapter1 = text.indexOf('CHAPTER 1. Loomings.\n\n');
    // The first occurrence of the heading is in the table of contents; the chapter itself follows the extracts.
    const body = text.indexOf('CHAPTER 1. Loomings.\n\nCall me Ishmael. Some years ago');
    expect(chapter1).toBeGreaterThan(0);
    expect(body).toBeGreaterThan(text.indexOf('EXTRACTS'));
    expect(text.indexOf('CHAPTER 2. The Carpet-Bag.\n\n', body)).toBeGreaterThan(body);
    expect(text.indexOf('CHAPTER 10. A Bosom Friend.\n\n', body)).toBeGreaterThan(text.indexOf('CHAPTER 9. The Sermon.\n\n', body));
    expect(text.trimEnd().endsWith('only found another orphan.')).toBe(true);
  });

  it('is the documented size: the concatenation of the 139 parts with a blank line between them', () => {
    expect(text.length).toBe(parts.reduce((n, p) => n + p.text.length, 0) + parts.length - 1);
    expect(text.length).toBe(1_217_396);
    expect(Buffer.byteLength(text, 'utf8')).toBe(1_220_848);
    expect(new Set(text).size).toBe(89);
    expect(text.includes('\r')).toBe(false);
  });

  it('round-trips through a character vocabulary of its 89 characters', () => {
    const vocab = CharVocabulary.fromText(text);
    expect(vocab.size).toBe(89);
    expect(vocab.decode(vocab.encode(text))).toBe(text);
  });
});
