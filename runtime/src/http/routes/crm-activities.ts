import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ActivityInbox } from '../../crm/activity-inbox.ts';
import { ACTIVITIES } from '../../crm/record-kinds.ts';
import type { RecordService } from '../../crm/record-service.ts';
import { type Authenticator, principalOf } from '../auth.ts';
import { Common, Id, type RecordShape, recordRoutes } from './crm.ts';

const Time = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const ActivityFields = {
  kind: Type.Union(['task', 'call', 'meeting', 'note', 'email'].map((k) => Type.Literal(k))),
  subject: Type.String({ minLength: 1, maxLength: 300 }),
  body: Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()]),
  due_at: Time,
  occurred_at: Time,
  assignee_id: Type.Union([Id, Type.Null()], { description: 'Tasks: their creator when unset.' }),
  contact_id: Type.Union([Id, Type.Null()]),
  company_id: Type.Union([Id, Type.Null()]),
  deal_id: Type.Union([Id, Type.Null()]),
  ...Common,
};

export const ACTIVITY_SHAPE: RecordShape = { fields: Type.Object(ActivityFields), required: ['kind', 'subject'] };

/** /v1/crm/activities (tasks, calls, meetings, notes, emails) and /v1/crm/inbox (my open tasks). */
export function activityRoutes(deps: {
  authenticate: Authenticator;
  activities: RecordService;
  inbox: ActivityInbox;
}): FastifyPluginAsyncTypebox {
  const common = { tags: ['crm'], security: [{ bearer: [] }] };
  return async (app) => {
    await app.register(
      recordRoutes({
        authenticate: deps.authenticate,
        kind: ACTIVITIES,
        service: deps.activities,
        path: 'activities',
        shape: ACTIVITY_SHAPE,
        example: { kind: 'task', subject: 'Send the proposal', due_at: '2026-12-01T09:00:00Z' },
        shown: { completed_at: Time },
      }),
    );

    app.get(
      '/crm/inbox',
      {
        schema: {
          ...common,
          summary: 'My open tasks',
          description:
            'Tasks assigned to the caller and not done, soonest due first (overdue ones lead), then undated.',
          querystring: Type.Object(
            { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
            { additionalProperties: false },
          ),
        },
        preHandler: deps.authenticate({ permission: 'crm:read' }),
      },
      async (request) => ({ tasks: await deps.inbox.inbox(principalOf(request), request.query.limit ?? 50) }),
    );

    app.post(
      '/crm/activities/:id/complete',
      {
        schema: {
          ...common,
          summary: 'Complete a task',
          params: Type.Object({ id: Id }),
          body: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        },
        preHandler: deps.authenticate({ permission: 'crm:write' }),
      },
      async (request) => deps.inbox.complete(principalOf(request), request.params.id, request.body.version, request.id),
    );
  };
}
