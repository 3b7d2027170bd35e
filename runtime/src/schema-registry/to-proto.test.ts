import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { canonicalFields, EVENT_TYPES } from '../events/canonical-event.ts';
import { canonicalProto, PROTO_FIELD_NUMBERS } from './to-proto.ts';

/** Parses the generated file with the google/protobuf well-known types protobufjs bundles. */
function load(source: string): protobuf.Type {
  const root = new protobuf.Root();
  const parsed = protobuf.parse(source, root, { keepCase: true });
  expect(parsed.package).toBe('livora.events.v1');
  for (const file of parsed.imports ?? []) {
    const common = protobuf.common.get(file);
    if (!common?.nested) throw new Error(`protobufjs does not bundle ${file}`);
    root.addJSON(common.nested);
  }
  root.resolveAll();
  return root.lookupType('livora.events.v1.LivoraEvent');
}

describe('PROTO_FIELD_NUMBERS', () => {
  it('numbers every canonical field', () => {
    const missing = canonicalFields()
      .map((f) => f.name)
      .filter((name) => PROTO_FIELD_NUMBERS[name] === undefined);
    expect(missing).toEqual([]);
  });

  it('has no number for a field that does not exist', () => {
    const names = new Set(canonicalFields().map((f) => f.name));
    expect(Object.keys(PROTO_FIELD_NUMBERS).filter((name) => !names.has(name))).toEqual([]);
  });

  it('uses each number once, within protobuf’s valid range', () => {
    const numbers = Object.values(PROTO_FIELD_NUMBERS);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers) {
      expect(Number.isInteger(n) && n >= 1 && n <= 536_870_911 && (n < 19_000 || n > 19_999)).toBe(true);
    }
  });

  it('never renumbers a released field (wire format)', () => {
    expect(PROTO_FIELD_NUMBERS).toMatchObject({
      v: 1,
      event_id: 2,
      tenant_id: 3,
      source_id: 4,
      type: 5,
      event: 6,
      name: 7,
      category: 8,
      user_id: 9,
      anonymous_id: 10,
      group_id: 11,
      previous_id: 12,
      session_id: 13,
      properties: 14,
      traits: 15,
      context: 16,
      integrations: 17,
      timestamp: 18,
      original_timestamp: 19,
      sent_at: 20,
      received_at: 21,
      schema_version: 22,
    });
  });
});

describe('canonicalProto', () => {
  const message = load(canonicalProto());
  const field = (name: string) => {
    const found = message.fields[name];
    if (!found) throw new Error(`no field ${name}`);
    return found;
  };

  it('is a proto3 file protobufjs parses, declaring every canonical field with its number', () => {
    expect(canonicalProto()).toMatch(/^syntax = "proto3";\n/);
    expect(Object.fromEntries(message.fieldsArray.map((f) => [f.name, f.id]))).toEqual(
      Object.fromEntries(canonicalFields().map((f) => [f.name, PROTO_FIELD_NUMBERS[f.name]])),
    );
  });

  it('has the event type as an enum with an unspecified zero value', () => {
    expect(field('type').type).toBe('Type');
    const type = message.lookupEnum('Type');
    expect(type.values).toEqual({
      TYPE_UNSPECIFIED: 0,
      ...Object.fromEntries(EVENT_TYPES.map((t, i) => [`TYPE_${t.toUpperCase()}`, i + 1])),
    });
  });

  it('types times as Timestamps, free-form objects as Structs, versions as int32', () => {
    for (const name of ['timestamp', 'sent_at', 'original_timestamp', 'received_at']) {
      expect(field(name).resolvedType?.fullName, name).toBe('.google.protobuf.Timestamp');
    }
    for (const name of ['properties', 'traits', 'context', 'integrations']) {
      expect(field(name).resolvedType?.fullName, name).toBe('.google.protobuf.Struct');
    }
    expect(field('v').type).toBe('int32');
    expect(field('schema_version').type).toBe('int32');
    expect(field('event_id').type).toBe('string');
  });

  it('gives presence (proto3 optional) to scalar fields that not every event carries', () => {
    for (const f of canonicalFields()) {
      const scalar = ['string', 'int32'].includes(field(f.name).type);
      const optional = field(f.name).partOf?.name === `_${f.name}`;
      expect(optional, f.name).toBe(scalar && !f.required);
    }
    expect(field('user_id').partOf?.name).toBe('_user_id');
    expect(field('event_id').partOf).toBeNull();
  });

  it('encodes and decodes an event', () => {
    const event = {
      v: 1,
      event_id: 'evt-1',
      tenant_id: 'acme',
      source_id: 'key-1',
      type: 'TYPE_TRACK',
      event: 'Order Completed',
      user_id: 'u-1',
      properties: { fields: { total: { numberValue: 9.5 }, coupon: { nullValue: 'NULL_VALUE' } } },
      context: { fields: { library: { structValue: { fields: { name: { stringValue: 'analytics.js' } } } } } },
      timestamp: { seconds: 1_714_564_740, nanos: 250_000_000 },
      received_at: { seconds: 1_714_564_800, nanos: 0 },
      schema_version: 3,
    };
    const bytes = message.encode(message.fromObject(event)).finish();
    const decoded = message.toObject(message.decode(bytes), { enums: String, longs: Number });
    expect(decoded).toEqual({ ...event, received_at: { seconds: 1_714_564_800 } });
  });

  it('tells an absent optional field from an empty one', () => {
    const decode = (value: object) =>
      message.toObject(message.decode(message.encode(message.fromObject(value)).finish()));
    expect(decode({ event_id: 'e' })).not.toHaveProperty('user_id');
    expect(decode({ event_id: 'e', user_id: '' })).toHaveProperty('user_id', '');
  });
});
