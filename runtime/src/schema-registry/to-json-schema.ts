import { STORED_SCHEMAS } from '../events/canonical-event.ts';
import type { ObjectSchema } from './event-schema.ts';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const BASE = 'https://schemas.livora.io';

/** The canonical stored event as one JSON Schema document. */
export function canonicalJsonSchema(): Record<string, unknown> {
  return {
    $schema: DRAFT,
    $id: `${BASE}/canonical-event/v1.json`,
    title: 'LivoraEvent',
    description: 'A Livora canonical event (version 1), as stored in the event log.',
    oneOf: Object.values(STORED_SCHEMAS).map((schema) => JSON.parse(JSON.stringify(schema))),
  };
}

/** A stored track event of one name, its properties described by a tenant schema version. */
export function eventJsonSchema(tenantId: string, eventName: string, version: number, properties: ObjectSchema) {
  const track = JSON.parse(JSON.stringify(STORED_SCHEMAS.track)) as { properties: Record<string, unknown> };
  track.properties.event = { type: 'string', const: eventName };
  track.properties.properties = properties;
  return {
    ...track,
    $schema: DRAFT,
    $id: `${BASE}/tenants/${encodeURIComponent(tenantId)}/events/${encodeURIComponent(eventName)}/v${version}.json`,
    title: eventName,
  };
}
