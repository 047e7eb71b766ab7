import { describe, expect, it } from 'vitest';
import { CharVocabulary } from './char-vocabulary.js';

describe('CharVocabulary', () => {
  it('assigns ids to the sorted distinct characters', () => {
    const v = CharVocabulary.fromText('hello world');
    expect(v.chars).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(v.size).toBe(8);
    expect(Array.from(v.encode('hello'))).toEqual([3, 2, 4, 4, 5]);
    expect(v.unknown).toBeNull();
  });

  it('round-trips text, including characters outside the BMP', () => {
    const text = 'Call me Ishmael—🐋 and 𝄞!';
    const v = CharVocabulary.fromText(text);
    const ids = v.encode(text);
    expect(ids.length).toBe([...text].length);
    expect(v.decode(ids)).toBe(text);
  });

  it('folds rare characters into the unknown symbol', () => {
    const v = CharVocabulary.fromText('aaabbbc', { minCount: 2 });
    expect(v.chars).toEqual(['a', 'b', '\uFFFD']);
    expect(v.decode(v.encode('abcz'))).toBe('ab\uFFFD\uFFFD');
    const custom = CharVocabulary.fromText('aaabbbc', { minCount: 2, unknown: '?' });
    expect(custom.chars).toEqual(['?', 'a', 'b']);
    expect(custom.unknownId).toBe(0);
  });

  it('rejects unseen characters when it has no unknown symbol, and bad ids', () => {
    const v = CharVocabulary.fromText('abc');
    expect(() => v.encode('abd')).toThrow(/"d" \(U\+0064\) at index 2 is not in the vocabulary/);
    expect(() => v.decode([0, 3])).toThrow(/id 3 at position 1 is outside \[0, 3\)/);
    expect(() => CharVocabulary.fromText('abc', { minCount: 0 })).toThrow(/minCount/);
  });

  it('serialises to JSON and back', () => {
    const v = CharVocabulary.fromText('the quick brown fox jumps over the lazy dog', { minCount: 2 });
    const restored = CharVocabulary.fromJSON(JSON.stringify(v));
    expect(restored.chars).toEqual(v.chars);
    expect(restored.unknownId).toBe(v.unknownId);
    expect(Array.from(restored.encode('quick dogs'))).toEqual(Array.from(v.encode('quick dogs')));
    expect(() => CharVocabulary.fromJSON({ kind: 'other' })).toThrow(/expected \{ kind: 'char-vocabulary'/);
  });
});
