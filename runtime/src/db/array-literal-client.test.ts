import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { arrayLiteral } from './array-literal-client.ts';

// pg's own serializer: the literal must be the same text, character for character.
const { prepareValue: pgText } = createRequire(import.meta.url)('pg/lib/utils.js') as {
  prepareValue: (value: unknown) => string;
};

describe('arrayLiteral', () => {
  it('writes what pg writes, for text with quotes, backslashes, commas and braces, numbers, booleans and nulls', () => {
    const values = [
      'plain',
      'with "quotes"',
      'back\\slash',
      'a,b',
      '{braces}',
      '',
      'NULL',
      1.5,
      -2,
      10n,
      true,
      false,
      null,
      undefined,
    ];
    expect(arrayLiteral(values)).toBe(pgText(values));
    expect(arrayLiteral([])).toBe('{}');
  });

  it('leaves dates, buffers, objects and nested arrays to pg', () => {
    expect(arrayLiteral([new Date(0)])).toBeNull();
    expect(arrayLiteral([Buffer.from('x')])).toBeNull();
    expect(arrayLiteral([{ a: 1 }])).toBeNull();
    expect(arrayLiteral([['a']])).toBeNull();
  });
});
