import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CanonicalEventInput, MAX_BATCH_EVENTS } from '../../events/canonical-event.ts';
import type { Authenticator } from '../auth.ts';
import { principalOf } from '../auth.ts';
import { openToEveryOrigin } from '../cors.ts';
import { allRejected, batchSchemaErrors, type IngestHandler, IngestReply } from './ingest-shared.ts';

const EventsBody = Type.Object(
  {
    events: Type.Array(
      Type.Unknown({ description: 'A canonical event (see CanonicalEvent); each is checked on its own.' }),
      {
        minItems: 1,
        maxItems: MAX_BATCH_EVENTS,
      },
    ),
    writeKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'The write key, for browsers posting text/plain without headers (beacons, no CORS preflight).',
      }),
    ),
  },
  { additionalProperties: false },
);

/** POST /v1/events: Livora's own ingestion endpoint, canonical (snake_case) events. */
export function eventsRoutes(deps: { authenticate: Authenticator; handle: IngestHandler }): FastifyPluginAsyncTypebox {
  return async (app) => {
    openToEveryOrigin(app, ['/events']);
    app.addSchema({ ...CanonicalEventInput, $id: 'CanonicalEvent' });
    app.post(
      '/events',
      {
        schema: {
          summary: 'Send a batch of events',
          description:
            'Up to 100 canonical events. Each valid event is durably written to the event log before the 202; ' +
            'invalid ones are reported by index with a stable code. A request where every event is invalid gets 400.',
          tags: ['ingestion'],
          security: [{ writeKey: [] }, { bearer: [] }],
          body: EventsBody,
          response: { 202: IngestReply },
        },
        schemaErrorFormatter: batchSchemaErrors('events'),
        preHandler: deps.authenticate({ permission: 'events:write', bodyWriteKey: true }),
      },
      async (request, reply) => {
        const result = await deps.handle(principalOf(request), request.body.events);
        if (result.accepted.length === 0) throw allRejected(result);
        return reply.code(202).send(result);
      },
    );
  };
}
