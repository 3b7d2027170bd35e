import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SchemaRegistry } from '../../schema-registry/registry.ts';
import type { SchemaVersion } from '../../schema-registry/schema-store.ts';
import { canonicalAvroSchema, eventAvroSchema } from '../../schema-registry/to-avro.ts';
import { canonicalJsonSchema, eventJsonSchema } from '../../schema-registry/to-json-schema.ts';
import { canonicalProto } from '../../schema-registry/to-proto.ts';
import { type Authenticator, principalOf } from '../auth.ts';

const EventParam = Type.Object({ event: Type.String({ minLength: 1, maxLength: 200, description: 'Event name.' }) });
const VersionParams = Type.Object({ ...EventParam.properties, version: Type.Integer({ minimum: 1 }) });
const Format = Type.Object({
  format: Type.Optional(
    Type.Enum(['livora', 'json-schema', 'avro'], {
      default: 'livora',
      description: 'livora: the version record; json-schema or avro: the whole track event as that schema.',
    }),
  ),
});

const VersionReply = Type.Object({
  event: Type.String(),
  version: Type.Integer(),
  schema: Type.Object({}, { additionalProperties: true, description: 'JSON Schema of the event properties.' }),
  description: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
});

const toReply = (v: SchemaVersion) => ({
  event: v.event,
  version: v.version,
  schema: v.schema as unknown as Record<string, unknown>,
  description: v.description,
  created_at: v.createdAt.toISOString(),
});

/** The schema registry: per-tenant, versioned schemas of track events, and the canonical event's exports. */
export function schemaRoutes(deps: {
  authenticate: Authenticator;
  registry: SchemaRegistry;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    const read = deps.authenticate({ permission: 'schemas:read' });
    const write = deps.authenticate({ permission: 'schemas:write' });
    const tags = ['schemas'];
    const security: Record<string, string[]>[] = [{ bearer: [] }];

    app.get(
      '/schemas',
      {
        schema: {
          summary: 'Latest version of every event schema of the tenant',
          tags,
          security,
          response: { 200: Type.Object({ schemas: Type.Array(VersionReply) }) },
        },
        preHandler: read,
      },
      async (request) => ({ schemas: (await deps.registry.list(principalOf(request).tenantId)).map(toReply) }),
    );

    app.post(
      '/schemas/:event',
      {
        schema: {
          summary: 'Register a new version of an event schema',
          description:
            'The body’s schema (a JSON Schema subset: string, number, integer, boolean, array, object; enum, format, ' +
            'length and range keywords) describes the properties of track events of this name. It must be backward ' +
            'compatible with every earlier version (409 otherwise). Registering the latest schema again answers 200.',
          tags,
          security,
          params: EventParam,
          body: Type.Object(
            {
              schema: Type.Object({}, { additionalProperties: true }),
              description: Type.Optional(Type.String({ maxLength: 2000 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: VersionReply, 201: VersionReply },
        },
        preHandler: write,
      },
      async (request, reply) => {
        const { created, version } = await deps.registry.register(
          principalOf(request).tenantId,
          request.params.event,
          request.body.schema,
          request.body.description ?? null,
        );
        return reply.code(created ? 201 : 200).send(toReply(version));
      },
    );

    app.get(
      '/schemas/:event',
      {
        schema: {
          summary: 'Every version of an event schema',
          tags,
          security,
          params: EventParam,
          response: { 200: Type.Object({ event: Type.String(), versions: Type.Array(VersionReply) }) },
        },
        preHandler: read,
      },
      async (request) => ({
        event: request.params.event,
        versions: (await deps.registry.versions(principalOf(request).tenantId, request.params.event)).map(toReply),
      }),
    );

    app.get(
      '/schemas/:event/versions/:version',
      {
        schema: {
          summary: 'One version, as stored or exported as JSON Schema or Avro',
          tags,
          security,
          params: VersionParams,
          querystring: Format,
          response: { 200: Type.Object({}, { additionalProperties: true }) },
        },
        preHandler: read,
      },
      async (request) => {
        const tenantId = principalOf(request).tenantId;
        const v = await deps.registry.version(tenantId, request.params.event, request.params.version);
        switch (request.query.format ?? 'livora') {
          case 'json-schema':
            return eventJsonSchema(tenantId, v.event, v.version, v.schema);
          case 'avro':
            return eventAvroSchema(tenantId, v.event, v.version, v.schema);
          default:
            return toReply(v);
        }
      },
    );

    app.get(
      '/canonical-event',
      {
        schema: {
          summary: 'The canonical event as JSON Schema, Avro or a .proto file',
          tags,
          querystring: Type.Object({
            format: Type.Optional(Type.Enum(['json-schema', 'avro', 'proto'], { default: 'json-schema' })),
          }),
        },
      },
      async (request, reply) => {
        switch (request.query.format ?? 'json-schema') {
          case 'proto':
            return reply
              .type('text/plain; charset=utf-8')
              .header('content-disposition', 'inline; filename="livora_event.proto"')
              .send(canonicalProto());
          case 'avro':
            return canonicalAvroSchema();
          default:
            return canonicalJsonSchema();
        }
      },
    );
  };
}
