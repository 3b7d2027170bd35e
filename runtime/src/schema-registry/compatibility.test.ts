import { describe, expect, it } from 'vitest';
import { backwardIncompatibilities } from './compatibility.ts';
import type { FieldSchema } from './event-schema.ts';

const object = (properties: Record<string, FieldSchema>, extra: Partial<FieldSchema> = {}): FieldSchema => ({
  type: 'object',
  properties,
  ...extra,
});

/** One property `x` before and after: the issues of the change, path and message. */
const changeOfX = (before: FieldSchema, after: FieldSchema) =>
  backwardIncompatibilities(object({ x: before }), object({ x: after }));

/** The paths of the issues of one property's change. */
const pathsOfX = (before: FieldSchema, after: FieldSchema) => changeOfX(before, after).map((i) => i.path);

describe('backwardIncompatibilities', () => {
  it('finds nothing between a schema and itself', () => {
    const schema = object(
      {
        id: { type: 'string', minLength: 1, maxLength: 10, format: 'uuid' },
        n: { type: ['integer', 'null'], minimum: 0, maximum: 9, enum: [1, 2] },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
      },
      { required: ['id'], additionalProperties: false },
    );
    expect(backwardIncompatibilities(schema, schema)).toEqual([]);
  });

  describe('properties', () => {
    it('adding an optional property is compatible', () => {
      const before = object({ a: { type: 'string' } });
      expect(backwardIncompatibilities(before, object({ a: { type: 'string' }, b: { type: 'number' } }))).toEqual([]);
    });

    it('adding an optional property to a closed object is compatible', () => {
      const before = object({ a: { type: 'string' } }, { additionalProperties: false });
      const after = object({ a: { type: 'string' }, b: { type: 'number' } }, { additionalProperties: false });
      expect(backwardIncompatibilities(before, after)).toEqual([]);
    });

    it('adding a required property is not', () => {
      const after = object({ a: { type: 'string' }, b: { type: 'number' } }, { required: ['b'] });
      expect(backwardIncompatibilities(object({ a: { type: 'string' } }), after)).toEqual([
        { path: '/properties/b', message: '"b" became required' },
      ]);
    });

    it('making an optional property required is not', () => {
      const before = object({ a: { type: 'string' } });
      expect(backwardIncompatibilities(before, object({ a: { type: 'string' } }, { required: ['a'] }))).toEqual([
        { path: '/properties/a', message: '"a" became required' },
      ]);
    });

    it('making a required property optional is compatible', () => {
      const before = object({ a: { type: 'string' } }, { required: ['a'] });
      expect(backwardIncompatibilities(before, object({ a: { type: 'string' } }))).toEqual([]);
    });

    it('removing a property from an open object is compatible', () => {
      const before = object({ a: { type: 'string' }, b: { type: 'number' } }, { required: ['b'] });
      expect(backwardIncompatibilities(before, object({ a: { type: 'string' } }))).toEqual([]);
      const explicitlyOpen = object({ a: { type: 'string' } }, { additionalProperties: true });
      expect(backwardIncompatibilities(before, explicitlyOpen)).toEqual([]);
    });

    it('removing a property while additional properties are refused is not', () => {
      const before = object({ a: { type: 'string' }, b: { type: 'number' } }, { additionalProperties: false });
      const after = object({ a: { type: 'string' } }, { additionalProperties: false });
      expect(backwardIncompatibilities(before, after)).toEqual([
        { path: '/properties/b', message: '"b" was removed while additional properties are refused' },
      ]);
    });

    it('refusing additional properties that were accepted is not', () => {
      const after = object({ a: { type: 'string' } }, { additionalProperties: false });
      const issue = { path: '/additionalProperties', message: 'refuses additional properties that were accepted' };
      expect(backwardIncompatibilities(object({ a: { type: 'string' } }), after)).toEqual([issue]);
      const explicitlyOpen = object({ a: { type: 'string' } }, { additionalProperties: true });
      expect(backwardIncompatibilities(explicitlyOpen, after)).toEqual([issue]);
    });

    it('accepting additional properties that were refused is compatible', () => {
      const before = object({ a: { type: 'string' } }, { additionalProperties: false });
      expect(backwardIncompatibilities(before, object({ a: { type: 'string' } }))).toEqual([]);
    });

    // Regression (fixed): `after[name]` reads Object.prototype members, so removing a property called
    // "constructor", "toString", "valueOf"… compares it with a function and throws a TypeError.
    it('handles removing a property named like an Object.prototype member', () => {
      const before = object({ ['constructor' as string]: { type: 'string' }, a: { type: 'string' } });
      expect(backwardIncompatibilities(before, object({ a: { type: 'string' } }))).toEqual([]);
    });
  });

  describe('types', () => {
    it('integer → number is compatible', () => {
      expect(changeOfX({ type: 'integer' }, { type: 'number' })).toEqual([]);
    });

    it('number → integer is not', () => {
      expect(changeOfX({ type: 'number' }, { type: 'integer' })).toEqual([
        { path: '/properties/x/type', message: 'type changed from number to integer' },
      ]);
    });

    it.each<[FieldSchema['type'], FieldSchema['type']]>([
      ['string', 'number'],
      ['boolean', 'string'],
      ['object', 'array'],
      ['integer', 'string'],
    ])('%s → %s is not', (from, to) => {
      expect(changeOfX({ type: from } as FieldSchema, { type: to } as FieldSchema)).toEqual([
        { path: '/properties/x/type', message: `type changed from ${from} to ${to}` },
      ]);
    });

    it('nullable → not nullable is not', () => {
      expect(changeOfX({ type: ['string', 'null'] }, { type: 'string' })).toEqual([
        { path: '/properties/x/type', message: 'no longer accepts null' },
      ]);
    });

    it('not nullable → nullable is compatible', () => {
      expect(changeOfX({ type: 'string' }, { type: ['string', 'null'] })).toEqual([]);
      expect(changeOfX({ type: 'integer' }, { type: ['number', 'null'] })).toEqual([]);
    });

    it('reports a changed root type at /type', () => {
      expect(backwardIncompatibilities({ type: 'object' }, { type: 'array', items: { type: 'string' } })).toEqual([
        { path: '/type', message: 'type changed from object to array' },
      ]);
    });
  });

  describe('ranges', () => {
    it.each<[string, FieldSchema, FieldSchema]>([
      ['a lower minimum', { type: 'number', minimum: 5 }, { type: 'number', minimum: 1 }],
      ['a higher maximum', { type: 'number', maximum: 5 }, { type: 'number', maximum: 9 }],
      ['a dropped minimum', { type: 'integer', minimum: 5 }, { type: 'integer' }],
      ['a shorter minLength', { type: 'string', minLength: 3 }, { type: 'string', minLength: 0 }],
      ['a longer maxLength', { type: 'string', maxLength: 3 }, { type: 'string', maxLength: 30 }],
      ['a dropped maxLength', { type: 'string', maxLength: 3 }, { type: 'string' }],
      [
        'fewer minItems',
        { type: 'array', items: { type: 'string' }, minItems: 2 },
        { type: 'array', items: { type: 'string' }, minItems: 1 },
      ],
      [
        'more maxItems',
        { type: 'array', items: { type: 'string' }, maxItems: 2 },
        { type: 'array', items: { type: 'string' }, maxItems: 5 },
      ],
      ['an unchanged bound', { type: 'number', minimum: 5, maximum: 6 }, { type: 'number', minimum: 5, maximum: 6 }],
    ])('%s is compatible', (_case, before, after) => {
      expect(changeOfX(before, after)).toEqual([]);
    });

    it.each<[string, FieldSchema, FieldSchema]>([
      ['minimum', { type: 'number', minimum: 1 }, { type: 'number', minimum: 2 }],
      ['maximum', { type: 'number', maximum: 9 }, { type: 'number', maximum: 8 }],
      ['minimum', { type: 'number' }, { type: 'number', minimum: -100 }],
      ['minLength', { type: 'string', minLength: 1 }, { type: 'string', minLength: 2 }],
      ['maxLength', { type: 'string', maxLength: 10 }, { type: 'string', maxLength: 9 }],
      ['maxLength', { type: 'string' }, { type: 'string', maxLength: 1000 }],
      [
        'minItems',
        { type: 'array', items: { type: 'string' }, minItems: 0 },
        { type: 'array', items: { type: 'string' }, minItems: 1 },
      ],
      [
        'maxItems',
        { type: 'array', items: { type: 'string' }, maxItems: 5 },
        { type: 'array', items: { type: 'string' }, maxItems: 4 },
      ],
    ])('a narrowed or new %s is not', (keyword, before, after) => {
      const value = (after as unknown as Record<string, number>)[keyword];
      expect(changeOfX(before, after)).toEqual([
        { path: `/properties/x/${keyword}`, message: `${keyword} narrowed to ${value}` },
      ]);
    });

    it('reports each narrowed bound', () => {
      const before: FieldSchema = { type: 'integer', minimum: 0, maximum: 10 };
      expect(pathsOfX(before, { type: 'integer', minimum: 1, maximum: 9 })).toEqual([
        '/properties/x/minimum',
        '/properties/x/maximum',
      ]);
    });
  });

  describe('enums', () => {
    it('a superset is compatible', () => {
      expect(changeOfX({ type: 'string', enum: ['a', 'b'] }, { type: 'string', enum: ['b', 'a', 'c'] })).toEqual([]);
    });

    it('dropping the enum is compatible', () => {
      expect(changeOfX({ type: 'string', enum: ['a', 'b'] }, { type: 'string' })).toEqual([]);
    });

    it('a subset is not, naming the lost values', () => {
      expect(changeOfX({ type: 'string', enum: ['a', 'b', 'c'] }, { type: 'string', enum: ['b'] })).toEqual([
        { path: '/properties/x/enum', message: 'no longer accepts "a", "c"' },
      ]);
      expect(changeOfX({ type: 'integer', enum: [1, 2] }, { type: 'number', enum: [1] })).toEqual([
        { path: '/properties/x/enum', message: 'no longer accepts 2' },
      ]);
    });

    it('a new enum where any value was accepted is not', () => {
      expect(changeOfX({ type: 'string' }, { type: 'string', enum: ['a'] })).toEqual([
        { path: '/properties/x/enum', message: 'restricts to a list of values where any was accepted' },
      ]);
    });
  });

  describe('formats', () => {
    it('a new or changed format is not compatible; a dropped one is', () => {
      expect(changeOfX({ type: 'string' }, { type: 'string', format: 'email' })).toEqual([
        { path: '/properties/x/format', message: 'requires format email' },
      ]);
      expect(pathsOfX({ type: 'string', format: 'uri' }, { type: 'string', format: 'uuid' })).toEqual([
        '/properties/x/format',
      ]);
      expect(changeOfX({ type: 'string', format: 'uri' }, { type: 'string' })).toEqual([]);
    });
  });

  describe('nesting', () => {
    it('recurses into nested objects with JSON-pointer paths', () => {
      const before = object({ address: object({ city: { type: 'string', maxLength: 50 } }) });
      const after = object({
        address: object(
          { city: { type: 'string', maxLength: 20 }, zip: { type: 'string' } },
          { required: ['zip'], additionalProperties: false },
        ),
      });
      expect(backwardIncompatibilities(before, after)).toEqual([
        { path: '/properties/address/properties/zip', message: '"zip" became required' },
        { path: '/properties/address/properties/city/maxLength', message: 'maxLength narrowed to 20' },
        {
          path: '/properties/address/additionalProperties',
          message: 'refuses additional properties that were accepted',
        },
      ]);
    });

    it('recurses into array items', () => {
      const before = object({ tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } } });
      const after = object({ tags: { type: 'array', items: { type: 'string', enum: ['a'] } } });
      expect(backwardIncompatibilities(before, after)).toEqual([
        { path: '/properties/tags/items/enum', message: 'no longer accepts "b"' },
      ]);
    });

    it('recurses into objects inside arrays inside objects', () => {
      const line = (price: FieldSchema) => ({
        type: 'array' as const,
        items: object({ sku: { type: 'string' }, price }),
      });
      const before = object({ order: object({ lines: line({ type: 'number' }) }) });
      const after = object({ order: object({ lines: line({ type: 'integer' }) }) });
      expect(backwardIncompatibilities(before, after)).toEqual([
        {
          path: '/properties/order/properties/lines/items/properties/price/type',
          message: 'type changed from number to integer',
        },
      ]);
    });

    it('escapes property names in paths', () => {
      const before = object({ 'a/b': object({ 'c~d': { type: 'string' } }) });
      const after = object({ 'a/b': object({ 'c~d': { type: 'boolean' } }) });
      expect(backwardIncompatibilities(before, after).map((i) => i.path)).toEqual([
        '/properties/a~1b/properties/c~0d/type',
      ]);
    });

    it('stops at a changed type instead of comparing the insides', () => {
      const before = object({ x: object({ a: { type: 'string' } }) });
      const after = object({ x: { type: 'array', items: { type: 'string' }, minItems: 1 } });
      expect(pathsOfX(before.properties?.x as FieldSchema, after.properties?.x as FieldSchema)).toEqual([
        '/properties/x/type',
      ]);
    });
  });
});
