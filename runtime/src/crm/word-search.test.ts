import { describe, expect, it } from 'vitest';
import { wordQuery as queryOf, wordTerms } from './word-search.ts';

const wordQuery = (q: string) => queryOf(wordTerms(q));

describe('wordQuery', () => {
  it('asks for every word by its start', () => {
    expect(wordQuery('ana')).toBe("('ana':*)");
    expect(wordQuery('  Ana \t Smith ')).toBe("('Ana':*) & ('Smith':*)");
  });

  it('asks for the words of a punctuated one in their order, the last by its start', () => {
    expect(wordQuery('list.example')).toBe("('list' <-> 'example':*)");
    expect(wordQuery('@jo.smi')).toBe("('jo' <-> 'smi':*)");
    expect(wordQuery('+44 20 7946-0012')).toBe("('44':*) & ('20':*) & ('7946' <-> '0012':*)");
  });

  it('cannot be made to close a quote or add an operator: those characters separate words', () => {
    expect(wordQuery("o'brien")).toBe("('o' <-> 'brien':*)");
    expect(wordQuery("a':* | !b & (c)")).toBe("('a':*) & ('b':*) & ('c':*)");
    expect(wordQuery('Ünïcödé 東京')).toBe("('Ünïcödé':*) & ('東京':*)");
  });

  it('separates words at other scripts’ punctuation and spaces too, and at NUL (which PostgreSQL text cannot hold)', () => {
    expect(wordQuery('O’Brien')).toBe("('O' <-> 'Brien':*)");
    expect(wordQuery('Jean–Luc\u00a0Café')).toBe("('Jean' <-> 'Luc':*) & ('Café':*)");
    expect(wordQuery('東京，大阪\u3000x')).toBe("('東京' <-> '大阪':*) & ('x':*)");
    expect(wordQuery('a\u0000b')).toBe("('a':*) & ('b':*)");
  });

  it('has nothing to ask for without a word', () => {
    expect(wordQuery('@@ -- .')).toBeNull();
    expect(wordQuery('   ')).toBeNull();
  });
});
