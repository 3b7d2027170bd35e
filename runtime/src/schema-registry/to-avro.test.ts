import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { canonicalFields, EVENT_TYPES } from '../events/canonical-event.ts';
import type { ObjectSchema } from './event-schema.ts';
import { avroName, canonicalAvroSchema, eventAvroSchema } from './to-avro.ts';

interface AvroField {
  name: string;
  type: unknown;
  default?: unknown;
  doc?: string;
  'livora.json_name'?: string;
}

const parse = (schema: object) => avro.Type.forSchema(schema as avro.Schema);

/** The fields of a record schema (JSON form), by name. */
function fieldsOf(record: unknown): Map<string, AvroField> {
  return new Map((record as { fields: AvroField[] }).fields.map((f) => [f.name, f]));
}

const ORDER: ObjectSchema = {
  type: 'object',
  description: 'Properties of an order.',
  required: ['order-id', 'total', 'status', 'coupon'],
  properties: {
    'order-id': { type: 'string', description: 'The order.' },
    '9lives': { type: 'integer' },
    total: { type: 'number' },
    status: { type: 'string', enum: ['paid', 'refunded'] },
    stock: { type: 'string', enum: ['in-stock', 'out'] },
    quantity: { type: 'integer', enum: [1, 2, 3] },
    gift: { type: 'boolean' },
    coupon: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string', enum: ['new', 'sale'] } },
    address: {
      type: 'object',
      additionalProperties: false,
      required: ['city'],
      properties: { city: { type: 'string' }, geo: { type: 'array', items: { type: 'number' } } },
    },
  },
};

describe('canonicalAvroSchema', () => {
  const schema = canonicalAvroSchema();
  const type = parse(schema);
  const fields = fieldsOf(schema);

  it('is a valid Avro record named io.livora.events.LivoraEvent', () => {
    expect(type.typeName).toBe('record');
    expect(type.name).toBe('io.livora.events.LivoraEvent');
  });

  it('has one field per canonical field, in the same order', () => {
    expect([...fields.keys()]).toEqual(canonicalFields().map((f) => f.name));
  });

  it('makes fields that not every event carries nullable, with a null default', () => {
    for (const field of canonicalFields()) {
      const avroField = fields.get(field.name);
      if (field.required) {
        expect(Array.isArray(avroField?.type), field.name).toBe(false);
        expect(avroField, field.name).not.toHaveProperty('default');
      } else {
        expect((avroField?.type as unknown[] | undefined)?.[0], field.name).toBe('null');
        expect(avroField?.default, field.name).toBeNull();
      }
    }
    expect(fields.get('event_id')?.type).toBe('string');
    expect(fields.get('schema_version')?.type).toEqual(['null', 'int']);
  });

  it('has the event type as an enum of the six calls, and v as an int', () => {
    expect(fields.get('type')?.type).toEqual({ type: 'enum', name: 'EventType', symbols: [...EVENT_TYPES] });
    expect(fields.get('v')?.type).toBe('int');
  });

  it('carries free-form objects as JSON text', () => {
    for (const name of ['properties', 'traits', 'context', 'integrations']) {
      expect(fields.get(name)?.type, name).toEqual(['null', 'string']);
      expect(fields.get(name)?.doc, name).toMatch(/\(JSON text\)$/);
    }
  });

  it('round-trips a stored event', () => {
    const event = {
      type: 'track',
      event: 'Order Completed',
      properties: JSON.stringify({ total: 9.5 }),
      event_id: 'evt-1',
      user_id: null,
      anonymous_id: 'anon-1',
      session_id: null,
      timestamp: '2024-05-01T11:59:00.000Z',
      sent_at: '2024-05-01T12:05:00.000Z',
      context: JSON.stringify({ ip: '203.0.113.9' }),
      integrations: null,
      v: 1,
      tenant_id: 'acme',
      source_id: 'key-1',
      original_timestamp: '2024-05-01T12:04:00.000Z',
      received_at: '2024-05-01T12:00:00.000Z',
      schema_version: 3,
      traits: null,
      name: null,
      category: null,
      group_id: null,
      previous_id: null,
    };
    expect(type.isValid(event)).toBe(true);
    expect(type.fromBuffer(type.toBuffer(event))).toEqual(event);
    expect(type.isValid({ ...event, type: 'purchase' })).toBe(false);
    expect(type.isValid({ ...event, event_id: null })).toBe(false);
  });
});

