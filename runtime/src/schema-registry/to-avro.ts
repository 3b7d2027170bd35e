import { type CanonicalField, canonicalFields } from '../events/canonical-event.ts';
import { baseType, type FieldSchema, isNullable, type ObjectSchema } from './event-schema.ts';

/** Avro schemas (JSON form) of the canonical event and of tenant event schemas. */

type AvroType = string | Record<string, unknown> | AvroType[];
const NAMESPACE = 'io.livora.events';
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The canonical stored event. Free-form objects (properties, traits, context) travel as JSON text. */
export function canonicalAvroSchema(): Record<string, unknown> {
  return {
    type: 'record',
    name: 'LivoraEvent',
    namespace: NAMESPACE,
    doc: 'A Livora canonical event (version 1). Free-form objects are JSON text.',
    fields: canonicalFields().map((field) => canonicalField(field)),
  };
}

/** A track event of one name, its properties typed by a tenant schema version. */
export function eventAvroSchema(tenantId: string, eventName: string, version: number, properties: ObjectSchema) {
  const name = `${avroName(eventName)}_v${version}`;
  const namespace = `${NAMESPACE}.${avroName(tenantId)}`;
  const fields = canonicalFields()
    .filter((f) => !['name', 'category', 'traits', 'group_id', 'previous_id', 'properties'].includes(f.name))
    .map((field) => canonicalField(field));
  fields.push({
    name: 'properties',
    type: recordType(`${name}_properties`, properties, new Set([name])),
    doc: properties.description ?? 'Event properties.',
  });
  return {
    type: 'record',
    name,
    namespace,
    doc: `Track event "${eventName}", schema version ${version}.`,
    'livora.event': eventName,
    'livora.version': version,
    fields,
  };
}

function canonicalField(field: CanonicalField): Record<string, unknown> {
  const { schema } = field;
  const type: AvroType =
    field.name === 'type'
      ? { type: 'enum', name: 'EventType', symbols: schema.enum as string[] }
      : schema.type === 'integer' || schema.const !== undefined
        ? 'int'
        : 'string';
  const doc = schema.type === 'object' ? `${schema.description ?? ''} (JSON text)`.trim() : schema.description;
  return field.required
    ? { name: field.name, type, ...(doc ? { doc } : {}) }
    : { name: field.name, type: ['null', type], default: null, ...(doc ? { doc } : {}) };
}

/** `names`: every named type of the schema so far; Avro needs them unique. */
function recordType(wanted: string, schema: FieldSchema, names: Set<string>): Record<string, unknown> {
  const name = uniqueName(wanted, names);
  const used = new Set<string>();
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([jsonName, child]) => {
    let fieldName = avroName(jsonName);
    while (used.has(fieldName)) fieldName = `${fieldName}_`;
    used.add(fieldName);
    const type = fieldType(`${name}_${fieldName}`, child, names);
    const optional = !required.has(jsonName);
    return {
      name: fieldName,
      type: optional ? ['null', ...withoutNull(type)] : type,
      ...(optional ? { default: null } : {}),
      ...(child.description ? { doc: child.description } : {}),
      ...(fieldName !== jsonName ? { 'livora.json_name': jsonName } : {}),
    };
  });
  return {
    type: 'record',
    name,
    fields,
    ...(schema.additionalProperties !== false
      ? { doc: 'Open object: properties not listed here are not carried in Avro.' }
      : {}),
  };
}

function fieldType(name: string, schema: FieldSchema, names: Set<string>): AvroType {
  let type: AvroType;
  switch (baseType(schema)) {
    case 'string':
      type = schema.enum?.every((v) => typeof v === 'string' && AVRO_NAME.test(v))
        ? { type: 'enum', name: uniqueName(name, names), symbols: schema.enum }
        : 'string';
      break;
    case 'integer':
      type = 'long';
      break;
    case 'number':
      type = 'double';
      break;
    case 'boolean':
      type = 'boolean';
      break;
    case 'array':
      type = { type: 'array', items: fieldType(`${name}_item`, schema.items as FieldSchema, names) };
      break;
    case 'object':
      type = recordType(name, schema, names);
      break;
  }
  return isNullable(schema) ? ['null', type] : type;
}

function withoutNull(type: AvroType): AvroType[] {
  return Array.isArray(type) ? type.filter((t) => t !== 'null') : [type];
}

function uniqueName(wanted: string, names: Set<string>): string {
  let name = wanted;
  for (let n = 2; names.has(name); n++) name = `${wanted}_${n}`;
  names.add(name);
  return name;
}

/** A valid Avro name for any text: invalid characters become underscores. */
export function avroName(text: string): string {
  const name = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}
