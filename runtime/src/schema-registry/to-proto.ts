import { canonicalFields } from '../events/canonical-event.ts';

/**
 * Field numbers of the canonical event in protobuf. They are part of the wire format:
 * never renumber or reuse one; a new field takes the next free number.
 */
export const PROTO_FIELD_NUMBERS: Readonly<Record<string, number>> = {
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
};

/** The canonical event as a proto3 file: free-form objects are Structs, times are Timestamps. */
export function canonicalProto(): string {
  const lines = [
    'syntax = "proto3";',
    '',
    'package livora.events.v1;',
    '',
    'import "google/protobuf/struct.proto";',
    'import "google/protobuf/timestamp.proto";',
    '',
    '// A Livora canonical event (version 1), as stored in the event log.',
    'message LivoraEvent {',
    '  enum Type {',
    '    TYPE_UNSPECIFIED = 0;',
  ];
  const fields = canonicalFields();
  const symbols = (fields.find((f) => f.name === 'type')?.schema.enum ?? []) as string[];
  for (const [i, symbol] of symbols.entries()) lines.push(`    TYPE_${symbol.toUpperCase()} = ${i + 1};`);
  lines.push('  }', '');
  for (const field of fields) {
    const number = PROTO_FIELD_NUMBERS[field.name];
    if (number === undefined) throw new Error(`canonical field ${field.name} has no protobuf field number`);
    const { schema } = field;
    let type = 'string';
    if (field.name === 'type') type = 'Type';
    else if (schema.type === 'integer' || schema.const !== undefined) type = 'int32';
    else if (schema.type === 'object') type = 'google.protobuf.Struct';
    else if (schema.format === 'date-time') type = 'google.protobuf.Timestamp';
    const presence = !field.required && (type === 'string' || type === 'int32') ? 'optional ' : '';
    if (schema.description) lines.push(`  // ${schema.description}`);
    lines.push(`  ${presence}${type} ${field.name} = ${number};`);
  }
  lines.push('}', '');
  return lines.join('\n');
}
