import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LivoraError } from '../../errors.ts';
import { MAX_BATCH_EVENTS } from '../../events/canonical-event.ts';
import { fromSegmentMessage } from '../../events/from-segment.ts';
import { type Authenticator, principalOf } from '../auth.ts';
import { openToEveryOrigin } from '../cors.ts';
import { allRejected, batchSchemaErrors, type IngestHandler, IngestReply } from './ingest-shared.ts';

const SegmentMessage = Type.Object(
  {
    messageId: Type.Optional(Type.String()),
    anonymousId: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    userId: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    timestamp: Type.Optional(Type.String()),
    context: Type.Optional(Type.Object({}, { additionalProperties: true })),
    properties: Type.Optional(Type.Object({}, { additionalProperties: true })),
    traits: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: true, description: 'A Segment Spec message (https://segment.com/docs/connections/spec/).' },
);

const SegmentBatch = Type.Object(
  {
    batch: Type.Array(Type.Object({ type: Type.String() }, { additionalProperties: true }), {
      minItems: 1,
      maxItems: MAX_BATCH_EVENTS,
    }),
    context: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Merged into every message.' })),
    integrations: Type.Optional(Type.Object({}, { additionalProperties: true })),
    sentAt: Type.Optional(Type.String()),
    writeKey: Type.Optional(Type.String({ maxLength: 64, description: 'For beacons, which cannot send headers.' })),
  },
  { additionalProperties: true },
);

const SegmentReply = Type.Object({ success: Type.Boolean(), ...IngestReply.properties });

const CALLS = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
// analytics.js sends to one-letter paths.
const SHORT: Readonly<Record<(typeof CALLS)[number], string>> = {
  track: 't',
  identify: 'i',
  page: 'p',
  screen: 's',
  group: 'g',
  alias: 'a',
};

/**
 * The Segment HTTP Tracking API (`/v1/batch`, `/v1/track`…): existing Segment and
 * RudderStack clients send here unchanged, authenticated by their write key.
 * Answers 200 `{success: true}` as Segment does, with Livora's per-event report.
 */
export function segmentRoutes(deps: { authenticate: Authenticator; handle: IngestHandler }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const preHandler = deps.authenticate({ permission: 'events:write', bodyWriteKey: true });
    openToEveryOrigin(app, ['/batch', '/b', ...CALLS.flatMap((call) => [`/${call}`, `/${SHORT[call]}`])]);
    const tags = ['segment-compatible'];
    const security: Record<string, string[]>[] = [{ writeKey: [] }, { bearer: [] }];

    for (const url of ['/batch', '/b']) {
      app.post(
        url,
        {
          schema: {
            summary: 'Segment-compatible batch',
            tags,
            security,
            hide: url !== '/batch',
            body: SegmentBatch,
            response: { 200: SegmentReply },
          },
          schemaErrorFormatter: batchSchemaErrors('batch'),
          preHandler,
        },
        async (request) => {
          const { batch, context, integrations, sentAt } = request.body;
          const defaults = { context, integrations, sentAt };
          const result = await deps.handle(
            principalOf(request),
            batch.map((message) => fromSegmentMessage(message, undefined, defaults)),
          );
          if (result.accepted.length === 0) throw allRejected(result);
          return { success: true, ...result };
        },
      );
    }

    for (const call of CALLS) {
      for (const url of [`/${call}`, `/${SHORT[call]}`]) {
        app.post(
          url,
          {
            schema: {
              summary: `Segment-compatible ${call}`,
              tags,
              security,
              hide: url !== `/${call}`,
              body: SegmentMessage,
              response: { 200: SegmentReply },
            },
            preHandler,
          },
          async (request) => {
            const result = await deps.handle(principalOf(request), [fromSegmentMessage(request.body, call)]);
            const rejected = result.rejected[0];
            if (rejected) throw new LivoraError(rejected.code, rejected.message);
            return { success: true, ...result };
          },
        );
      }
    }
  };
}
