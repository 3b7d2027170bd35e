import { describe, expect, it } from 'vitest';
import { baseType, type FieldSchema, isNullable, parseEventSchema, pointerToken } from './event-schema.ts';

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...extra,
});

/** The issues of a refused schema (fails the test when the schema is accepted). */
function issuesOf(value: unknown) {
  const result = parseEventSchema(value);
  if ('schema' in result) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return result.issues;
}

describe('parseEventSchema', () => {
  it('accepts the whole supported subset and returns the schema itself', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://example.com/order-completed',
      title: 'Order Completed',
      description: 'An order was paid.',
      $comment: 'v1',
      examples: [{ order_id: 'o-1' }],
      type: 'object',
      required: ['order_id', 'total'],
      additionalProperties: false,
      properties: {
        order_id: { type: 'string', minLength: 1, maxLength: 64 },
        email: { type: ['string', 'null'], format: 'email' },
        placed_at: { type: 'string', format: 'date-time' },
        status: { type: 'string', enum: ['paid', 'refunded'] },
        total: { type: 'number', minimum: 0, maximum: 1e6, description: 'In EUR.' },
        quantity: { type: 'integer', enum: [1, 2, 3] },
        gift: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 0, maxItems: 10 },
        address: object({ city: { type: 'string' } }, { required: ['city'], additionalProperties: true }),
      },
    };
    const result = parseEventSchema(schema);
    expect(result).toEqual({ schema, issues: [] });
  });

  it('accepts an object without properties', () => {
    expect(parseEventSchema({ type: 'object' }).issues).toEqual([]);
  });

  describe('refuses', () => {
    it.each([
      ['oneOf', { oneOf: [] }],
      ['$ref', { $ref: '#/defs/x' }],
      ['const', { const: 'x' }],
      ['default', { default: 'x' }],
      ['minimum on a string', { minimum: 1 }],
      ['items on a string', { items: { type: 'string' } }],
    ])('the unsupported keyword %s, at its path', (_case, keyword) => {
      const [key] = Object.keys(keyword);
      expect(issuesOf(object({ name: { type: 'string', ...keyword } }))).toEqual([
        { path: `/properties/name/${key}`, message: `keyword "${key}" is not supported for type "string"` },
      ]);
    });

    it('keywords of another type', () => {
      expect(issuesOf(object({ n: { type: 'number', minLength: 1 } }))[0]).toEqual({
        path: '/properties/n/minLength',
        message: 'keyword "minLength" is not supported for type "number"',
      });
      expect(issuesOf(object({ a: { type: 'array', items: { type: 'string' }, properties: {} } }))[0]?.path).toBe(
        '/properties/a/properties',
      );
      expect(issuesOf(object({}, { minItems: 1 }))[0]?.path).toBe('/minItems');
    });

    it.each([
      ['an unknown type', 'date'],
      ['"null" alone', 'null'],
      ['a union of two types', ['string', 'number']],
      ['null first', ['null', 'string']],
      ['three types', ['string', 'null', 'number']],
      ['a missing type', undefined],
    ])('%s', (_case, type) => {
      expect(issuesOf(object({ x: { type } }))).toEqual([
        {
          path: '/properties/x/type',
          message:
            'must be one of string, number, integer, boolean, array, object, or [type, "null"] for a nullable field',
        },
      ]);
    });

    it('a required name that is not among the properties', () => {
      expect(issuesOf(object({ a: { type: 'string' } }, { required: ['a', 'b'] }))).toEqual([
        { path: '/required', message: '"b" is required but not among the properties' },
      ]);
    });

    it('required that is not a list of names', () => {
      expect(issuesOf(object({ a: { type: 'string' } }, { required: 'a' }))).toEqual([
        { path: '/required', message: 'must be a list of property names' },
      ]);
      expect(issuesOf(object({ a: { type: 'string' } }, { required: [1] }))[0]?.path).toBe('/required');
    });

    it.each([
      ['a string', { type: 'string' }],
      ['an array', { type: 'array', items: { type: 'string' } }],
      ['an integer', { type: 'integer' }],
    ])('a root that is %s', (_case, root) => {
      expect(issuesOf(root)).toEqual([
        { path: '/type', message: 'the root of an event schema must be of type "object" (not nullable)' },
      ]);
    });

    it.each([
      ['null', null],
      ['an array', [{ type: 'object' }]],
      ['a string', 'object'],
    ])('a root that is not a schema object: %s', (_case, root) => {
      expect(issuesOf(root)).toEqual([{ path: '/', message: 'must be a JSON Schema object' }]);
    });

    it.each([
      ['an empty enum', 'string', []],
      ['a repeated value', 'string', ['a', 'a']],
      ['a number among strings', 'string', ['a', 1]],
      ['a string among numbers', 'number', [1, '2']],
      ['a fraction for an integer', 'integer', [1, 1.5]],
      ['an enum that is not a list', 'string', 'a'],
    ])('%s', (_case, type, values) => {
      expect(issuesOf(object({ x: { type, enum: values } }))).toEqual([
        { path: '/properties/x/enum', message: `must be a non-empty list of distinct ${type} values` },
      ]);
    });

    it('a nullable root', () => {
      expect(issuesOf({ type: ['object', 'null'], properties: {} })).toEqual([
        { path: '/type', message: 'the root of an event schema must be of type "object" (not nullable)' },
      ]);
    });

    it.each([
      ['minLength', 'maxLength', { type: 'string', minLength: 5, maxLength: 2 }],
      ['minimum', 'maximum', { type: 'number', minimum: 10, maximum: 1 }],
      ['minItems', 'maxItems', { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 1 }],
    ])('%s greater than %s', (min, max, field) => {
      expect(issuesOf(object({ x: field }))).toEqual([
        { path: `/properties/x/${min}`, message: `is greater than ${max}: nothing could match` },
      ]);
    });

    it.each(['^o-\\d+$', '^(a+)+$'])(
      'any pattern, even %s: tenant regular expressions would run on every event',
      (pattern) => {
        expect(issuesOf(object({ x: { type: 'string', pattern } }))).toEqual([
          { path: '/properties/x/pattern', message: 'keyword "pattern" is not supported for type "string"' },
        ]);
      },
    );

    it.each([
      ['an unknown format', { type: 'string', format: 'phone' }, '/format'],
      ['a negative length', { type: 'string', minLength: -1 }, '/minLength'],
      ['a fractional length', { type: 'string', maxLength: 2.5 }, '/maxLength'],
      ['a textual bound', { type: 'number', minimum: '0' }, '/minimum'],
      ['a fractional item count', { type: 'array', items: { type: 'string' }, maxItems: 1.5 }, '/maxItems'],
      ['a description that is not text', { type: 'string', description: 5 }, '/description'],
      ['an array without items', { type: 'array' }, '/items'],
      ['items that are not a schema', { type: 'array', items: 'string' }, '/items'],
      ['additionalProperties that is a schema', { type: 'object', additionalProperties: {} }, '/additionalProperties'],
      ['properties that is a list', { type: 'object', properties: [] }, '/properties'],
    ])('%s', (_case, schema, at) => {
      expect(issuesOf(object({ x: schema })).map((i) => i.path)).toEqual([`/properties/x${at}`]);
    });

    it('nesting deeper than eight levels', () => {
      let schema: Record<string, unknown> = { type: 'string' };
      for (let i = 0; i < 9; i++) schema = object({ n: schema });
      const issues = issuesOf(schema);
      expect(issues).toHaveLength(1);
      expect(issues[0]?.message).toBe('nesting deeper than 8 levels is not supported');
      expect(issues[0]?.path).toBe(`${'/properties/n'.repeat(9)}`);
    });
  });

  it('accepts nesting of eight levels', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 8; i++) schema = object({ n: schema });
    expect(parseEventSchema(schema).issues).toEqual([]);
  });

  it('reports every issue, with JSON pointers escaped (RFC 6901)', () => {
    const schema = object({
      'a/b': { type: 'text' },
      'c~d': object({ e: { type: 'array', items: { type: 'string', format: 'phone' } } }),
    });
    expect(issuesOf(schema).map((i) => i.path)).toEqual([
      '/properties/a~1b/type',
      '/properties/c~0d/properties/e/items/format',
    ]);
  });

  // Regression (fixed): `name in properties` also finds Object.prototype members, so "toString",
  // "constructor", "hasOwnProperty"… pass as required properties that do not exist.
  it('refuses a required name that only exists on Object.prototype', () => {
    expect(issuesOf(object({ a: { type: 'string' } }, { required: ['toString'] }))).toEqual([
      { path: '/required', message: '"toString" is required but not among the properties' },
    ]);
  });
});

describe('baseType and isNullable', () => {
  it.each<[FieldSchema, string, boolean]>([
    [{ type: 'string' }, 'string', false],
    [{ type: ['integer', 'null'] }, 'integer', true],
    [{ type: ['object', 'null'] }, 'object', true],
  ])('%j is %s, nullable: %s', (schema, type, nullable) => {
    expect(baseType(schema)).toBe(type);
    expect(isNullable(schema)).toBe(nullable);
  });
});

describe('pointerToken', () => {
  it('escapes ~ before /', () => {
    expect(pointerToken('a~/b')).toBe('a~0~1b');
    expect(pointerToken('~1')).toBe('~01');
    expect(pointerToken('plain')).toBe('plain');
  });
});