describe('eventAvroSchema', () => {
  const schema = eventAvroSchema('acme-co', 'Order Completed', 3, ORDER);
  const type = parse(schema);
  const properties = fieldsOf(schema).get('properties')?.type as { name: string; fields: AvroField[]; doc?: string };
  const fields = fieldsOf(properties);

  it('is a valid Avro record named after the tenant, the event and the version', () => {
    expect(type.name).toBe('io.livora.events.acme_co.Order_Completed_v3');
    expect(schema['livora.event']).toBe('Order Completed');
    expect(schema['livora.version']).toBe(3);
  });

  it('keeps the canonical fields of a track event, and types the properties', () => {
    const names = [...fieldsOf(schema).keys()];
    for (const dropped of ['name', 'category', 'traits', 'group_id', 'previous_id'])
      expect(names).not.toContain(dropped);
    for (const kept of ['type', 'event', 'event_id', 'timestamp', 'context', 'tenant_id'])
      expect(names).toContain(kept);
    expect(names.filter((n) => n === 'properties')).toHaveLength(1);
    expect(properties.name).toBe('Order_Completed_v3_properties');
    expect(fieldsOf(schema).get('properties')?.doc).toBe('Properties of an order.');
  });

  it('renames properties whose names Avro refuses, and records the JSON name', () => {
    expect(fields.get('order_id')).toMatchObject({ type: 'string', doc: 'The order.', 'livora.json_name': 'order-id' });
    expect(fields.get('_9lives')).toMatchObject({ type: ['null', 'long'], 'livora.json_name': '9lives' });
    expect(fields.get('total')).not.toHaveProperty(['livora.json_name']);
  });

  it('maps base types: integer → long, number → double, boolean → boolean', () => {
    expect(fields.get('total')?.type).toBe('double');
    expect(fields.get('gift')?.type).toEqual(['null', 'boolean']);
    expect(fields.get('quantity')?.type).toEqual(['null', 'long']);
  });

  it('makes a string enum with valid Avro symbols an Avro enum, and any other a string', () => {
    expect(fields.get('status')?.type).toEqual({
      type: 'enum',
      name: 'Order_Completed_v3_properties_status',
      symbols: ['paid', 'refunded'],
    });
    expect(fields.get('stock')?.type).toEqual(['null', 'string']);
  });

  it('makes optional and nullable fields unions with null; only optional ones default to null', () => {
    expect(fields.get('coupon')).toEqual({ name: 'coupon', type: ['null', 'string'] });
    expect(fields.get('note')).toEqual({ name: 'note', type: ['null', 'string'], default: null });
  });

  it('maps arrays and nested objects', () => {
    expect(fields.get('tags')?.type).toEqual([
      'null',
      {
        type: 'array',
        items: { type: 'enum', name: 'Order_Completed_v3_properties_tags_item', symbols: ['new', 'sale'] },
      },
    ]);
    const address = (fields.get('address')?.type as unknown[] | undefined)?.[1] as { name: string; doc?: string };
    expect(address.name).toBe('Order_Completed_v3_properties_address');
    expect(address).not.toHaveProperty('doc'); // closed object: every property is carried
    expect(fieldsOf(address).get('city')?.type).toBe('string');
    expect(fieldsOf(address).get('geo')?.type).toEqual(['null', { type: 'array', items: 'double' }]);
    expect(properties.doc).toMatch(/^Open object/);
  });

  it('round-trips an event and refuses values outside the schema', () => {
    const event = {
      type: 'track',
      event: 'Order Completed',
      event_id: 'evt-1',
      user_id: 'u-1',
      anonymous_id: null,
      session_id: null,
      timestamp: '2024-05-01T11:59:00.000Z',
      sent_at: null,
      context: null,
      integrations: null,
      v: 1,
      tenant_id: 'acme-co',
      source_id: 'key-1',
      original_timestamp: null,
      received_at: '2024-05-01T12:00:00.000Z',
      schema_version: 3,
      properties: {
        order_id: 'o-1',
        _9lives: 9,
        total: 19.99,
        status: 'refunded',
        stock: 'in-stock',
        quantity: 2,
        gift: false,
        coupon: null,
        note: 'leave at the door',
        tags: ['sale', 'new'],
        address: { city: 'Lyon', geo: [45.76, 4.84] },
      },
    };
    expect(type.isValid(event)).toBe(true);
    expect(type.fromBuffer(type.toBuffer(event))).toEqual(event);
    expect(type.isValid({ ...event, properties: { ...event.properties, status: 'lost' } })).toBe(false);
    expect(type.isValid({ ...event, properties: { ...event.properties, tags: ['old'] } })).toBe(false);
    expect(type.isValid({ ...event, properties: { ...event.properties, address: null } })).toBe(true);
  });

  it('gives distinct names to properties that sanitise to the same name', () => {
    const clash: ObjectSchema = {
      type: 'object',
      properties: { 'a-b': { type: 'string' }, a_b: { type: 'integer' }, 'a b': { type: 'boolean' } },
    };
    const record = fieldsOf(eventAvroSchema('t', 'e', 1, clash)).get('properties')?.type;
    expect([...fieldsOf(record).keys()]).toEqual(['a_b', 'a_b_', 'a_b__']);
    expect(fieldsOf(record).get('a_b')).toMatchObject({ type: ['null', 'string'], 'livora.json_name': 'a-b' });
    expect(fieldsOf(record).get('a_b_')).toMatchObject({ type: ['null', 'long'], 'livora.json_name': 'a_b' });
    expect(() => parse(eventAvroSchema('t', 'e', 1, clash))).not.toThrow();
  });

  it('sanitises tenant ids and event names into valid Avro names', () => {
    const type = parse(eventAvroSchema('9-lives', 'page.viewed/v2', 12, { type: 'object' }));
    expect(type.name).toBe('io.livora.events._9_lives.page_viewed_v2_v12');
  });

  // Regression (fixed): nested type names are `${parent}_${field}` (and `_item` for array items), so two
  // different paths can make the same full name; avsc then refuses the schema with
  // "duplicate type name". E.g. an enum "a-b" next to an object "a" holding an enum "b".
  it('gives distinct names to nested types whose paths join to the same name', () => {
    const clash: ObjectSchema = {
      type: 'object',
      properties: {
        'a-b': { type: 'string', enum: ['x'] },
        a: { type: 'object', properties: { b: { type: 'string', enum: ['y'] } } },
      },
    };
    expect(() => parse(eventAvroSchema('t', 'e', 1, clash))).not.toThrow();
  });
});

describe('avroName', () => {
  it.each([
    ['order_id', 'order_id'],
    ['order-id', 'order_id'],
    ['9lives', '_9lives'],
    ['Order Completed', 'Order_Completed'],
    ['prix€', 'prix_'],
    ['', '_'],
  ])('%j → %j', (text, name) => {
    expect(avroName(text)).toBe(name);
    expect(avroName(text)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });
});
