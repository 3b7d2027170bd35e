import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuditReader } from '../../audit/audit-log.ts';
import { type Authenticator, principalOf } from '../auth.ts';

const Entry = Type.Object({
  id: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  entity: Type.String(),
  entity_id: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  request_id: Type.Union([Type.String(), Type.Null()]),
  at: Type.String({ format: 'date-time' }),
});

/** GET /v1/audit: the tenant's audit log, newest first (admins). */
export function auditRoutes(deps: { authenticate: Authenticator; audit: AuditReader }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          security: [{ bearer: [] }],
          summary: 'The audit log',
          description: 'Every change and sign-in of the tenant: who, when, what, before and after, and the request id.',
          querystring: Type.Object(
            {
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
              cursor: Type.Optional(Type.String({ maxLength: 100 })),
              action: Type.Optional(Type.String({ maxLength: 100 })),
              entity: Type.Optional(Type.String({ maxLength: 100 })),
              entity_id: Type.Optional(Type.String({ maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ entries: Type.Array(Entry), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
        preHandler: deps.authenticate({ permission: 'audit:read' }),
      },
      async (request) => {
        const q = request.query;
        const page = await deps.audit.list(principalOf(request).tenantId, {
          limit: q.limit ?? 50,
          ...(q.cursor ? { cursor: q.cursor } : {}),
          ...(q.action ? { action: q.action } : {}),
          ...(q.entity ? { entity: q.entity } : {}),
          ...(q.entity_id ? { entityId: q.entity_id } : {}),
        });
        return {
          entries: page.entries.map((e) => ({
            id: e.id,
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entityId,
            before: e.before,
            after: e.after,
            request_id: e.requestId,
            at: e.at.toISOString(),
          })),
          next_cursor: page.nextCursor,
        };
      },
    );
  };
}
