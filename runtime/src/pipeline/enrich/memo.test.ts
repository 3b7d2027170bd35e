import { describe, expect, it } from 'vitest';
import { memo } from './memo.ts';

describe('memo', () => {
  it('parses each input once, undefined results included', () => {
    const seen: string[] = [];
    const parse = memo((input: string) => {
      seen.push(input);
      return input === 'none' ? undefined : input.length;
    });
    expect([parse('ab'), parse('ab'), parse('none'), parse('none'), parse('abc')]).toEqual([
      2,
      2,
      undefined,
      undefined,
      3,
    ]);
    expect(seen).toEqual(['ab', 'none', 'abc']);
  });

  it('forgets everything past its limit, and parses again', () => {
    const seen: string[] = [];
    const parse = memo((input: string) => seen.push(input), 2);
    for (const input of ['a', 'b', 'a', 'c', 'a']) parse(input);
    expect(seen).toEqual(['a', 'b', 'c', 'a']);
  });

  it('parses long inputs every time, and does not keep them', () => {
    const seen: number[] = [];
    const parse = memo((input: string) => seen.push(input.length));
    const long = 'x'.repeat(2049);
    parse(long);
    parse(long);
    parse('x'.repeat(2048));
    parse('x'.repeat(2048));
    expect(seen).toEqual([2049, 2049, 2048]);
  });
});
