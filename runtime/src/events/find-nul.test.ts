import { describe, expect, it } from 'vitest';
import { findNul } from './find-nul.ts';

describe('findNul', () => {
  it('names where a NUL is: in a value, in a key (escaped), deep in arrays', () => {
    expect(findNul({ a: 'x', b: { c: ['ok', 'n\u0000'] } })).toBe('/b/c/1');
    expect(findNul({ traits: { 'na\u0000me': 1 } })).toBe('/traits/na\\u0000me');
    expect(findNul('\u0000')).toBe('/');
  });

  it('finds none in text without one, a backslash and "u0000" included', () => {
    expect(findNul({ path: 'C:\\u0000', n: 0, t: true, z: null, list: [] })).toBeNull();
  });
});
