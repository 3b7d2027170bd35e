import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ProfileReader } from '../../profiles/profile-reader.ts';
import { type Authenticator, principalOf } from '../auth.ts';

const Session = Type.Object({
  session_id: Type.String(),
  started_at: Type.String({ format: 'date-time' }),
  ended_at: Type.String({ format: 'date-time' }),
  duration_seconds: Type.Number(),
  page_views: Type.Integer(),
  events: Type.Integer(),
  bounce: Type.Boolean(),
  landing_page: Type.Union([Type.String(), Type.Null()]),
  entry_channel: Type.String(),
});

const ProfileReply = Type.Object({
  person_id: Type.String(),
  user_id: Type.Union([Type.String(), Type.Null()]),
  anonymous_ids: Type.Array(Type.String()),
  user_ids: Type.Array(Type.String()),
  traits: Type.Object({}, { additionalProperties: true }),
  first_seen: Type.String({ format: 'date-time' }),
  last_seen: Type.String({ format: 'date-time' }),
  event_count: Type.Integer(),
  session_count: Type.Integer(),
  last_channel: Type.Union([Type.String(), Type.Null()]),
  order_count: Type.Integer(),
  revenue: Type.Array(
    Type.Object({
      currency: Type.String(),
      orders: Type.Integer(),
      amount: Type.String({ description: 'Exact decimal.' }),
    }),
  ),
  recent_sessions: Type.Array(Session),
});

/** GET /v1/profiles/:id — a person's live profile, by person id, user id or anonymous id. */
export function profileRoutes(deps: {
  authenticate: Authenticator;
  profiles: ProfileReader;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/profiles/:id',
      {
        schema: {
          summary: 'A person’s profile',
          description:
            'Traits (latest wins), first and last seen, counts, the channel of the latest session, orders and revenue per ' +
            'currency, and recent sessions. The id may be a person id, a user id or an anonymous id; a merged person ' +
            'answers with the person it was merged into.',
          tags: ['profiles'],
          security: [{ bearer: [] }],
          params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) }),
          response: { 200: ProfileReply },
        },
        preHandler: deps.authenticate({ permission: 'profiles:read' }),
      },
      async (request) => deps.profiles.get(principalOf(request).tenantId, request.params.id),
    );
  };
}
