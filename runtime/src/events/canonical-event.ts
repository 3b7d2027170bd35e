import { type Static, Type } from 'typebox';

/**
 * The canonical event (version 1): the Segment Spec's track/identify/page/screen/group/
 * alias calls, in snake_case. `CanonicalEventInput` is what clients send to /v1/events;
 * `StoredEvent` is what the log holds (the input plus the server's envelope).
 */

export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CANONICAL_EVENT_VERSION = 1;
export const MAX_BATCH_EVENTS = 100;
export const MAX_EVENT_BYTES = 32 * 1024;

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });
const JsonObject = (description: string) => Type.Object({}, { additionalProperties: true, description });
const Timestamp = (description: string) => Type.String({ format: 'date-time', description });

const common = {
  event_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      description:
        'Client-made id (Segment messageId); a retry with the same id never counts twice. Made by the server when absent.',
    }),
  ),
  user_id: Type.Optional(Id('Your id of the user, once known.')),
  anonymous_id: Type.Optional(Id('Device or browser id, before and after identification.')),
  session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Client session id.' })),
  timestamp: Type.Optional(Timestamp('When the event happened, by the client’s clock (UTC ISO 8601).')),
  sent_at: Type.Optional(Timestamp('When the client sent it; used to correct client clock skew.')),
  context: Type.Optional(JsonObject('Context of the call: ip, user_agent, page, campaign, library, locale…')),
  integrations: Type.Optional(JsonObject('Per-destination switches, passed through.')),
};

export const TrackInput = Type.Object(
  {
    type: Type.Literal('track'),
    event: Type.String({ minLength: 1, maxLength: 200, description: 'Event name, e.g. "Order Completed".' }),
    properties: Type.Optional(JsonObject('Event properties.')),
    ...common,
  },
  { additionalProperties: false, title: 'TrackEvent' },
);

const Page = (type: 'page' | 'screen', title: string) =>
  Type.Object(
    {
      type: Type.Literal(type),
      name: Type.Optional(Type.String({ maxLength: 200, description: `${title} name.` })),
      category: Type.Optional(Type.String({ maxLength: 200, description: `${title} category.` })),
      properties: Type.Optional(JsonObject(`${title} properties (url, path, referrer, title…).`)),
      ...common,
    },
    { additionalProperties: false, title: `${title}Event` },
  );

export const PageInput = Page('page', 'Page');
export const ScreenInput = Page('screen', 'Screen');

export const IdentifyInput = Type.Object(
  { type: Type.Literal('identify'), traits: Type.Optional(JsonObject('User traits.')), ...common },
  { additionalProperties: false, title: 'IdentifyEvent' },
);

export const GroupInput = Type.Object(
  {
    type: Type.Literal('group'),
    group_id: Id('The account, company or organisation joined.'),
    traits: Type.Optional(JsonObject('Group traits.')),
    ...common,
  },
  { additionalProperties: false, title: 'GroupEvent' },
);

export const AliasInput = Type.Object(
  {
    type: Type.Literal('alias'),
    previous_id: Id('The id being merged into user_id.'),
    ...common,
    user_id: Id('The id that previous_id becomes.'),
  },
  { additionalProperties: false, title: 'AliasEvent' },
);

export const INPUT_SCHEMAS = {
  track: TrackInput,
  identify: IdentifyInput,
  page: PageInput,
  screen: ScreenInput,
  group: GroupInput,
  alias: AliasInput,
} as const;

export const CanonicalEventInput = Type.Union(
  [TrackInput, IdentifyInput, PageInput, ScreenInput, GroupInput, AliasInput],
  {
    title: 'CanonicalEvent',
    description: 'One event; user_id or anonymous_id is required.',
  },
);
export type CanonicalEventInput = Static<typeof CanonicalEventInput>;

/** Fields the server adds. */
export const Envelope = {
  v: Type.Literal(CANONICAL_EVENT_VERSION, { description: 'Version of the canonical event.' }),
  event_id: Type.String({ description: 'The client’s id, or one made by the server.' }),
  tenant_id: Type.String(),
  source_id: Type.String({ description: 'The write key (or token subject) that sent the event.' }),
  timestamp: Timestamp('When the event happened, corrected for client clock skew when sent_at is given.'),
  original_timestamp: Type.Optional(Timestamp('The client’s timestamp, before correction.')),
  received_at: Timestamp('When the API received the event.'),
  schema_version: Type.Optional(
    Type.Integer({ description: 'Version of the tenant schema the event was checked against.' }),
  ),
};

export type StoredEvent = CanonicalEventInput & {
  v: typeof CANONICAL_EVENT_VERSION;
  event_id: string;
  tenant_id: string;
  source_id: string;
  timestamp: string;
  original_timestamp?: string;
  received_at: string;
  schema_version?: number;
};

/** The stored event of each type: the input with the envelope's fields added. */
export const STORED_SCHEMAS = Object.fromEntries(
  EVENT_TYPES.map((type) => [
    type,
    Type.Object(
      { ...INPUT_SCHEMAS[type].properties, ...Envelope },
      { additionalProperties: false, title: `Stored${type[0]?.toUpperCase()}${type.slice(1)}Event` },
    ),
  ]),
) as unknown as Record<EventType, ReturnType<typeof Type.Object>>;

export interface CanonicalField {
  readonly name: string;
  readonly schema: { type?: string; enum?: unknown[]; const?: unknown; format?: string; description?: string };
  /** Present on every stored event, whatever its type. */
  readonly required: boolean;
}

/** Every field a stored event may carry, once, in a stable order (for Avro and protobuf). */
export function canonicalFields(): CanonicalField[] {
  const fields = new Map<string, CanonicalField>();
  for (const type of EVENT_TYPES) {
    const schema = STORED_SCHEMAS[type] as unknown as {
      properties: Record<string, CanonicalField['schema']>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(schema.properties)) {
      const required = (schema.required ?? []).includes(name);
      const seen = fields.get(name);
      if (!seen)
        fields.set(name, {
          name,
          schema: name === 'type' ? { type: 'string', enum: [...EVENT_TYPES] } : property,
          required,
        });
      else if (seen.required && !required) fields.set(name, { ...seen, required: false });
    }
  }
  for (const [name, field] of fields) {
    const everywhere = EVENT_TYPES.every(
      (type) => name in (STORED_SCHEMAS[type] as unknown as { properties: object }).properties,
    );
    if (!everywhere) fields.set(name, { ...field, required: false });
  }
  return [...fields.values()];
}
